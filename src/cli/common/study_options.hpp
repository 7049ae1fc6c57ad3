#pragma once
// Options every analysis command shares to load the study: territory (communes,
// population, territories) and service sites. Without options: the Vienne default
// from the data cache.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analysis/defaults.hpp"
#include "analysis/study.hpp"

namespace maillage::cli {

struct StudyOptions {
    std::string geodata;
    std::string communes;
    std::string communes_layer;
    std::string population;
    std::string territories;
    std::string epci_layer;
    std::string territories_layer;
    std::vector<std::string> sites;
    std::string sites_category;
    std::string sites_crs = "EPSG:4326";
    std::string bpe;
    bool with_reference_services = false;
    bool strict = false;
    double margin_km = defaults::kMarginKm;

    void add_to(CLI::App& app);
    [[nodiscard]] TerritorySources territory_sources() const;
    [[nodiscard]] ServiceSources service_sources() const;
};

// The study the options name (the Vienne preset for what they leave out).
[[nodiscard]] StudySources study_sources(const StudyOptions& options);
// Loads it; InputErrors propagate to main().
Study load_study(const StudyOptions& options);

}  // namespace maillage::cli
