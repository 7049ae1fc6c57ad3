#pragma once
// The defaults of every analysis, decided here once: the CLI commands, scenario runs,
// reports and benchmarks all take them from this file.
#include <algorithm>
#include <thread>
#include <vector>

#include "graph/loaded_graph.hpp"

namespace maillage::defaults {

// Beyond this many minutes a commune is a gap ("zone blanche"), unless the largest band is
// smaller, in which case that band is the threshold.
constexpr double kGapThresholdMinutes = 20.0;
inline double gap_threshold_minutes(const std::vector<double>& bands_minutes) {
    return bands_minutes.empty() ? kGapThresholdMinutes : std::min(kGapThresholdMinutes, bands_minutes.back());
}

// Catchment grid cells: a road network resolves streets, the estimated network only
// communes, so a finer grid there would only draw the same commune times smaller.
inline Metres catchment_cell_size(const NetworkInfo& network) {
    return Metres(network.is_estimate() ? 500.0 : 250.0);
}

// Threads for work split by site (catchments): the machine's cores. Results never depend on it.
inline unsigned worker_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

// Per-site catchment polygons cost one search and one polygon family per site: tens of
// thousands of sites take minutes and hundreds of MB (50 000 sites: 19 min, 823 MB of GeoJSON,
// 2026-11) for layers nobody reads one by one, while the covered / not covered areas (all sites
// at once, always written) say what a planner needs. Above this many sites they are left out,
// with a warning, unless asked for (SiteCatchments::all).
constexpr std::size_t kMaxAutomaticSiteCatchments = 2000;

// Sites this far outside the study area still serve it (cross-border supply).
constexpr double kMarginKm = 20.0;

// A demand grid is refused beyond this many cells (estimated before building it from the
// communes' envelopes): Vienne at 200 m is about 340 000 cells and 3 s, at 60 m 3.7 million
// and 40 s (2 cores, 2026-11); 5 million is about a 50 m grid over a département.
constexpr double kMaxDemandGridCells = 5e6;

}  // namespace maillage::defaults
