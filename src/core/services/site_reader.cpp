#include "services/site_reader.hpp"

#include <algorithm>
#include <cmath>

#include "geo/crs.hpp"
#include "geo/point_file.hpp"
#include "geo/vector_source.hpp"
#include "services/osm_amenity_reader.hpp"
#include "territory/insee_code.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kIdFields = {"id", "id_fs", "identifiant", "finess", "ID"};
const std::vector<std::string> kNameFields = {"name", "nom", "lib_fs", "libelle", "raison_sociale"};
const std::vector<std::string> kCommuneFields = {"insee_com", "code_insee", "depcom", "commune"};

// Optional numeric capacity fields shared by CSV and OGR readers.
// Each with the largest plausible value: beyond it a value is a typo or a unit error (and a
// sum over sites of 1e300 places prints nonsense), refused with the field named.
struct CapacityValue {
    const char* field;
    double max;
    const char* expected;
    void (*assign)(ServiceSite&, double);
};
const CapacityValue kCapacities[] = {
    {"places", 1e6, "0 to 1 000 000 places", [](ServiceSite& s, double v) { s.places = v; }},
    {"fte", 1e4, "0 to 10 000 full-time equivalents", [](ServiceSite& s, double v) { s.fte = v; }},
    {"practitioner_age", 120, "an age in years, 0 to 120",
     [](ServiceSite& s, double v) { s.practitioner_age = static_cast<int>(v); }},
    {"opening_days", 7, "0 to 7 days a week", [](ServiceSite& s, double v) { s.opening_days = v; }},
    {"count", 1e6, "0 to 1 000 000 equipments", [](ServiceSite& s, double v) { s.count = v; }},
};

void set_capacity(ServiceSite& s, const CapacityValue& cap, const std::string& text, const std::string& file,
                  std::size_t line, const std::string& feature) {
    if (text.empty()) return;
    double v = parse_number(text, file, line, cap.field);
    if (v < 0) throw InputError({file, feature, cap.field}, "negative value " + text, cap.expected);
    if (v > cap.max) {
        if (std::string(cap.field) == "opening_days")
            throw InputError({file, feature, cap.field}, "more than 7 opening days: " + text, cap.expected);
        throw InputError({file, feature, cap.field}, "implausibly large value " + text, cap.expected);
    }
    cap.assign(s, v);
}

void finish(ServiceSite& s, const SiteFileOptions& o, const ServiceCatalogue& cat, const std::string& cat_text,
            const std::string& file, const std::string& feature) {
    s.category = o.category.empty() ? cat_text : o.category;
    (void)cat.require(s.category, file, feature, "category");
    s.source = file;
    if (s.id.empty()) throw InputError({file, feature, "id"}, "empty site id", "a unique identifier");
}

std::vector<ServiceSite> read_csv(const SiteFileOptions& o, const ServiceCatalogue& cat, Diagnostics* diagnostics) {
    CsvTable t = CsvTable::read(o.path);
    const auto id = t.require_column(kIdFields);
    const auto name = t.column("name") ? t.column("name") : t.column("nom") ? t.column("nom") : t.column("lib_fs");
    const auto category = t.column("category");
    if (o.category.empty() && !category)
        throw InputError({t.file(), "header", "category"}, "missing column", "a category column or --category");
    const auto cols = locate_point_columns(t, o.crs);
    std::optional<std::size_t> commune;
    for (const auto& f : kCommuneFields)
        if (!commune) commune = t.column(f);
    if (commune) restore_insee_leading_zeros(t, *commune);
    std::vector<ServiceSite> out;
    for (const auto& row : t.rows()) {
        const std::string feature = "line " + std::to_string(row.line);
        ServiceSite s;
        s.id = row.cells[id];
        if (name) s.name = row.cells[*name];
        s.position = read_csv_point(t, row, cols);
        if (commune) {
            s.commune_code = row.cells[*commune];
            // A commune code the reader cannot use would silently fail every join later on.
            if (!s.commune_code.empty() && !InseeCode::parse(s.commune_code))
                throw InputError({t.file(), feature, t.header()[*commune]},
                                 "commune code '" + s.commune_code + "' is not an INSEE code",
                                 "5 characters: the département (2 digits, 2A, 2B) and 3 digits, e.g. 86194");
        }
        for (const auto& cap : kCapacities)
            if (auto c = t.column(cap.field)) set_capacity(s, cap, row.cells[*c], t.file(), row.line, feature);
        finish(s, o, cat, category ? row.cells[*category] : "", t.file(), feature);
        out.push_back(std::move(s));
    }
    if (diagnostics) diagnostics->append(t.warnings());
    return out;
}

std::vector<ServiceSite> read_ogr(const SiteFileOptions& o, const ServiceCatalogue& cat) {
    VectorSource src(o.path, o.layer);
    const int id = src.require_field(kIdFields);
    const auto name = src.field(kNameFields);
    const auto category = src.field({"category"});
    if (o.category.empty() && !category)
        throw InputError({src.file(), "", "category"}, "missing field", "a category field or --category");
    const auto commune = src.field(kCommuneFields);
    CrsTransform ct = src.to_lambert93();
    std::vector<ServiceSite> out;
    for (auto& f : src.layer()) {
        const std::string feature = VectorSource::feature_label(*f);
        ServiceSite s;
        s.id = f->GetFieldAsString(id);
        if (name) s.name = f->GetFieldAsString(*name);
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint || g->IsEmpty())
            throw InputError({src.file(), feature, "geometry"}, "site " + s.id + " is not a point", "a Point geometry");
        double x = g->toPoint()->getX(), y = g->toPoint()->getY();
        if (!std::isfinite(x) || !std::isfinite(y) || !ct.transform(x, y))
            throw InputError({src.file(), feature, "geometry"}, "site " + s.id + " has unusable coordinates");
        s.position = {x, y};
        if (commune && f->IsFieldSetAndNotNull(*commune)) {
            s.commune_code = f->GetFieldAsString(*commune);
            if (!InseeCode::parse(s.commune_code)) {
                // A code stored as a number lost its leading zero ("1053"): restored; else refused.
                auto restored = InseeCode::restore_leading_zero(s.commune_code);
                if (!restored)
                    throw InputError({src.file(), feature, f->GetFieldDefnRef(*commune)->GetNameRef()},
                                     "commune code '" + s.commune_code + "' is not an INSEE code",
                                     "5 characters: the département (2 digits, 2A, 2B) and 3 digits, e.g. 86194");
                s.commune_code = restored->str();
            }
        }
        for (const auto& cap : kCapacities)
            if (auto c = src.field({cap.field}); c && f->IsFieldSetAndNotNull(*c))
                set_capacity(s, cap, f->GetFieldAsString(*c), src.file(), 0, feature);
        finish(s, o, cat, category ? f->GetFieldAsString(*category) : "", src.file(), feature);
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace

std::vector<ServiceSite> read_sites(const SiteFileOptions& options, const ServiceCatalogue& catalogue,
                                    Diagnostics* diagnostics) {
    if (!options.category.empty()) (void)catalogue.require(options.category, options.path.string(), "", "--category");
    std::string ext = options.path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    const std::string name = options.path.filename().string();
    bool osm = name.ends_with(".osm.pbf") || name.ends_with(".osm");
    if (osm && options.category.empty())
        throw InputError({options.path.string(), "", "category"}, "an OpenStreetMap file needs --category",
                         "e.g. --category gp (amenity=doctors)");
    auto sites = osm ? read_osm_amenities(options.path, options.category)
                     : ext == ".csv" ? read_csv(options, catalogue, diagnostics) : read_ogr(options, catalogue);
    std::sort(sites.begin(), sites.end(),
              [](const ServiceSite& a, const ServiceSite& b) { return std::tie(a.category, a.id) < std::tie(b.category, b.id); });
    for (std::size_t i = 1; i < sites.size(); ++i)
        if (sites[i].category == sites[i - 1].category && sites[i].id == sites[i - 1].id)
            throw InputError({options.path.string(), "site " + sites[i].id, "id"}, "duplicate site id", "unique ids");
    return sites;
}

void place_sites(std::vector<ServiceSite>& sites, const Territory& territory, double margin_m, bool reject_far,
                 Diagnostics& diagnostics) {
    std::size_t dropped = 0;
    std::string file;
    std::vector<ServiceSite> kept;
    for (auto& s : sites) {
        OGRPoint p(s.position.x, s.position.y);
        double d = territory.study_area->Distance(&p);
        if (d > margin_m) {
            if (reject_far) {
                char buf[200];
                std::snprintf(buf, sizeof buf, "site %s (%s) is %.1f km outside the study area", s.id.c_str(),
                              s.name.c_str(), d / 1000.0);
                throw InputError({s.source, "site " + s.id, "coordinates"}, buf,
                                 "a position within " + std::to_string(static_cast<int>(margin_m / 1000)) +
                                     " km of the study area (longitude and latitude swapped?)");
            }
            ++dropped;
            file = s.source;
            continue;
        }
        s.in_study_area = d == 0.0;
        kept.push_back(std::move(s));
    }
    if (dropped)
        diagnostics.warn({file, "", ""}, std::to_string(dropped) + " sites farther than " +
                                             std::to_string(static_cast<int>(margin_m / 1000)) +
                                             " km from the study area were left out");
    sites = std::move(kept);
}

}  // namespace maillage
