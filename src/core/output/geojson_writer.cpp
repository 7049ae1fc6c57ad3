#include "output/geojson_writer.hpp"

#include <charconv>
#include <cmath>
#include <string_view>
#include <vector>
#include <cstdio>
#include <sstream>

#include "geo/crs.hpp"
#include "output/nested_layers.hpp"
#include "output/parallel_for.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {

void append_number(std::string& out, double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, kGeoJsonDecimals);
    std::string_view s(buf, ec == std::errc() ? static_cast<std::size_t>(end - buf) : 0);
    // Trim trailing zeros: shorter, and still one canonical spelling per value.
    if (s.find('.') != std::string_view::npos) {
        while (s.back() == '0') s.remove_suffix(1);
        if (s.back() == '.') s.remove_suffix(1);
    }
    if (s == "-0") s = "0";
    out += s;
}

void append_lonlat(std::string& out, double lon, double lat) {
    out += '[';
    append_number(out, lon);
    out += ',';
    append_number(out, lat);
    out += ']';
}

// Geometries are Lambert-93 (reprojected here), or already lon/lat (a nested layer's family
// rebuilt on the output grid: nested_layers.hpp).
enum class Coordinates { lambert93, lonlat };

void append_position(std::string& out, double x, double y, Coordinates coordinates) {
    LonLat ll = coordinates == Coordinates::lonlat ? LonLat{x, y} : lambert93_to_lonlat({x, y});
    out += '[';
    append_number(out, ll.lon);
    out += ',';
    append_number(out, ll.lat);
    out += ']';
}

void append_line(std::string& out, const OGRSimpleCurve& line, bool reverse, Coordinates coordinates) {
    out += '[';
    const int n = line.getNumPoints();
    // One projection call per line: PROJ's per-call overhead dominated point by point.
    std::vector<double> x(n), y(n);
    line.getPoints(x.data(), sizeof(double), y.data(), sizeof(double));
    if (coordinates == Coordinates::lambert93) lambert93_to_lonlat(x, y);
    for (int k = 0; k < n; ++k) {
        int i = reverse ? n - 1 - k : k;
        if (k) out += ',';
        append_lonlat(out, x[i], y[i]);
    }
    out += ']';
}

void append_polygon(std::string& out, const OGRPolygon& poly, Coordinates coordinates) {
    out += '[';
    for (int r = 0; r < poly.getNumInteriorRings() + 1; ++r) {
        const OGRLinearRing* ring = r == 0 ? poly.getExteriorRing() : poly.getInteriorRing(r - 1);
        if (r) out += ',';
        // Lambert-93 → WGS84 keeps orientation (both are right-handed), so decide here.
        bool clockwise = ring->isClockwise() != 0;
        bool want_clockwise = r != 0;
        append_line(out, *ring, clockwise != want_clockwise, coordinates);
    }
    out += ']';
}

void append_geometry(std::string& out, const OGRGeometry& g, Coordinates coordinates = Coordinates::lambert93) {
    switch (wkbFlatten(g.getGeometryType())) {
        case wkbPoint: {
            const auto& p = *g.toPoint();
            out += R"({"type":"Point","coordinates":)";
            append_position(out, p.getX(), p.getY(), coordinates);
            out += '}';
            return;
        }
        case wkbLineString:
            out += R"({"type":"LineString","coordinates":)";
            append_line(out, *g.toLineString(), false, coordinates);
            out += '}';
            return;
        case wkbPolygon:
            out += R"({"type":"Polygon","coordinates":)";
            append_polygon(out, *g.toPolygon(), coordinates);
            out += '}';
            return;
        case wkbMultiPoint: {
            out += R"({"type":"MultiPoint","coordinates":[)";
            const auto& mp = *g.toMultiPoint();
            for (int i = 0; i < mp.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_position(out, mp.getGeometryRef(i)->getX(), mp.getGeometryRef(i)->getY(), coordinates);
            }
            out += "]}";
            return;
        }
        case wkbMultiLineString: {
            out += R"({"type":"MultiLineString","coordinates":[)";
            const auto& ml = *g.toMultiLineString();
            for (int i = 0; i < ml.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_line(out, *ml.getGeometryRef(i), false, coordinates);
            }
            out += "]}";
            return;
        }
        case wkbMultiPolygon: {
            out += R"({"type":"MultiPolygon","coordinates":[)";
            const auto& mp = *g.toMultiPolygon();
            for (int i = 0; i < mp.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_polygon(out, *mp.getGeometryRef(i), coordinates);
            }
            out += "]}";
            return;
        }
        case wkbGeometryCollection: {
            out += R"({"type":"GeometryCollection","geometries":[)";
            const auto& gc = *g.toGeometryCollection();
            for (int i = 0; i < gc.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_geometry(out, *gc.getGeometryRef(i), coordinates);
            }
            out += "]}";
            return;
        }
        default:
            throw OutputError(std::string("GeoJSON writer: unsupported geometry type ") + g.getGeometryName());
    }
}

// What writing does to a vertex: reprojected, then rounded to kGeoJsonDecimals (1e-6° is
// at most 0.111 m of latitude or longitude, so half of it on both axes ≤ 0.079 m).
OutputGrid geojson_output_grid() {
    OutputGrid g;
    g.from_lambert93 = [](std::vector<double>& x, std::vector<double>& y) { lambert93_to_lonlat(x, y); };
    g.decimals = kGeoJsonDecimals;
    g.rounding_m = 0.5 * std::pow(10.0, -kGeoJsonDecimals) * 111'320.0 * std::sqrt(2.0);
    return g;
}

}  // namespace

std::string geometry_to_geojson(const OGRGeometry& lambert93) {
    std::string out;
    append_geometry(out, lambert93);
    return out;
}

void write_geojson(const std::filesystem::path& path, const FeatureLayer& layer, const nlohmann::json& metadata) {
    // Build the whole text first: a geometry error must not leave a half file.
    std::string text;
    // Layers of nested polygons (catchment bands): families whose rounding could break the
    // nesting come back rebuilt in lon/lat on the output grid.
    std::vector<GeometryPtr> nested;
    if (const NestedLayerRule* rule = nested_layer_rule(layer)) nested = nested_output_geometries(layer, *rule, geojson_output_grid());
    text += R"({"type":"FeatureCollection","name":)";
    text += nlohmann::json(layer.name).dump();
    text += ",\"metadata\":";
    text += metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += ",\"features\":[\n";
    // Features are serialised on a few threads (each into its own string), then joined in
    // order: the bytes do not depend on the threads.
    std::vector<std::string> parts(layer.features.size());
    parallel_for(layer.features.size(), [&](std::size_t i) {
        const Feature& f = layer.features[i];
        std::string& part = parts[i];
        part += R"({"type":"Feature","properties":)";
        part += f.properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        part += ",\"geometry\":";
        if (i < nested.size() && nested[i]) {
            if (!nested[i]->IsEmpty())
                append_geometry(part, *nested[i], Coordinates::lonlat);
            else
                part += "null";
        } else if (f.geometry && !f.geometry->IsEmpty())
            append_geometry(part, *f.geometry);
        else
            part += "null";
        part += '}';
        if (i + 1 < layer.features.size()) part += ',';
        part += '\n';
    }, 2);
    std::size_t size = text.size() + 4;
    for (const auto& part : parts) size += part.size();
    text.reserve(size);
    for (auto& part : parts) {
        text += part;
        std::string().swap(part);
    }
    text += "]}\n";
    write_file_atomically(path, [&](std::ostream& os) { os << text; });
}

}  // namespace maillage
