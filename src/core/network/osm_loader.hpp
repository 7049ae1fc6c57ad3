#pragma once
// OpenStreetMap PBF/XML → road graph (libosmium), for one profile.
#include <cstdint>
#include <filesystem>
#include <optional>

#include "graph/loaded_graph.hpp"
#include "network/profile.hpp"

namespace maillage {

struct OsmLoadOptions {
    // Refuse (InputError naming the file) before building when the build is estimated to need
    // more memory than this many bytes (see network/osm_memory_estimate.hpp). Empty: no limit.
    std::optional<std::uint64_t> max_memory_bytes;
};

// Throws InputError for unreadable / truncated files, for files without routable ways and
// when the estimated memory exceeds options.max_memory_bytes.
LoadedGraph load_osm(const std::filesystem::path& file, const Profile& profile, const OsmLoadOptions& options = {});

}  // namespace maillage
