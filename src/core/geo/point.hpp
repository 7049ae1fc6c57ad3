#pragma once
#include <cmath>

#include "util/units.hpp"

namespace maillage {

// A position in Lambert-93 (EPSG:2154), metres. All geometry work happens in this CRS;
// WGS84 appears only at the edges (reading lon/lat, writing GeoJSON).
struct Point2 {
    double x = 0.0;
    double y = 0.0;
    auto operator<=>(const Point2&) const = default;
};

inline Metres distance(Point2 a, Point2 b) { return Metres(std::hypot(a.x - b.x, a.y - b.y)); }

}  // namespace maillage
