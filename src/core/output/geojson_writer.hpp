#pragma once
// GeoJSON RFC 7946: WGS84 lon/lat, outer rings counter-clockwise and holes clockwise,
// at most 6 decimals (~0.1 m), and a top-level "metadata" foreign member carrying the
// provenance. Written by hand rather than through GDAL so the byte layout is ours:
// identical inputs give byte-identical files. Layers of nested polygons (catchment bands)
// stay nested and valid once rounded: see output/nested_layers.hpp.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "output/feature.hpp"

namespace maillage {

constexpr int kGeoJsonDecimals = 6;

// Serialises the layer; throws OutputError, leaves no partial file.
void write_geojson(const std::filesystem::path& path, const FeatureLayer& layer, const nlohmann::json& metadata);

// The geometry part alone (used by tests and by the report maps).
std::string geometry_to_geojson(const OGRGeometry& lambert93);

}  // namespace maillage
