#pragma once
// How much memory building a road layer network will take (issue 15.4, as osm_memory_estimate
// for OSM), known before building: what the build holds grows with the layer's features and
// the points of their lines, which one pass over the geometries counts (attributes not read,
// nothing kept). load_road_layer makes that pass first, sizes its arrays from it and refuses
// a layer whose estimate exceeds its budget (RoadLoadOptions::max_memory_bytes) before
// building anything.
#include <cstdint>
#include <filesystem>
#include <string>

class OGRLayer;

namespace maillage {

struct RoadLayerCounts {
    std::uint64_t features = 0;
    std::uint64_t points = 0;  // of every line part, ends included
};

// The peak memory load_road_layer adds to the process calling it (its arrays, GDAL's reading,
// the graph clean-up), not what the process held before. Calibrated in roads_memory_estimate.cpp:
//     bytes = 20 MB + 250 × features + 18 × points
[[nodiscard]] std::uint64_t road_build_memory_bytes(const RoadLayerCounts& counts);

// One pass over `layer`'s geometries (attribute fields ignored during the pass, restored
// after it; reading reset at both ends).
[[nodiscard]] RoadLayerCounts count_road_layer(OGRLayer& layer);

struct RoadMemoryEstimate {
    RoadLayerCounts counts;
    std::uint64_t peak_bytes = 0;  // road_build_memory_bytes(counts)
};

// Opens `file` (layer `layer`, or its only/first layer when empty) as load_road_layer does and
// estimates its peak memory. Throws InputError as load_road_layer does for an unreadable file.
[[nodiscard]] RoadMemoryEstimate estimate_road_layer_memory(const std::filesystem::path& file, const std::string& layer);

}  // namespace maillage
