#pragma once
// Runs a scenario: loads the study and the network once, computes the baseline, then each
// variant from the baseline — coverage incrementally (only what a change touches is
// searched again), the access index and equipment rates on the variant's sites — and
// compares every variant with the baseline. Front ends write the result with
// write_scenario_outputs (all or nothing).
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/access_analysis.hpp"
#include "analysis/coverage_analysis.hpp"
#include "scenario/optimise_runner.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario/site_changes.hpp"

namespace maillage {

// What a front end decides: the default study (called only when the scenario names no
// communes), where geodata/ (catalogue, profiles, estimate parameters) is, and the memory
// budget of an OSM network build (OsmLoadOptions::max_memory_bytes: the CLI's --max-memory,
// else the machine's memory; the library never looks it up itself). Empty: no limit.
struct ScenarioContext {
    std::function<StudySources()> default_study;
    std::filesystem::path geodata_dir;
    std::optional<std::uint64_t> max_memory_bytes = std::nullopt;
};

// Département-level figures of one coverage state, for the effect of each change.
struct CoverageFigures {
    std::vector<double> within_band;   // population within each band
    double beyond_gap = 0;             // population beyond the gap threshold (unreachable included)
    double person_minutes = 0;         // Σ population × minutes over reachable population
    double unreachable = 0;
};
CoverageFigures coverage_figures(const std::vector<DemandUnit>& demand, const std::vector<UnitResult>& units,
                                 const std::vector<double>& bands_minutes, double gap_threshold_minutes);

// The effect of one change on one coverage analysis (variant figures after minus before).
struct ChangeEffect {
    std::size_t change = 0;            // index in VariantSites::changes
    CoverageFigures before, after;
    double milliseconds = 0;           // time the incremental update took (not in outputs: not deterministic)
};

struct VariantOutcome {
    std::string id;                    // "baseline" for the baseline
    std::string title;
    VariantSites sites;
    std::vector<CoverageAnalysis> coverage;              // parallel to spec.coverage
    std::vector<std::vector<ChangeEffect>> effects;      // parallel to spec.coverage
    std::vector<AccessAnalysis> access;                  // parallel to spec.access
    std::vector<RateAnalysis> rates;                     // parallel to spec.rates
};

struct ScenarioOutcome {
    ScenarioSpec spec;
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<SiteFactory> factory;   // owns the sites the scenario made
    std::vector<ResolvedCoverageParameters> coverage_parameters;
    std::vector<AppliedChange> baseline_additions;
    VariantOutcome baseline;
    std::vector<VariantOutcome> variants;   // the scenario's, then one per optimisation
    std::vector<OptimiseOutcome> optimisations;
    std::vector<std::string> warnings;
    Provenance provenance;                  // workspace + scenario files + scenario parameters
};

// The study sources a scenario names, over the default study.
StudySources scenario_study_sources(const ScenarioSpec& spec, const ScenarioContext& context);
// The network and demand a scenario names.
WorkspaceOptions scenario_workspace_options(const ScenarioSpec& spec, const ScenarioContext& context);

// Loads, checks every change against the study (no network, nothing computed): what
// `maillage check --study` does. Throws InputError at the first bad change.
void resolve_scenario(const ScenarioSpec& spec, const ScenarioContext& context);

ScenarioOutcome run_scenario(const ScenarioSpec& spec, const ScenarioContext& context);

// comparison.json content (deterministic).
nlohmann::ordered_json scenario_comparison(const ScenarioOutcome& outcome);
// comparison.csv rows: variant, analysis, category, level, id, name, measure, baseline, variant_value, delta.
std::vector<std::vector<std::string>> scenario_comparison_rows(const ScenarioOutcome& outcome);

// DIR/scenario.json, DIR/comparison.json, DIR/comparison.csv (+ provenance),
// DIR/{baseline,VARIANT}/{coverage,access,rates}/CATEGORY/…, DIR/optimise/ID/…, written all or nothing.
// `before_commit` (optional) is called with the staging directory once every file is in it:
// a front end adds files derived from the outputs (the report) to the same all-or-nothing set.
void write_scenario_outputs(const std::filesystem::path& dir, const ScenarioOutcome& outcome,
                            const std::function<void(const std::filesystem::path&)>& before_commit = {});

}  // namespace maillage
