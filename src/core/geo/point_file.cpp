#include "geo/point_file.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "geo/vector_source.hpp"
#include "util/errors.hpp"

namespace maillage {

CsvPointColumns locate_point_columns(const CsvTable& t, const std::string& crs) {
    CsvPointColumns c;
    c.lonlat = t.column("lon") || t.column("longitude") || t.column("lng");
    c.x = c.lonlat ? t.require_column({"lon", "longitude", "lng"}) : t.require_column({"x", "X"});
    c.y = c.lonlat ? t.require_column({"lat", "latitude"}) : t.require_column({"y", "Y"});
    OGRSpatialReference srs;
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::string declared = c.lonlat ? "EPSG:4326" : crs;
    if (srs.SetFromUserInput(declared.c_str()) != OGRERR_NONE)
        throw InputError({t.file(), "", "crs"}, "unknown coordinate reference system '" + declared + "'", "e.g. EPSG:2154");
    c.to_l93.emplace(CrsTransform::to_lambert93(srs));
    return c;
}

Point2 read_csv_point(const CsvTable& t, const CsvTable::Row& row, const CsvPointColumns& c) {
    const std::string where = "line " + std::to_string(row.line);
    double x = parse_number(row.cells[c.x], t.file(), row.line, t.header()[c.x]);
    double y = parse_number(row.cells[c.y], t.file(), row.line, t.header()[c.y]);
    // The message names the field that is out of range (a swapped pair shows as a latitude
    // beyond 90 when the longitude is the larger number).
    if (c.lonlat && std::abs(x) > 180)
        throw InputError({t.file(), where, t.header()[c.x]}, "longitude " + row.cells[c.x] + " out of range",
                         "WGS84 degrees, -180..180 (longitude first)");
    if (c.lonlat && std::abs(y) > 90)
        throw InputError({t.file(), where, t.header()[c.y]},
                         "latitude " + row.cells[c.y] + " out of range" +
                             (std::abs(x) <= 90 ? " (longitude and latitude swapped?)" : ""),
                         "WGS84 degrees, -90..90");
    if (!c.to_l93->transform(x, y) || !std::isfinite(x) || !std::isfinite(y))
        throw InputError({t.file(), where, t.header()[c.x]}, "cannot project the point");
    return {x, y};
}

std::vector<NamedPoint> read_points(const std::filesystem::path& path, const std::string& crs, const std::string& id_field) {
    std::vector<NamedPoint> out;
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    std::vector<std::string> id_names = {"id", "code", "code_insee", "name", "nom"};
    if (!id_field.empty()) id_names = {id_field};
    if (ext == ".csv") {
        CsvTable t = CsvTable::read(path);
        const auto id = t.require_column(id_names);
        auto cols = locate_point_columns(t, crs);
        for (const auto& row : t.rows())
            out.push_back({row.cells[id], read_csv_point(t, row, cols), "line " + std::to_string(row.line)});
    } else {
        VectorSource src(path);
        const int id = src.require_field(id_names);
        CrsTransform ct = src.to_lambert93();
        for (auto& f : src.layer()) {
            const std::string label = VectorSource::feature_label(*f);
            const OGRGeometry* g = f->GetGeometryRef();
            if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint || g->IsEmpty())
                throw InputError({src.file(), label, "geometry"}, "not a point", "a Point geometry");
            double x = g->toPoint()->getX(), y = g->toPoint()->getY();
            if (!std::isfinite(x) || !std::isfinite(y) || !ct.transform(x, y))
                throw InputError({src.file(), label, "geometry"}, "coordinates are not finite numbers");
            out.push_back({f->GetFieldAsString(id), {x, y}, label});
        }
    }
    std::set<std::string> seen;
    for (const auto& p : out) {
        if (p.id.empty()) throw InputError({path.string(), p.where, "id"}, "empty id");
        if (!seen.insert(p.id).second) throw InputError({path.string(), p.where, "id"}, "duplicate id '" + p.id + "'");
    }
    // Nearest of no site, or a matrix with no row, is a mistake in the command, not a result.
    if (out.empty()) throw InputError({path.string(), "", ""}, "no point in the file", "at least one point");
    return out;
}

}  // namespace maillage
