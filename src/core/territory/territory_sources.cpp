#include "territory/territory_sources.hpp"

#include <cstdlib>

#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

TerritorySources vienne_default_territory(const fs::path& geodata_dir) {
    fs::path cache = geodata_dir / "cache";
    TerritorySources s;
    s.communes = cache / "vienne/boundaries/communes-86-vienne_cog2026.geojson";
    s.population = cache / "vienne/population/communes_86_cog2026_population_epci.csv";
    s.territories = geodata_dir / "territoires_solidarites_provisional.csv";
    require_cached(s.communes);
    require_cached(s.population);
    return s;
}

void require_cached(const fs::path& file) {
    if (!fs::exists(file))
        throw InputError({file.string(), "", ""}, "the data cache is missing this file",
                         "a filled cache: run scripts/fetch-geodata.sh (or scripts/setup.sh)");
}

fs::path resolve_geodata_dir(const std::string& from_option) {
    if (!from_option.empty()) return from_option;
    if (const char* env = std::getenv("MAILLAGE_GEODATA"); env && *env) return env;
    return fs::path(MAILLAGE_SOURCE_DIR) / "geodata";
}

}  // namespace maillage
