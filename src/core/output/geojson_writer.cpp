#include "output/geojson_writer.hpp"

#include <charconv>
#include <cmath>
#include <string_view>
#include <vector>
#include <cstdio>
#include <sstream>

#include "geo/crs.hpp"
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

void append_position(std::string& out, double x, double y) {
    LonLat ll = lambert93_to_lonlat({x, y});
    out += '[';
    append_number(out, ll.lon);
    out += ',';
    append_number(out, ll.lat);
    out += ']';
}

void append_line(std::string& out, const OGRSimpleCurve& line, bool reverse) {
    out += '[';
    const int n = line.getNumPoints();
    // One projection call per line: PROJ's per-call overhead dominated point by point.
    std::vector<double> x(n), y(n);
    line.getPoints(x.data(), sizeof(double), y.data(), sizeof(double));
    lambert93_to_lonlat(x, y);
    for (int k = 0; k < n; ++k) {
        int i = reverse ? n - 1 - k : k;
        if (k) out += ',';
        append_lonlat(out, x[i], y[i]);
    }
    out += ']';
}

void append_polygon(std::string& out, const OGRPolygon& poly) {
    out += '[';
    for (int r = 0; r < poly.getNumInteriorRings() + 1; ++r) {
        const OGRLinearRing* ring = r == 0 ? poly.getExteriorRing() : poly.getInteriorRing(r - 1);
        if (r) out += ',';
        // Lambert-93 → WGS84 keeps orientation (both are right-handed), so decide here.
        bool clockwise = ring->isClockwise() != 0;
        bool want_clockwise = r != 0;
        append_line(out, *ring, clockwise != want_clockwise);
    }
    out += ']';
}

void append_geometry(std::string& out, const OGRGeometry& g) {
    switch (wkbFlatten(g.getGeometryType())) {
        case wkbPoint: {
            const auto& p = *g.toPoint();
            out += R"({"type":"Point","coordinates":)";
            append_position(out, p.getX(), p.getY());
            out += '}';
            return;
        }
        case wkbLineString:
            out += R"({"type":"LineString","coordinates":)";
            append_line(out, *g.toLineString(), false);
            out += '}';
            return;
        case wkbPolygon:
            out += R"({"type":"Polygon","coordinates":)";
            append_polygon(out, *g.toPolygon());
            out += '}';
            return;
        case wkbMultiPoint: {
            out += R"({"type":"MultiPoint","coordinates":[)";
            const auto& mp = *g.toMultiPoint();
            for (int i = 0; i < mp.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_position(out, mp.getGeometryRef(i)->getX(), mp.getGeometryRef(i)->getY());
            }
            out += "]}";
            return;
        }
        case wkbMultiLineString: {
            out += R"({"type":"MultiLineString","coordinates":[)";
            const auto& ml = *g.toMultiLineString();
            for (int i = 0; i < ml.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_line(out, *ml.getGeometryRef(i), false);
            }
            out += "]}";
            return;
        }
        case wkbMultiPolygon: {
            out += R"({"type":"MultiPolygon","coordinates":[)";
            const auto& mp = *g.toMultiPolygon();
            for (int i = 0; i < mp.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_polygon(out, *mp.getGeometryRef(i));
            }
            out += "]}";
            return;
        }
        case wkbGeometryCollection: {
            out += R"({"type":"GeometryCollection","geometries":[)";
            const auto& gc = *g.toGeometryCollection();
            for (int i = 0; i < gc.getNumGeometries(); ++i) {
                if (i) out += ',';
                append_geometry(out, *gc.getGeometryRef(i));
            }
            out += "]}";
            return;
        }
        default:
            throw OutputError(std::string("GeoJSON writer: unsupported geometry type ") + g.getGeometryName());
    }
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
    text += R"({"type":"FeatureCollection","name":)";
    text += nlohmann::json(layer.name).dump();
    text += ",\"metadata\":";
    text += metadata.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text += ",\"features\":[\n";
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const Feature& f = layer.features[i];
        text += R"({"type":"Feature","properties":)";
        text += f.properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        text += ",\"geometry\":";
        if (f.geometry && !f.geometry->IsEmpty())
            append_geometry(text, *f.geometry);
        else
            text += "null";
        text += '}';
        if (i + 1 < layer.features.size()) text += ',';
        text += '\n';
    }
    text += "]}\n";
    write_file_atomically(path, [&](std::ostream& os) { os << text; });
}

}  // namespace maillage
