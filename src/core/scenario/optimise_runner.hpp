#pragma once
// Location-allocation on a loaded study: candidates and demand from the workspace, the travel
// times between them from the network, the problem solved by the heuristic and/or exactly
// (CBC), and the answer turned into a variant (the chosen sites added) so that it is compared
// with the baseline like any other variant.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/workspace.hpp"
#include "optimise/heuristics.hpp"
#include "optimise/location_problem.hpp"
#include "optimise/tour.hpp"
#include "scenario/site_changes.hpp"
#include "scenario/scenario_spec.hpp"

namespace maillage {

struct Candidate {
    std::string id;
    std::string name;
    Point2 position;
    std::string commune_code;               // where it is (empty: outside the study area)
    LocationPrecision precision = LocationPrecision::exact;
    const ServiceSite* existing = nullptr;  // an existing site (fixed, or free to be dropped)
    double capacity = 0;                    // cmclp
};

struct OptimiseOutcome {
    OptimiseSpec spec;
    std::vector<std::string> demand_ids;            // per demand unit (problem rows)
    std::vector<std::string> demand_communes;
    std::vector<Candidate> candidates;
    std::optional<optimise::LocationProblem> problem;
    optimise::SolveOptions options;
    std::optional<optimise::Solution> heuristic;
    std::optional<optimise::Solution> exact;
    std::vector<optimise::CurvePoint> curve;
    std::vector<std::string> uncoverable_communes;   // lscp: farther than T from every candidate (INSEE codes)
    // The answer: the chosen new candidates in rank order (greedy order of marginal gain) with
    // the gain of each, and which solver gave it.
    std::vector<std::uint32_t> ranked;
    std::vector<double> ranked_gain;
    std::string answered_by;
    std::vector<std::string> notes;
    Variant variant;                                // the answer as changes on the baseline
    // itinerant: the people counted (beyond the threshold of every site), the base and the tour
    // (matrix index 0 = base, i = ranked stop i − 1).
    double population_beyond = 0;
    Candidate base;
    std::optional<optimise::Tour> tour;
    std::vector<std::vector<double>> tour_minutes;
    // access: the threshold and the population below it before and after the chosen installations.
    double threshold_per_100k = 0;
    double population_below_before = 0, population_below_after = 0;
};

// Builds and solves; `baseline`: the baseline's sites by category. InputError at the
// spec's line for bad input (no candidate, k larger than the candidates, unknown EPCI...).
OptimiseOutcome run_optimise(const Workspace& workspace, const OptimiseSpec& spec, const SitesByCategory& baseline);

// What can be checked without the network (category, areas, base, candidate count against k):
// `maillage check` and run_optimise both call it. InputError at the item's line.
void validate_optimise(const Study& study, const OptimiseSpec& spec, const SitesByCategory& baseline);

// chosen_sites.geojson, curve.csv (+ provenance), summary.json into `dir`.
nlohmann::ordered_json optimise_summary(const OptimiseOutcome& outcome, const Territory& territory);
void write_optimise_outputs(const std::filesystem::path& dir, const OptimiseOutcome& outcome, const Territory& territory,
                            const nlohmann::json& metadata);

}  // namespace maillage
