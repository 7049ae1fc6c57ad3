#pragma once
// The graph cache: a network built once (`maillage network build`) and read back by every
// command in well under a second (`--network graph:FILE.mgraph`), like osrm-extract's output.
// The file holds the graph, its reverse, the spatial indexes, the cut-off roads, the
// provenance of the build and, when asked for, a contraction hierarchy (PHAST searches); its arrays are memory-mapped and used in place, so a process reads
// only the pages it touches and several processes on one machine share them.
//
// A cache is used only when it is what a fresh build would give: same file format and
// engine, same profile name and profile file (sha256), and — when the source file is still
// at its recorded path — the same source (size and time, else its sha256). Anything else is
// refused with the reason and the command to rebuild it; never silently used.
#include <cstdint>
#include <filesystem>
#include <string>

#include "graph/loaded_graph.hpp"
#include "util/provenance.hpp"

namespace maillage {

// Bump when the meaning of a cached graph changes (a loader, the clean-up, the layout):
// older caches are then refused as stale.
constexpr std::uint32_t kGraphCacheFormat = 2;  // 2: an optional contraction hierarchy

struct GraphCacheExpectation {
    std::string profile;                  // the profile the command asks for
    std::filesystem::path geodata_dir;    // where that profile's file is read from
};

// Writes `graph` (routing parts built first if missing) and the network part of
// `provenance` (what load_network_graph recorded) to `path`, atomically.
void write_graph_cache(const std::filesystem::path& path, LoadedGraph& graph, const Provenance& provenance);

// Reads a cache written by write_graph_cache, checked against `expected`; replays its
// provenance into `provenance`. InputError naming the file when foreign, stale or damaged.
LoadedGraph read_graph_cache(const std::filesystem::path& path, const GraphCacheExpectation& expected,
                             Provenance& provenance);

}  // namespace maillage
