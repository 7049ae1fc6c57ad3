#pragma once
// GeoPackage through GDAL, for QGIS / PostGIS users: one table per layer, WGS84
// geometries, attribute types inferred from the values (integer, real, boolean, text),
// provenance in the dataset metadata. Written to a temporary file and renamed.
// Coordinates are the reprojected doubles, unrounded; layers of nested polygons (catchment
// bands) stay nested and valid there (output/nested_layers.hpp: a family that would not is
// rebuilt on a 1e-7° grid).
// Layer styles (QGIS QML) go into the standard `layer_styles` table QGIS reads when it opens a
// layer (an attribute table registered in gpkg_contents), one row per style, useAsDefault = 1,
// update_time fixed (2000-01-01T00:00:00Z) so the file stays byte-identical between runs.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/feature.hpp"

namespace maillage {

struct GpkgLayerStyle {
    std::string layer;        // a layer of the same file (OutputError if absent)
    std::string qml;          // the QML document (styleQML)
    std::string description;  // free text shown by QGIS's style manager
};

// A layer whose features are all points is declared as a POINT layer; others as GEOMETRY.
void write_gpkg(const std::filesystem::path& path, const std::vector<const FeatureLayer*>& layers,
                const nlohmann::json& metadata, const std::vector<GpkgLayerStyle>& styles = {});

}  // namespace maillage
