#pragma once
// The round of an itinerant service (action 2-1-3): the stops ordered into a tour from a base
// (exact by enumeration up to 9 stops, else nearest neighbour from every first stop, each
// improved by 2-opt and Or-opt), then cut
// into days whose driving time stays within a budget. Times are a matrix between the base
// (index 0) and the stops (1..n), possibly asymmetric.
#include <cstddef>
#include <vector>

namespace maillage::optimise {

struct TourDay {
    std::vector<std::size_t> stops;   // matrix indices (1..n), in visiting order
    double driving_minutes = 0;       // base → stops → base
};

struct Tour {
    std::vector<std::size_t> order;   // matrix indices of the stops, in visiting order
    double driving_minutes = 0;       // one loop base → all stops → base
    bool exact = false;               // order proven shortest (enumeration)
    std::vector<TourDay> days;
};

// `minutes[a][b]`: driving time from a to b; index 0 is the base. A day drives at most
// `day_budget_minutes` and makes at most `max_stops_per_day` stops; a stop farther than the
// budget allows (there and back) gets a day of its own, which then exceeds it (said by the
// caller). Deterministic.
Tour plan_tour(const std::vector<std::vector<double>>& minutes, double day_budget_minutes, std::size_t max_stops_per_day);

// Length of base → order → base.
double loop_minutes(const std::vector<std::vector<double>>& minutes, const std::vector<std::size_t>& order);

}  // namespace maillage::optimise
