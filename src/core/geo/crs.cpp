#include "geo/crs.hpp"

#include <stdexcept>

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
    if (!ct_) throw std::runtime_error("cannot build a coordinate transformation between the two CRS");
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

Point2 lonlat_to_lambert93(LonLat p) {
    thread_local CrsTransform ct = CrsTransform::wgs84_to_lambert93();
    double x = p.lon, y = p.lat;
    if (!ct.transform(x, y)) throw std::runtime_error("cannot project lon/lat to Lambert-93");
    return {x, y};
}

LonLat lambert93_to_lonlat(Point2 p) {
    thread_local CrsTransform ct = CrsTransform::lambert93_to_wgs84();
    double x = p.x, y = p.y;
    if (!ct.transform(x, y)) throw std::runtime_error("cannot project Lambert-93 to lon/lat");
    return {x, y};
}

void lambert93_to_lonlat(std::vector<double>& x, std::vector<double>& y) {
    thread_local CrsTransform ct = CrsTransform::lambert93_to_wgs84();
    if (x.empty()) return;
    std::vector<int> ok(x.size(), 0);
    if (!ct.ogr().Transform(x.size(), x.data(), y.data(), nullptr, ok.data()))
        throw std::runtime_error("cannot project Lambert-93 to lon/lat");
    for (int v : ok)
        if (!v) throw std::runtime_error("cannot project Lambert-93 to lon/lat");
}

}  // namespace maillage
