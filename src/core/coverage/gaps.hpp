#pragma once
// Coverage gaps: communes whose inhabitants are beyond the threshold, ranked by the
// person-minutes missing (population × excess time), grouped into clusters of
// neighbouring communes so a planner sees zones, not only dots.
#include <string>
#include <vector>

#include "coverage/coverage.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct Gap {
    int rank = 0;
    std::size_t commune = 0;           // index in the territory
    double population_beyond = 0;      // inhabitants beyond the threshold
    double minutes = 0;                // population-weighted time of those inhabitants
    double excess_minutes = 0;         // minutes - threshold
    double score = 0;                  // Σ population × excess (person-minutes)
    SiteId nearest_site;               // none: no site reachable
    int cluster = 0;                   // 1-based id of the group of contiguous gap communes
};

struct GapCluster {
    int id = 0;
    std::vector<std::size_t> communes;
    double population_beyond = 0;
    double score = 0;
};

struct GapReport {
    double threshold_minutes = 0;
    std::vector<Gap> gaps;            // by score, descending; ties by INSEE code
    std::vector<GapCluster> clusters; // by score, descending
};

GapReport find_gaps(const Territory& territory, const std::vector<DemandUnit>& demand, const CoverageResult& result,
                    double threshold_minutes);

}  // namespace maillage
