#pragma once
// The access index (APL-style E2SFCA, with retirement variants) and equipment rates as
// owning results, with their writers. The `access` command and scenario runs call these.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/workspace.hpp"
#include "coverage/e2sfca.hpp"
#include "coverage/equipment_rate.hpp"
#include "services/catalogue.hpp"

namespace maillage {

// code_insee → value CSV (demand weights, target populations): InputError on a bad line.
std::map<std::string, double> read_commune_values(const std::filesystem::path& csv, const char* value_column);

struct AccessParameters {
    std::string category = "gp";
    std::vector<int> max_ages;                 // one retirement variant per age
    std::filesystem::path decay;               // empty: geodata/e2sfca_decay.csv of the workspace
    std::filesystem::path demand_weights;      // optional CSV code_insee,weight
};

struct AccessVariant {
    std::string name;          // "all", "age_max_60", or a scenario variant's id
    E2sfcaResult result;
};

struct AccessAnalysis {
    ServiceCategory category;
    std::string travel_time_source;
    std::size_t sites = 0;
    double total_supply = 0;
    std::vector<AccessVariant> variants;
    std::vector<double> commune_population;          // territory order
    std::vector<std::vector<double>> commune_access; // [variant][commune], per inhabitant
    std::vector<std::string> warnings;
    nlohmann::json metadata;
};

AccessAnalysis run_access(const Workspace& workspace, const AccessParameters& parameters,
                          const std::vector<const ServiceSite*>& sites, Provenance provenance);
// Population-weighted mean, min and max per 100 000 inhabitants, per variant.
nlohmann::ordered_json access_summary(const AccessAnalysis& analysis);
// access_communes.geojson, access.csv (+ provenance), summary.json.
void write_access_outputs(const std::filesystem::path& dir, const AccessAnalysis& analysis, const Territory& territory);

struct RateParameters {
    std::string category;
    std::string target;                          // label; empty: the catalogue's target population
    std::filesystem::path target_population;     // optional CSV code_insee,population
};

struct RateAnalysis {
    ServiceCategory category;
    RateTable table;
    std::vector<std::string> warnings;
    nlohmann::json metadata;
};

RateAnalysis run_rates(const Study& study, const RateParameters& parameters, const std::vector<const ServiceSite*>& sites,
                       Provenance provenance);
nlohmann::ordered_json rate_summary(const RateAnalysis& analysis);
// rates.csv (+ provenance), summary.json.
void write_rate_outputs(const std::filesystem::path& dir, const RateAnalysis& analysis);

}  // namespace maillage
