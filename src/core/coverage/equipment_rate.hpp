#pragma once
// Equipment rates: capacity per 1 000 inhabitants of a target population, per EPCI,
// territory and département (action sheet 1-5-2: places "according to the equipment
// rate and the number of elderly people").
#include <map>
#include <string>
#include <vector>

#include "services/service.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct RateRow {
    std::string level;   // epci | territory | departement
    std::string id;
    std::string name;
    double capacity = 0;        // places when known, else equipment count
    double target_population = 0;
    double per_1000 = 0;
    std::size_t sites = 0;
};

struct RateTable {
    std::string capacity_measure;     // "places" or "equipment count (places unknown)"
    std::string denominator;          // what the target population is
    std::vector<RateRow> rows;
};

// `target_by_commune`: population of the target group per INSEE code; empty = total population.
RateTable equipment_rates(const Territory& territory, const std::vector<const ServiceSite*>& sites,
                          const std::map<std::string, double>& target_by_commune, const std::string& target_label);

}  // namespace maillage
