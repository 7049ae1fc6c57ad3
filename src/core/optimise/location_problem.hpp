#pragma once
// Location-allocation: where to put the next sites. A problem is demand units (weights:
// inhabitants) and candidate places, with the travel time from each demand unit to each
// candidate it can reach; existing sites are candidates marked `fixed` (always open).
// Built from a Workspace by optimise/problem_builder; solved by the heuristics (fast) or
// exactly by CBC (optimise/exact_solver), with the same Solution type.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "util/units.hpp"

namespace maillage::optimise {

struct Reachable {
    std::uint32_t candidate = 0;
    Seconds time;
};

class LocationProblem {
public:
    // `pairs_by_demand[i]`: the candidates demand unit i reaches (within the problem's time
    // bound), any order; stored sorted by (time, candidate).
    LocationProblem(std::vector<double> weights, std::vector<std::vector<Reachable>> pairs_by_demand,
                    std::vector<bool> fixed, std::vector<double> capacities = {});

    [[nodiscard]] std::size_t demand_count() const { return weights_.size(); }
    [[nodiscard]] std::size_t candidate_count() const { return fixed_.size(); }
    [[nodiscard]] double weight(std::size_t i) const { return weights_[i]; }
    [[nodiscard]] double total_weight() const { return total_weight_; }
    [[nodiscard]] std::span<const Reachable> reachable(std::size_t i) const {
        return {pairs_.data() + first_[i], first_[i + 1] - first_[i]};
    }
    [[nodiscard]] bool fixed(std::size_t j) const { return fixed_[j]; }
    [[nodiscard]] bool capacitated() const { return !capacities_.empty(); }
    [[nodiscard]] double capacity(std::size_t j) const { return capacities_.at(j); }
    // Demand units reaching candidate j (transposed), sorted by (time, demand).
    [[nodiscard]] std::span<const std::uint32_t> demand_of(std::size_t j) const {
        return {by_candidate_.data() + candidate_first_[j], candidate_first_[j + 1] - candidate_first_[j]};
    }
    [[nodiscard]] Seconds time_from_candidate_list(std::size_t i, std::size_t j) const;  // infinity if not reachable

private:
    std::vector<double> weights_;
    double total_weight_ = 0;
    std::vector<std::uint32_t> first_;
    std::vector<Reachable> pairs_;
    std::vector<bool> fixed_;
    std::vector<double> capacities_;
    std::vector<std::uint32_t> candidate_first_;
    std::vector<std::uint32_t> by_candidate_;
};

enum class Objective {
    lscp,     // fewest new sites so that `coverage_share` of the weight is within max_time
    mclp,     // k new sites maximising the weight within max_time
    pmedian,  // k new sites minimising the weighted mean time to the nearest open site
    cmclp,    // capacitated MCLP: each open site serves at most its capacity, within max_time
};
const char* to_string(Objective o);

struct SolveOptions {
    Objective objective = Objective::mclp;
    std::size_t k = 1;                       // new sites (mclp, pmedian, cmclp)
    Seconds max_time = minutes(30);          // covering threshold T (lscp, mclp, cmclp)
    double coverage_share = 1.0;             // lscp: share of the total weight to cover, (0, 1]
    // pmedian: time charged to a demand unit that reaches no open site (its pairs list is
    // bounded); must exceed every listed time.
    Seconds unreachable_penalty = minutes(600);
    double time_limit_seconds = 60.0;        // exact solver: stop and answer the best found
};

struct Solution {
    std::string solver;                      // "greedy", "greedy+teitz-bart", "cbc", ...
    std::vector<std::uint32_t> chosen;       // new (non-fixed) candidates; heuristics: in order of choice
    std::vector<double> marginal_gain;       // heuristics: objective gain of each chosen site, in order
    bool feasible = true;                    // lscp: false when the share cannot be reached
    double objective = 0;                    // lscp: sites; mclp/cmclp: weight covered (fixed sites included);
                                             // pmedian: Σ weight × minutes
    std::optional<double> bound;             // proven bound (exact solver)
    bool proven_optimal = false;
    bool time_limit_reached = false;
    double seconds = 0;                      // solving time (not written to outputs: not deterministic)
    std::vector<double> load;                // cmclp: weight assigned to each candidate (all candidates)
    // lscp infeasible (feasible = false): the demand units with weight > 0 that no candidate
    // reaches within max_time, ascending; empty otherwise.
    std::vector<std::uint32_t> uncoverable;
    [[nodiscard]] std::optional<double> gap() const;  // |objective − bound| / |bound| when bound known
};

// Objective value of a set of new candidates (fixed ones always open), as each solver reports
// it: the referee for tests and for comparing heuristic and exact answers. cmclp: an optimal
// assignment of demand to the open sites (max flow), not a greedy one.
double evaluate(const LocationProblem& problem, const SolveOptions& options, std::span<const std::uint32_t> chosen);

}  // namespace maillage::optimise
