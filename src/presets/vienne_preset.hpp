#pragma once
// The Vienne default of the front ends (CLI, tests, benchmarks): which files of the data
// cache make the study when the user names none, and where the geodata directory is.
// The library never looks these up itself: a front end passes them in.
#include <filesystem>
#include <string>

#include "services/service_loader.hpp"
#include "territory/territory_sources.hpp"

namespace maillage::presets {

// --geodata, else $MAILLAGE_GEODATA, else <source dir>/geodata.
std::filesystem::path resolve_geodata_dir(const std::string& from_option);

// --web-dir, else <source dir>/web: the page of `maillage serve`.
std::filesystem::path resolve_web_dir(const std::string& from_option);

// Communes of Vienne (cog 2026), population and EPCI, the provisional territory table.
// Throws InputError telling to fill the cache when a file is missing.
TerritorySources vienne_territory(const std::filesystem::path& geodata_dir);

// Vienne and every commune of the 7 neighbouring départements within 20 km (cog 2018): where
// BPE counts of communes beyond a study sit.
std::filesystem::path vienne_neighbour_communes(const std::filesystem::path& geodata_dir);

// The population (COG 2026) of every commune of that layer, built by scripts/fetch-geodata.sh
// from @etalab/decoupage-administratif: the inhabitants beyond a study in the access index.
std::filesystem::path vienne_neighbour_population(const std::filesystem::path& geodata_dir);

// France Services (Vienne and neighbours) and INSEE BPE 2019 counts, with the catalogue and
// the neighbouring communes and their population above.
ServiceSources vienne_services(const std::filesystem::path& geodata_dir);

}  // namespace maillage::presets
