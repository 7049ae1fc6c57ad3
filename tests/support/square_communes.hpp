#pragma once
// Square communes drawn in Lambert-93 with round sizes, written as GeoJSON with an
// explicit EPSG:2154 CRS, so expected times and areas are known by hand.
#include <cstdio>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"

namespace maillage::testing {

struct Square {
    std::string code;
    double x0, y0, size;  // metres
    long long population;
    std::string epci = "200000001";
};

inline std::string squares_geojson(const std::vector<Square>& squares) {
    std::string s = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[)";
    for (std::size_t i = 0; i < squares.size(); ++i) {
        const Square& q = squares[i];
        char buf[512];
        std::snprintf(buf, sizeof buf,
                      R"(%s{"type":"Feature","properties":{"code":"%s","nom":"Commune %s","population":%lld,"epci_siren":"%s"},)"
                      R"("geometry":{"type":"Polygon","coordinates":[[[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f],[%.1f,%.1f]]]}})",
                      i ? "," : "", q.code.c_str(), q.code.c_str(), q.population, q.epci.c_str(), q.x0, q.y0, q.x0 + q.size,
                      q.y0, q.x0 + q.size, q.y0 + q.size, q.x0, q.y0 + q.size, q.x0, q.y0);
        s += buf;
    }
    return s + "]}";
}

// Three 2 km communes in a row, centres 2 km apart: A (86001, 100 inh.), B (86002, 200), C (86003, 300).
inline std::vector<Square> three_in_a_row() {
    return {{"86001", 500000, 6600000, 2000, 100}, {"86002", 502000, 6600000, 2000, 200},
            {"86003", 504000, 6600000, 2000, 300, "200000002"}};
}

}  // namespace maillage::testing
