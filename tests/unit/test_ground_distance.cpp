// ground_distance against an independent method: PROJ's geodesic on the WGS84 ellipsoid.
#include <gtest/gtest.h>

#include <geodesic.h>

#include <cmath>
#include <random>

#include "geo/ground_distance.hpp"

using namespace maillage;

namespace {
double geodesic_m(double lon1, double lat1, double lon2, double lat2) {
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1.0 / 298.257223563);
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    return s12;
}
}  // namespace

TEST(GroundDistance, AgreesWithTheGeodesic) {
    std::mt19937 rng(86);
    std::uniform_real_distribution<double> lat(41.0, 51.5), lon(-5.5, 10.0), step(-0.02, 0.02), far(-0.9, 0.9);
    for (int i = 0; i < 2000; ++i) {
        double la = lat(rng), lo = lon(rng);
        double la2 = la + step(rng), lo2 = lo + step(rng);  // up to ~3 km: road segments
        double ref = geodesic_m(lo, la, lo2, la2);
        EXPECT_NEAR(ground_distance(lo, la, lo2, la2).value(), ref, 1e-8 * ref + 1e-6);
        double la3 = la + far(rng), lo3 = lo + far(rng);  // up to ~120 km: a long ferry line
        double ref3 = geodesic_m(lo, la, lo3, la3);
        EXPECT_NEAR(ground_distance(lo, la, lo3, la3).value(), ref3, 1e-4 * ref3);
    }
}

TEST(GroundDistance, KnownValues) {
    // The degree of latitude around 45°N: 111 132 m on WGS84 (published tables); a degree of
    // longitude there: 78 847 m.
    EXPECT_NEAR(ground_distance(0.0, 44.5, 0.0, 45.5).value(), 111132.0, 1.0);
    EXPECT_NEAR(ground_distance(-0.5, 45.0, 0.5, 45.0).value(), 78847.0, 1.0);
    EXPECT_EQ(ground_distance(9.5, 47.1, 9.5, 47.1).value(), 0.0);
    // Across the antimeridian the short way round.
    EXPECT_NEAR(ground_distance(179.999, 0.0, -179.999, 0.0).value(), geodesic_m(179.999, 0.0, -179.999, 0.0), 1e-3);
}
