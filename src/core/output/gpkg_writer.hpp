#pragma once
// GeoPackage through GDAL, for QGIS / PostGIS users: one table per layer, WGS84
// geometries, attribute types inferred from the values (integer, real, boolean, text),
// provenance in the dataset metadata. Written to a temporary file and renamed.
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "output/feature.hpp"

namespace maillage {

void write_gpkg(const std::filesystem::path& path, const std::vector<const FeatureLayer*>& layers,
                const nlohmann::json& metadata);

}  // namespace maillage
