#pragma once
// The coverage analysis of one category, from sites to every table, gap and catchment, as
// one owning result. The `coverage` command, scenario runs and benchmarks call this.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/workspace.hpp"
#include "coverage/aggregation.hpp"
#include "coverage/catchment.hpp"
#include "coverage/coverage_export.hpp"
#include "coverage/gaps.hpp"
#include "services/catalogue.hpp"

namespace maillage {

// Which per-site catchment polygons are drawn (the covered / not covered areas always are).
enum class SiteCatchments { automatic, all, none };  // automatic: up to defaults::kMaxAutomaticSiteCatchments sites
SiteCatchments parse_site_catchments(const std::string& text);  // "auto", "all", "none"; UsageError otherwise

struct CoverageParameters {
    std::string category;
    std::vector<double> bands_minutes;            // empty: the category's bands (catalogue)
    std::optional<double> gap_threshold_minutes;  // empty: defaults::gap_threshold_minutes
    bool catchments = true;
    std::optional<Metres> cell_size;              // empty: defaults::catchment_cell_size
    SiteCatchments site_catchments = SiteCatchments::automatic;
};

// Parameters with every default filled in (UsageError-free: the category must exist).
struct ResolvedCoverageParameters {
    ServiceCategory category;
    std::vector<double> bands_minutes;
    double gap_threshold_minutes = 0;
    bool catchments = true;
    Metres cell_size;
    SiteCatchments site_catchments = SiteCatchments::automatic;
};
ResolvedCoverageParameters resolve(const CoverageParameters& parameters, const Workspace& workspace);

struct CoverageAnalysis {
    ResolvedCoverageParameters parameters;
    std::string travel_time_source;
    CoverageResult result;
    CoverageTables tables;
    GapReport gaps;
    std::optional<CatchmentSet> catchments;
    std::vector<std::string> warnings;
    nlohmann::json metadata;   // provenance + parameters

    // A view for the writers (valid while this and the territory live).
    [[nodiscard]] CoverageReport report(const Territory& territory) const;
};

// Coverage of `sites` (SiteId = position; ties go to the smaller id). `provenance`: the
// workspace's plus whatever the caller adds (scenario, variant).
CoverageAnalysis run_coverage(const Workspace& workspace, const ResolvedCoverageParameters& parameters,
                              const std::vector<const ServiceSite*>& sites, Provenance provenance);
// The same from a coverage result already computed (e.g. kept up to date incrementally).
CoverageAnalysis finish_coverage(const Workspace& workspace, const ResolvedCoverageParameters& parameters,
                                 CoverageResult result, Provenance provenance);

}  // namespace maillage
