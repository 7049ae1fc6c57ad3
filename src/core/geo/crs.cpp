#include "geo/crs.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "util/errors.hpp"

namespace maillage {

OGRSpatialReference make_srs(int epsg) {
    OGRSpatialReference srs;
    if (srs.importFromEPSG(epsg) != OGRERR_NONE)
        throw std::runtime_error("PROJ does not know EPSG:" + std::to_string(epsg) + " (is proj-data installed?)");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

CrsTransform::CrsTransform(const OGRSpatialReference& source, const OGRSpatialReference& target) {
    OGRSpatialReference s(source);
    OGRSpatialReference t(target);
    s.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    t.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    ct_.reset(OGRCreateCoordinateTransformation(&s, &t));
    // A CRS PROJ cannot relate to Lambert-93 comes from an input (a layer's CRS, --crs): an
    // input error the caller completes with the file (with_context).
    if (!ct_)
        throw InputError({"", "", "crs"}, "cannot build a coordinate transformation from this CRS to the other",
                         "a CRS PROJ can transform to Lambert-93 (e.g. EPSG:2154, EPSG:4326)");
}

CrsTransform CrsTransform::to_lambert93(const OGRSpatialReference& source) {
    return CrsTransform(source, make_srs(kLambert93));
}

CrsTransform CrsTransform::wgs84_to_lambert93() {
    static const OGRSpatialReference wgs = make_srs(kWgs84);
    static const OGRSpatialReference l93 = make_srs(kLambert93);
    return CrsTransform(wgs, l93);
}

CrsTransform CrsTransform::lambert93_to_wgs84() {
    static const OGRSpatialReference wgs = make_srs(kWgs84);
    static const OGRSpatialReference l93 = make_srs(kLambert93);
    return CrsTransform(l93, wgs);
}

bool CrsTransform::transform(double& x, double& y) const { return ct_->Transform(1, &x, &y) == TRUE; }

namespace {
// Points that PROJ cannot transform come from inputs (coordinates out of any plausible
// range): input errors naming the point; callers that know the file add it (with_context).
[[noreturn]] void untransformable(const char* what, double x, double y, const char* expected) {
    char point[96];
    std::snprintf(point, sizeof point, "point (%.10g, %.10g)", x, y);
    throw InputError({"", point, ""}, std::string("cannot project ") + what, expected);
}
constexpr const char* kLonLatRange = "longitude -180 to 180, latitude -90 to 90";
constexpr const char* kLambertRange = "Lambert-93 metres (France: x about 100 000 to 1 300 000, y 6 000 000 to 7 200 000)";
}  // namespace

Point2 lonlat_to_lambert93(LonLat p) {
    thread_local CrsTransform ct = CrsTransform::wgs84_to_lambert93();
    double x = p.lon, y = p.lat;
    if (!std::isfinite(x) || !std::isfinite(y) || !ct.transform(x, y))
        untransformable("lon/lat to Lambert-93", p.lon, p.lat, kLonLatRange);
    return {x, y};
}

LonLat lambert93_to_lonlat(Point2 p) {
    thread_local CrsTransform ct = CrsTransform::lambert93_to_wgs84();
    double x = p.x, y = p.y;
    if (!std::isfinite(x) || !std::isfinite(y) || !ct.transform(x, y))
        untransformable("Lambert-93 to lon/lat", p.x, p.y, kLambertRange);
    return {x, y};
}

void lambert93_to_lonlat(std::vector<double>& x, std::vector<double>& y) {
    thread_local CrsTransform ct = CrsTransform::lambert93_to_wgs84();
    if (x.empty()) return;
    std::vector<int> ok(x.size(), 0);
    // The originals, to name a point PROJ refuses (Transform overwrites them); no allocation
    // per call once the buffers have grown.
    thread_local std::vector<double> x0, y0;
    x0.assign(x.begin(), x.end());
    y0.assign(y.begin(), y.end());
    const bool all = ct.ogr().Transform(x.size(), x.data(), y.data(), nullptr, ok.data());
    for (std::size_t i = 0; i < ok.size(); ++i)
        if (!ok[i]) untransformable("Lambert-93 to lon/lat", x0[i], y0[i], kLambertRange);
    if (!all) untransformable("Lambert-93 to lon/lat", x0[0], y0[0], kLambertRange);
}

}  // namespace maillage
