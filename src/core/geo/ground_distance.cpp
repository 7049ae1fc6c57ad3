#include "geo/ground_distance.hpp"

#include <cmath>
#include <numbers>

namespace maillage {

Metres ground_distance(double lon1, double lat1, double lon2, double lat2) {
    constexpr double a = 6378137.0;              // WGS84 semi-major axis
    constexpr double f = 1.0 / 298.257223563;    // WGS84 flattening
    constexpr double e2 = f * (2.0 - f);
    constexpr double rad = std::numbers::pi / 180.0;
    const double phi = 0.5 * (lat1 + lat2) * rad;
    const double s = std::sin(phi);
    const double w2 = 1.0 - e2 * s * s;
    const double w = std::sqrt(w2);
    const double n = a / w;                     // prime vertical radius of curvature
    const double m = a * (1.0 - e2) / (w2 * w);  // meridian radius of curvature
    double dlon = lon2 - lon1;
    if (dlon > 180.0) dlon -= 360.0;
    if (dlon < -180.0) dlon += 360.0;
    return Metres(std::hypot(m * (lat2 - lat1) * rad, n * std::cos(phi) * dlon * rad));
}

}  // namespace maillage
