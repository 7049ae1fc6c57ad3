#include "territory/commune_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>

#include <ogr_api.h>

#include "geo/vector_source.hpp"
#include "territory/area_builder.hpp"
#include "territory/osm_admin_reader.hpp"
#include "util/errors.hpp"
#include "util/progress.hpp"

namespace maillage {

namespace {

const std::vector<std::string> kCodeFields = {"code", "code_insee", "insee", "INSEE_COM", "CODE_INSEE", "DEPCOM"};
const std::vector<std::string> kNameFields = {"nom", "name", "NOM", "NOM_COM", "libelle"};
const std::vector<std::string> kPopulationFields = {"population", "POPULATION", "pop", "PMUN"};
const std::vector<std::string> kEpciFields = {"epci_siren", "SIREN_EPCI", "epci", "CODE_EPCI"};

GeometryPtr checked_polygon(OGRFeature& f, const VectorSource& src, const CrsTransform& ct, const std::string& label,
                            const std::string& commune, bool strict, Diagnostics& diagnostics) {
    OGRGeometry* raw = f.GetGeometryRef();
    if (!raw || raw->IsEmpty())
        throw InputError({src.file(), label, "geometry"}, "commune " + commune + " has no geometry", "a polygon");
    auto type = wkbFlatten(raw->getGeometryType());
    if (type != wkbPolygon && type != wkbMultiPolygon)
        throw InputError({src.file(), label, "geometry"},
                         "commune " + commune + " has a " + raw->getGeometryName() + " geometry",
                         "a Polygon or MultiPolygon");
    GeometryPtr g(raw->clone());
    if (g->transform(&ct.ogr()) != OGRERR_NONE)
        throw InputError({src.file(), label, "geometry"}, "cannot project commune " + commune + " to Lambert-93");
    if (!g->IsValid()) {
        if (strict)
            throw InputError({src.file(), label, "geometry"}, "invalid polygon for commune " + commune,
                             "a valid polygon (GEOS IsValid); without --strict it is repaired");
        GeometryPtr fixed(g->MakeValid());
        if (!fixed || !fixed->IsValid())
            throw InputError({src.file(), label, "geometry"}, "invalid polygon for commune " + commune + " cannot be repaired");
        // MakeValid may return a collection with stray lines: keep the polygonal part.
        if (wkbFlatten(fixed->getGeometryType()) == wkbGeometryCollection) {
            auto* mp = new OGRMultiPolygon();
            for (auto* part : *fixed->toGeometryCollection()) {
                auto t = wkbFlatten(part->getGeometryType());
                if (t == wkbPolygon || t == wkbMultiPolygon) mp->addGeometry(part);
            }
            fixed.reset(mp);
        }
        diagnostics.warn({src.file(), label, "geometry"}, "invalid polygon of commune " + commune + " repaired (GEOS MakeValid)");
        g = std::move(fixed);
    }
    return g;
}

}  // namespace

std::vector<Commune> read_communes(const TerritorySources& sources, Diagnostics& diagnostics) {
    const std::string name = sources.communes.filename().string();
    if (name.ends_with(".osm.pbf") || name.ends_with(".osm"))
        return read_osm_communes(sources.communes, sources.osm_admin_level, diagnostics);
    VectorSource src(sources.communes, sources.communes_layer);
    const int code_field = src.require_field(kCodeFields);
    const int name_field = src.require_field(kNameFields);
    const auto pop_field = src.field(kPopulationFields);
    const auto epci_field = src.field(kEpciFields);
    CrsTransform ct = src.to_lambert93();

    std::vector<Commune> communes;
    std::set<std::string> seen;
    Progress progress("communes", static_cast<std::size_t>(src.feature_count()));
    src.layer().ResetReading();
    for (auto& f : src.layer()) {
        progress.advance();
        const std::string label = VectorSource::feature_label(*f);
        const std::string code_name = src.layer().GetLayerDefn()->GetFieldDefn(code_field)->GetNameRef();
        std::string raw_code = f->IsFieldSetAndNotNull(code_field) ? f->GetFieldAsString(code_field) : "";
        auto code = InseeCode::parse(raw_code);
        if (!code)
            throw InputError({src.file(), label, code_name}, "malformed INSEE code '" + raw_code + "'",
                             "5 characters: 2 digits (or 2A/2B) then 3 digits, as text");
        if (!seen.insert(code->str()).second)
            throw InputError({src.file(), label, code_name}, "duplicate INSEE code " + code->str(), "each commune once");
        Commune c;
        c.code = *code;
        c.name = f->GetFieldAsString(name_field);
        if (pop_field && f->IsFieldSetAndNotNull(*pop_field)) {
            std::string text = f->GetFieldAsString(*pop_field);
            const char* fname = src.layer().GetLayerDefn()->GetFieldDefn(*pop_field)->GetNameRef();
            char* end = nullptr;
            long long v = std::strtoll(text.c_str(), &end, 10);
            if (text.empty() || *end != '\0')
                throw InputError({src.file(), label, fname}, "population is not an integer: '" + text + "'",
                                 "a non-negative integer");
            if (v < 0) throw InputError({src.file(), label, fname}, "negative population " + text, "a non-negative integer");
            if (v > kMaxCommunePopulation)
                throw InputError({src.file(), label, fname}, "population " + text + " is not a commune's",
                                 "at most 1 000 000 000 inhabitants");
            c.population = v;
        }
        if (epci_field && f->IsFieldSetAndNotNull(*epci_field)) c.epci_id = f->GetFieldAsString(*epci_field);
        c.geometry = checked_polygon(*f, src, ct, label, c.code.str(), sources.strict, diagnostics);
        GeometryPtr inside(OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(c.geometry.get()))));
        if (!inside || inside->IsEmpty())
            throw InputError({src.file(), label, "geometry"}, "no interior point for commune " + c.code.str());
        c.representative = {inside->toPoint()->getX(), inside->toPoint()->getY()};
        c.area_m2 = OGR_G_Area(OGRGeometry::ToHandle(c.geometry.get()));
        communes.push_back(std::move(c));
    }
    std::sort(communes.begin(), communes.end(), [](const Commune& a, const Commune& b) { return a.code < b.code; });
    return communes;
}

}  // namespace maillage
