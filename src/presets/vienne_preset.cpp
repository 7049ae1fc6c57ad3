#include "presets/vienne_preset.hpp"

#include <cstdlib>

#include "util/errors.hpp"

namespace maillage::presets {

namespace fs = std::filesystem;

namespace {
void require_cached(const fs::path& file) {
    if (!fs::exists(file))
        throw InputError({file.string(), "", ""}, "the data cache is missing this file",
                         "a filled cache: run scripts/fetch-geodata.sh (or scripts/setup.sh)");
}
}  // namespace

fs::path resolve_geodata_dir(const std::string& from_option) {
    if (!from_option.empty()) return from_option;
    if (const char* env = std::getenv("MAILLAGE_GEODATA"); env && *env) return env;
    return fs::path(MAILLAGE_SOURCE_DIR) / "geodata";
}

fs::path resolve_web_dir(const std::string& from_option) {
    if (!from_option.empty()) return from_option;
    return fs::path(MAILLAGE_SOURCE_DIR) / "web";
}

TerritorySources vienne_territory(const fs::path& geodata_dir) {
    fs::path cache = geodata_dir / "cache";
    TerritorySources s;
    s.communes = cache / "vienne/boundaries/communes-86-vienne_cog2026.geojson";
    s.population = cache / "vienne/population/communes_86_cog2026_population_epci.csv";
    s.territories = geodata_dir / "territoires_solidarites_provisional.csv";
    require_cached(s.communes);
    require_cached(s.population);
    return s;
}

fs::path vienne_neighbour_communes(const fs::path& geodata_dir) {
    return geodata_dir / "cache/vienne/boundaries/communes_86_and_neighbours_in_buffer20km_cog2018.geojson";
}

fs::path vienne_neighbour_population(const fs::path& geodata_dir) {
    return geodata_dir / "cache/vienne/population/communes_86_and_neighbours_in_buffer20km_cog2026_population.csv";
}

ServiceSources vienne_services(const fs::path& geodata_dir) {
    ServiceSources s;
    s.catalogue = geodata_dir / "service_catalogue.csv";
    s.france_services = geodata_dir / "cache/vienne/services/france_services_86_and_neighbours_20240801.csv";
    s.bpe = geodata_dir / "cache/vienne/services/bpe/bpe_ens_2019_86_neighbours.csv";
    // Where BPE counts beyond Vienne sit. Not required: without it the loader warns that the
    // edge effect is not corrected.
    s.neighbour_communes = {vienne_neighbour_communes(geodata_dir)};
    // Not required either (an optional file of the cache, built when npm can fetch its package):
    // without it the access index leaves the neighbouring BPE counts out and warns.
    s.neighbour_population = {vienne_neighbour_population(geodata_dir)};
    require_cached(s.france_services);
    require_cached(s.bpe);
    return s;
}

}  // namespace maillage::presets
