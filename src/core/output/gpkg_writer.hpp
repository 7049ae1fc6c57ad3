#pragma once
// GeoPackage through GDAL, for QGIS / PostGIS users: one table per layer, WGS84
// geometries, attribute types inferred from the values (integer, real, boolean, text),
// provenance in the dataset metadata. Written to a temporary file and renamed.
// Coordinates are the reprojected doubles, unrounded; layers of nested polygons (catchment
// bands) stay nested and valid there (output/nested_layers.hpp: a family that would not is
// rebuilt on a 1e-7° grid).
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/feature.hpp"

namespace maillage {

void write_gpkg(const std::filesystem::path& path, const std::vector<const FeatureLayer*>& layers,
                const nlohmann::json& metadata);

}  // namespace maillage
