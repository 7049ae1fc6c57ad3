#pragma once
// Municipalities from OpenStreetMap administrative boundaries (relations boundary=
// administrative, admin_level N), assembled into polygons by libosmium: the commune layer
// for places without an official one at hand (the Liechtenstein test extract).
#include <filesystem>
#include <vector>

#include "territory/territory.hpp"

namespace maillage {

// Code: the `ref` tag, else `ISO3166-2`, else "r<relation id>"; population from `population`.
std::vector<Commune> read_osm_communes(const std::filesystem::path& pbf, int admin_level, Diagnostics& diagnostics);

}  // namespace maillage
