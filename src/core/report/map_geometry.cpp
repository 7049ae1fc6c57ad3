#include "report/map_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <geos_c.h>

#include "geo/geos_context.hpp"
#include "geo/vector_source.hpp"
#include "util/errors.hpp"

namespace maillage::report {

namespace fs = std::filesystem;

void Box::extend(const Box& o) {
    min_x = std::min(min_x, o.min_x);
    min_y = std::min(min_y, o.min_y);
    max_x = std::max(max_x, o.max_x);
    max_y = std::max(max_y, o.max_y);
}

Box Box::padded(double fraction) const {
    const double px = width() * fraction, py = height() * fraction;
    return {min_x - px, min_y - py, max_x + px, max_y + py};
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void append_rings(const GeosContext& c, const GEOSGeometry* g, Rings& out, Box& box) {
    const GEOSContextHandle_t h = c.get();
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i) append_rings(c, GEOSGetGeometryN_r(h, g, i), out, box);
        return;
    }
    if (type != GEOS_POLYGON) return;
    auto add_ring = [&](const GEOSGeometry* ring) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned size = 0;
        GEOSCoordSeq_getSize_r(h, seq, &size);
        std::vector<Point2> pts;
        pts.reserve(size);
        for (unsigned i = 0; i < size; ++i) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
            pts.push_back({x, y});
            box.min_x = std::min(box.min_x, x);
            box.max_x = std::max(box.max_x, x);
            box.min_y = std::min(box.min_y, y);
            box.max_y = std::max(box.max_y, y);
        }
        if (pts.size() >= 4) out.push_back(std::move(pts));
    };
    add_ring(GEOSGetExteriorRing_r(h, g));
    const int holes = GEOSGetNumInteriorRings_r(h, g);
    for (int i = 0; i < holes; ++i) add_ring(GEOSGetInteriorRingN_r(h, g, i));
}

Box empty_box() { return {kInf, kInf, -kInf, -kInf}; }

std::string field_or_empty(const OGRFeature& f, const VectorSource& src, const char* name) {
    auto idx = src.field({name});
    return idx && f.IsFieldSetAndNotNull(*idx) ? f.GetFieldAsString(*idx) : "";
}

// Dissolves the communes of each group (EPCI or territory) into one outline.
std::vector<AreaShape> dissolve(const GeosContext& c, const std::vector<GEOSGeometry*>& shapes,
                                const std::vector<std::string>& group_of, double tolerance) {
    std::map<std::string, std::vector<GEOSGeometry*>> groups;
    for (std::size_t i = 0; i < shapes.size(); ++i)
        if (!group_of[i].empty()) groups[group_of[i]].push_back(shapes[i]);
    std::vector<AreaShape> out;
    const GEOSContextHandle_t h = c.get();
    for (auto& [id, members] : groups) {
        std::vector<GEOSGeometry*> clones;
        for (auto* m : members) clones.push_back(GEOSGeom_clone_r(h, m));
        GeosPtr collection = geos_check(
            c, GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, clones.data(), static_cast<unsigned>(clones.size())),
            "collection");
        GeosPtr merged = geos_check(c, GEOSUnaryUnion_r(h, collection.get()), "union");
        GeosPtr simple = geos_check(c, GEOSTopologyPreserveSimplify_r(h, merged.get(), tolerance), "simplify");
        AreaShape a;
        a.id = id;
        a.box = empty_box();
        append_rings(c, simple.get(), a.rings, a.box);
        out.push_back(std::move(a));
    }
    return out;
}

}  // namespace

int MapGeometry::find(const std::string& code) const {
    auto it = index_.find(code);
    return it == index_.end() ? -1 : it->second;
}

const AreaShape* MapGeometry::territory(const std::string& id) const {
    for (const auto& t : territories_)
        if (t.id == id) return &t;
    return nullptr;
}

std::optional<Rings> MapGeometry::read_band_area(const fs::path& path, double band, double tolerance) {
    VectorSource src(path);
    const CrsTransform ct = src.to_lambert93();
    const int band_field = src.require_field({"band_minutes"});
    GeosContext c;
    src.layer().ResetReading();
    while (OGRFeature* raw = src.layer().GetNextFeature()) {
        std::unique_ptr<OGRFeature> f(raw);
        if (!f->IsFieldSetAndNotNull(band_field) || std::abs(f->GetFieldAsDouble(band_field) - band) > 1e-9) continue;
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) return Rings{};
        GeometryPtr l93(g->clone());
        if (l93->transform(&ct.ogr()) != OGRERR_NONE)
            throw InputError({src.file(), VectorSource::feature_label(*f), "geometry"}, "cannot be reprojected to Lambert-93");
        GeosPtr shape = to_geos(c, *l93);
        GeosPtr simple = geos_check(c, GEOSTopologyPreserveSimplify_r(c.get(), shape.get(), tolerance), "simplify");
        Rings rings;
        Box box = empty_box();
        append_rings(c, simple.get(), rings, box);
        return rings;
    }
    return std::nullopt;
}

MapGeometry MapGeometry::read(const fs::path& path, double tolerance) {
    VectorSource src(path);
    const CrsTransform ct = src.to_lambert93();
    const int code_field = src.require_field({"code"});
    std::vector<GeometryPtr> polygons;
    std::vector<Input> inputs;
    src.layer().ResetReading();
    while (OGRFeature* raw = src.layer().GetNextFeature()) {
        std::unique_ptr<OGRFeature> f(raw);
        const std::string where = VectorSource::feature_label(*f);
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty() ||
            (wkbFlatten(g->getGeometryType()) != wkbPolygon && wkbFlatten(g->getGeometryType()) != wkbMultiPolygon))
            throw InputError({src.file(), where, "geometry"}, "no polygon", "the commune's polygon");
        GeometryPtr l93(g->clone());
        if (l93->transform(&ct.ogr()) != OGRERR_NONE)
            throw InputError({src.file(), where, "geometry"}, "cannot be reprojected to Lambert-93");
        Input in;
        in.code = f->GetFieldAsString(code_field);
        if (in.code.empty()) throw InputError({src.file(), where, "code"}, "empty", "an INSEE code");
        for (const auto& c : inputs)
            if (c.code == in.code) throw InputError({src.file(), where, "code"}, "commune " + in.code + " appears twice");
        in.name = field_or_empty(*f, src, "nom");
        in.epci = field_or_empty(*f, src, "epci");
        in.territory = field_or_empty(*f, src, "territory");
        if (auto pop = src.field({"population"}); pop && f->IsFieldSetAndNotNull(*pop)) in.population = f->GetFieldAsDouble(*pop);
        polygons.push_back(std::move(l93));
        inputs.push_back(std::move(in));
    }
    if (inputs.empty()) throw InputError({src.file(), "", ""}, "no commune", "at least one commune polygon");
    for (std::size_t i = 0; i < inputs.size(); ++i) inputs[i].polygon = polygons[i].get();
    return build(inputs, tolerance);
}

MapGeometry MapGeometry::build(const std::vector<Input>& inputs, double tolerance) {
    GeosContext c;
    const GEOSContextHandle_t h = c.get();
    MapGeometry m;
    m.box_ = empty_box();
    std::vector<GeosPtr> owned;
    std::vector<GEOSGeometry*> shapes;
    std::vector<std::string> epci_of, territory_of;
    for (const auto& in : inputs) {
        GeosPtr shape = to_geos(c, *in.polygon);
        if (GEOSisValid_r(h, shape.get()) != 1) shape = geos_check(c, GEOSMakeValid_r(h, shape.get()), "make valid");
        CommuneShape cs;
        cs.code = in.code;
        cs.name = in.name;
        cs.epci = in.epci;
        cs.territory = in.territory;
        cs.population = in.population;
        GeosPtr simple = geos_check(c, GEOSTopologyPreserveSimplify_r(h, shape.get(), tolerance), "simplify");
        cs.box = empty_box();
        append_rings(c, simple.get(), cs.rings, cs.box);
        GeosPtr inside = geos_check(c, GEOSPointOnSurface_r(h, shape.get()), "point on surface");
        double x = 0, y = 0;
        GEOSGeomGetX_r(h, inside.get(), &x);
        GEOSGeomGetY_r(h, inside.get(), &y);
        cs.label_point = {x, y};
        m.box_.extend(cs.box);
        m.index_[cs.code] = static_cast<int>(m.communes_.size());
        epci_of.push_back(cs.epci);
        territory_of.push_back(cs.territory);
        shapes.push_back(shape.get());
        owned.push_back(std::move(shape));
        m.communes_.push_back(std::move(cs));
    }
    m.epcis_ = dissolve(c, shapes, epci_of, tolerance);
    m.territories_ = dissolve(c, shapes, territory_of, tolerance);
    return m;
}

}  // namespace maillage::report
