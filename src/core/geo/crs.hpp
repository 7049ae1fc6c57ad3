#pragma once
// Coordinate transformations to and from Lambert-93 (EPSG:2154), with the
// traditional GIS axis order (x = longitude / easting) whatever the CRS says.
#include <memory>
#include <string>
#include <vector>

#include <ogr_spatialref.h>

#include "geo/point.hpp"

namespace maillage {

constexpr int kLambert93 = 2154;
constexpr int kWgs84 = 4326;

struct LonLat {
    double lon = 0.0;
    double lat = 0.0;
};

class CrsTransform {
public:
    // From `source` to `target`; throws std::runtime_error if PROJ cannot build it.
    CrsTransform(const OGRSpatialReference& source, const OGRSpatialReference& target);
    static CrsTransform to_lambert93(const OGRSpatialReference& source);
    static CrsTransform wgs84_to_lambert93();
    static CrsTransform lambert93_to_wgs84();

    [[nodiscard]] OGRCoordinateTransformation& ogr() const { return *ct_; }
    // Returns false if the point cannot be transformed.
    bool transform(double& x, double& y) const;

private:
    struct Deleter {
        void operator()(OGRCoordinateTransformation* ct) const { OGRCoordinateTransformation::DestroyCT(ct); }
    };
    std::unique_ptr<OGRCoordinateTransformation, Deleter> ct_;
};

OGRSpatialReference make_srs(int epsg);

// Convenience for points.
Point2 lonlat_to_lambert93(LonLat p);
LonLat lambert93_to_lonlat(Point2 p);
// In place, many points in one call (x: easting → longitude, y: northing → latitude).
void lambert93_to_lonlat(std::vector<double>& x, std::vector<double>& y);

}  // namespace maillage
