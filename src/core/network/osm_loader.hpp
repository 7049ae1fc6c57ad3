#pragma once
// OpenStreetMap PBF/XML → road graph (libosmium), for one profile.
#include <filesystem>

#include "graph/loaded_graph.hpp"
#include "network/profile.hpp"

namespace maillage {

// Throws InputError for unreadable / truncated files and for files without routable ways.
LoadedGraph load_osm(const std::filesystem::path& file, const Profile& profile);

}  // namespace maillage
