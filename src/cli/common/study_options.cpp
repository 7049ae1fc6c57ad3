#include "cli/common/study_options.hpp"

#include "cli/common/number_checks.hpp"
#include "presets/vienne_preset.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

void StudyOptions::add_to(CLI::App& app) {
    app.add_option("--geodata", geodata, "Geodata directory (default: $MAILLAGE_GEODATA or the source tree's geodata/)");
    app.add_option("--communes", communes, "Commune polygons, any OGR format (default: Vienne, cog 2026)");
    app.add_option("--communes-layer", communes_layer, "Layer of --communes (default: the first)");
    app.add_option("--population", population,
                   "CSV joined on the INSEE code: population, epci_siren, epci_nom, anciens_codes");
    app.add_option("--territories", territories,
                   "Territory table: epci_siren or code_insee, territory_id, territory_name "
                   "(default: geodata/territoires_solidarites_provisional.csv)");
    app.add_option("--epci-layer", epci_layer, "EPCI polygons (fields epci_siren/siren/code and nom): communes join by location");
    app.add_option("--territories-layer", territories_layer,
                   "Territoire des solidarités polygons (fields territory_id/code and nom): communes join by location");
    app.add_option("--sites", sites, "Service sites file (CSV lon/lat or x/y, GeoJSON, GPKG); repeatable");
    app.add_option("--category", sites_category, "Category of every site in --sites (see geodata/service_catalogue.csv)");
    app.add_option("--crs", sites_crs, "CRS of x/y columns in CSV site files");
    app.add_option("--bpe", bpe, "INSEE BPE counts per commune (default: BPE 2019 from the cache)");
    app.add_flag("--with-reference-services", with_reference_services,
                 "With --sites, also load France Services and BPE reference files");
    app.add_flag("--strict", strict, "Invalid polygons are errors instead of being repaired");
    app.add_option("--margin-km", margin_km, "Sites this far outside the study area still serve it")
        ->check(non_negative_number());
}

TerritorySources StudyOptions::territory_sources() const {
    auto dir = presets::resolve_geodata_dir(geodata);
    TerritorySources s;
    if (communes.empty()) {
        s = presets::vienne_territory(dir);
    } else {
        s.communes = communes;
        s.communes_layer = communes_layer;
    }
    if (!population.empty()) s.population = population;
    if (!territories.empty()) s.territories = territories;
    if (!territories_layer.empty() && territories.empty()) s.territories.clear();  // the layer replaces the default table
    s.epci_layer = epci_layer;
    s.territories_layer = territories_layer;
    s.strict = strict;
    return s;
}

ServiceSources StudyOptions::service_sources() const {
    auto dir = presets::resolve_geodata_dir(geodata);
    ServiceSources s;
    bool reference = sites.empty() || with_reference_services;
    if (reference && communes.empty()) s = presets::vienne_services(dir);
    s.catalogue = dir / "service_catalogue.csv";
    if (!bpe.empty()) s.bpe = bpe;
    for (const auto& f : sites) s.site_files.push_back({f, sites_category, sites_crs, ""});
    s.margin_m = margin_km * 1000.0;
    return s;
}

StudySources study_sources(const StudyOptions& options) {
    return {options.territory_sources(), options.service_sources()};
}

Study load_study(const StudyOptions& options) { return maillage::load_study(study_sources(options)); }

}  // namespace maillage::cli
