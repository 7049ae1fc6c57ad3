#pragma once
// Length on the ground between two WGS84 positions.
#include "util/units.hpp"

namespace maillage {

// Distance on the WGS84 ellipsoid, for the short segments of road geometry: the meridian
// and prime-vertical radii of curvature taken at the mid-latitude (the local ellipsoidal
// plane). Agrees with PROJ's geodesic (geod_inverse) within 1e-8 for segments of a few
// kilometres and 1e-4 at 100 km (test_ground_distance), at a few ns instead of ~700 ns a
// call, which matters at millions of segments per extract. A sphere (haversine) is up to
// 0.3 % off depending on direction, and then disagrees with the Lambert-93 geometry that
// shares an edge's time out along its length.
Metres ground_distance(double lon1, double lat1, double lon2, double lat2);

}  // namespace maillage
