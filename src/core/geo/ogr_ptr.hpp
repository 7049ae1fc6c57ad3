#pragma once
// RAII owners for GDAL/OGR objects, so no loader leaks on the error paths.
#include <memory>

#include <gdal_priv.h>
#include <ogr_geometry.h>

namespace maillage {

struct OgrGeometryDeleter {
    void operator()(OGRGeometry* g) const { OGRGeometryFactory::destroyGeometry(g); }
};
using GeometryPtr = std::unique_ptr<OGRGeometry, OgrGeometryDeleter>;

struct GdalDatasetDeleter {
    void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetDeleter>;

// Registers GDAL drivers once and routes GDAL's own error printing away from stderr
// (maillage reports errors itself, with file and feature context).
void ensure_gdal_initialised();

}  // namespace maillage
