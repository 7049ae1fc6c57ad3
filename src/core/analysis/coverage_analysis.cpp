#include "analysis/coverage_analysis.hpp"

#include "analysis/defaults.hpp"
#include "output/feature.hpp"
#include "util/errors.hpp"

namespace maillage {

SiteCatchments parse_site_catchments(const std::string& text) {
    if (text == "auto") return SiteCatchments::automatic;
    if (text == "all") return SiteCatchments::all;
    if (text == "none") return SiteCatchments::none;
    throw UsageError("--site-catchments '" + text + "': expected auto, all or none");
}

ResolvedCoverageParameters resolve(const CoverageParameters& p, const Workspace& workspace) {
    ResolvedCoverageParameters r;
    r.category = workspace.catalogue().require(p.category, workspace.catalogue().file(), "", "category");
    r.bands_minutes = p.bands_minutes.empty() ? r.category.bands_min : p.bands_minutes;
    r.gap_threshold_minutes = p.gap_threshold_minutes ? *p.gap_threshold_minutes
                                                      : defaults::gap_threshold_minutes(r.bands_minutes);
    r.catchments = p.catchments;
    r.cell_size = p.cell_size ? *p.cell_size : defaults::catchment_cell_size(workspace.network().info());
    r.site_catchments = p.site_catchments;
    return r;
}

CoverageReport CoverageAnalysis::report(const Territory& territory) const {
    CoverageReport r;
    r.category = parameters.category.key;
    r.category_label = parameters.category.label_fr;
    r.travel_time_source = travel_time_source;
    r.territory = &territory;
    r.result = &result;
    r.tables = &tables;
    r.gaps = &gaps;
    r.catchments = catchments ? &*catchments : nullptr;
    r.metadata = metadata;
    r.warnings = warnings;
    return r;
}

CoverageAnalysis run_coverage(const Workspace& workspace, const ResolvedCoverageParameters& parameters,
                              const std::vector<const ServiceSite*>& sites, Provenance provenance) {
    Diagnostics diagnostics;
    AttachedSites attached = attach_sites(workspace.network(), sites, diagnostics);
    CoverageResult result =
        compute_coverage(workspace.network(), workspace.demand(), workspace.demand_attachments(), std::move(attached));
    result.diagnostics = std::move(diagnostics);
    return finish_coverage(workspace, parameters, std::move(result), std::move(provenance));
}

CoverageAnalysis finish_coverage(const Workspace& workspace, const ResolvedCoverageParameters& parameters,
                                 CoverageResult result, Provenance provenance) {
    CoverageAnalysis a;
    a.parameters = parameters;
    a.travel_time_source = to_string(workspace.network().info().source);
    a.result = std::move(result);
    const auto& key = parameters.category.key;
    if (a.result.sites.empty()) a.warnings.push_back("no site of category '" + key + "' in the study: nobody is covered");
    for (const auto& w : workspace.warnings()) a.warnings.push_back(w);
    for (const auto& w : a.result.diagnostics.warnings()) a.warnings.push_back(w.text());
    a.tables = aggregate_coverage(workspace.territory(), workspace.demand(), a.result, parameters.bands_minutes);
    a.gaps = find_gaps(workspace.territory(), workspace.demand(), a.result, parameters.gap_threshold_minutes);
    if (parameters.catchments) {
        CatchmentOptions co;
        for (double b : parameters.bands_minutes) co.bands.push_back(minutes(b));
        const TimeGrid& grid = workspace.grid(parameters.cell_size);
        co.cell_size = Metres(grid.cell_size());
        co.threads = defaults::worker_threads();
        const std::size_t n = a.result.sites.size();
        co.per_site = parameters.site_catchments == SiteCatchments::all ||
                      (parameters.site_catchments == SiteCatchments::automatic && n <= defaults::kMaxAutomaticSiteCatchments);
        if (parameters.site_catchments == SiteCatchments::automatic && !co.per_site)
            a.warnings.push_back("per-site catchments left out: " + std::to_string(n) + " sites, more than " +
                                 std::to_string(defaults::kMaxAutomaticSiteCatchments) +
                                 " (the covered and not-covered areas are written; --site-catchments all draws one "
                                 "polygon per site and band, minutes and hundreds of MB at this size)");
        if (!co.per_site) provenance.set_parameter("site_catchments", "left out");
        a.catchments = build_catchments(workspace.network(), grid, a.result.sites, *workspace.territory().study_area, co,
                                        &workspace.catchment_cache());
    }
    if (!a.warnings.empty()) provenance.set_parameter("warnings", a.warnings);
    provenance.set_parameter("category", key);
    provenance.set_parameter("bands_minutes", parameters.bands_minutes);
    provenance.set_parameter("gap_threshold_minutes", parameters.gap_threshold_minutes);
    if (a.catchments) provenance.set_parameter("catchment_cell_size_m", round_to(a.catchments->cell_size_m, 1));
    a.metadata = provenance.to_json();
    return a;
}

}  // namespace maillage
