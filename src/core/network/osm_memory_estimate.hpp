#pragma once
// How much memory building an OSM network will take (issue 15.4), known before building:
// the loader's first pass reads the ways only (libosmium skips decoding the nodes), and the
// memory of everything after it grows with the number of node references of the routable
// ways. So the estimate is that first pass alone, and load_osm refuses a file whose estimate
// exceeds its budget (OsmLoadOptions::max_memory_bytes) before reading any node.
#include <cstdint>
#include <filesystem>
#include <string>

#include "network/profile.hpp"

namespace maillage {

// What the first pass (ways only) learns about a file for one profile.
struct OsmWayCounts {
    std::uint64_t file_bytes = 0;
    std::uint64_t ways_read = 0;
    std::uint64_t routable_ways = 0;
    std::uint64_t routable_way_nodes = 0;  // node references of the routable ways, as listed
    std::uint64_t distinct_way_nodes = 0;  // distinct nodes among them
};

// The peak memory load_osm adds to the process calling it (its own arrays, libosmium's
// buffers, the graph clean-up), not what the process held before (`maillage info` holds
// about 90 MB for the Vienne study first). Calibrated in osm_memory_estimate.cpp:
//     bytes = 10 MB + 31 × U + 400 × (R − U)
// with R = routable_way_nodes, U = distinct_way_nodes.
[[nodiscard]] std::uint64_t osm_build_memory_bytes(const OsmWayCounts& counts);

struct OsmMemoryEstimate {
    OsmWayCounts counts;
    std::uint64_t peak_bytes = 0;  // osm_build_memory_bytes(counts)
};

// Reads the ways of `file` (not its nodes) and estimates the peak memory of load_osm on it.
// Throws InputError as load_osm does for a missing, unreadable or truncated file.
[[nodiscard]] OsmMemoryEstimate estimate_osm_memory(const std::filesystem::path& file, const Profile& profile);

// "1.2 GB" (decimal gigabytes, one decimal; "0.05 GB" below 0.1).
[[nodiscard]] std::string format_gigabytes(std::uint64_t bytes);

}  // namespace maillage
