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

// What the access index counts, beyond the study's edge included when it can be (issue 12):
// the study's demand units, then the inhabitants of the neighbouring communes within the margin
// (when their population was given: ServiceSources::neighbour_population), who compete for the
// same practitioners; the sites, with the BPE counts of neighbouring communes only when that
// demand is counted (their supply shared by the study's population alone would overstate
// border communes). The index is reported for the study's units only.
struct AccessDemand {
    std::vector<DemandUnit> units;                       // the study's (Workspace::demand), then beyond the edge
    std::vector<std::optional<Attachment>> attachments;  // parallel to units; every unit beyond the edge is attached
    std::size_t study_units = 0;                         // units[0, study_units) are the study's
    std::vector<const ServiceSite*> sites;               // in the order given
    std::size_t sites_beyond_study_area = 0;             // of `sites`: outside the study area
    std::size_t neighbour_counts_left_out = 0;           // BPE counts of neighbouring communes not counted
    long long demand_beyond_study_area = 0;              // inhabitants of the units beyond the edge
    std::vector<std::string> warnings;                   // what is not corrected, and why
};
AccessDemand access_demand(const Workspace& workspace, const std::vector<const ServiceSite*>& sites);

struct AccessVariant {
    std::string name;          // "all", "age_max_60", or a scenario variant's id
    E2sfcaResult result;
};

struct AccessAnalysis {
    ServiceCategory category;
    std::string travel_time_source;
    std::size_t sites = 0;
    double total_supply = 0;
    // Beyond the study's edge (AccessDemand): sites counted, BPE counts of neighbouring communes
    // left out, neighbouring communes and inhabitants counted as demand, and the part of
    // total_supply the index gives them (variant "all": Σ population × index beyond the edge;
    // with the study's Σ population × index it makes the supply of the sites reaching anybody).
    std::size_t sites_beyond_study_area = 0;
    std::size_t neighbour_counts_left_out = 0;
    std::size_t neighbour_communes_in_demand = 0;
    long long demand_beyond_study_area = 0;
    double supply_to_demand_beyond_study_area = 0;
    // Sites no demand unit reaches within the decay's last band (variant "all"): their supply
    // counts for nobody. Σ population × index over the study + supply_to_demand_beyond_study_area
    // + supply_reaching_no_demand = total_supply.
    std::size_t sites_reaching_no_demand = 0;
    double supply_reaching_no_demand = 0;
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
