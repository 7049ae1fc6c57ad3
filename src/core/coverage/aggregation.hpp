#pragma once
// Coverage summed per commune, EPCI, territoire des solidarités and département.
#include <string>
#include <vector>

#include "coverage/coverage.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct AreaCoverage {
    std::string level;   // commune | epci | territory | departement
    std::string id;
    std::string name;
    double population = 0;
    std::vector<double> within_band;   // population within each band (cumulative), parallel to bands
    double unreachable = 0;            // no site reachable at all
    double beyond_last_band = 0;       // reachable, but beyond the largest band (includes unreachable)
    double mean_minutes = 0;           // population-weighted, over reachable population
    double max_minutes = 0;            // over units with population
    SiteId nearest_site;               // commune level: site of the best-placed unit (none: unreachable)
    double nearest_minutes = 0;        // commune level: time of that unit
};

struct CoverageTables {
    std::vector<double> bands_minutes;
    std::vector<AreaCoverage> communes;     // territory order
    std::vector<AreaCoverage> epcis;
    std::vector<AreaCoverage> territories;
    AreaCoverage departement;
};

CoverageTables aggregate_coverage(const Territory& territory, const std::vector<DemandUnit>& demand,
                                  const CoverageResult& result, const std::vector<double>& bands_minutes);

}  // namespace maillage
