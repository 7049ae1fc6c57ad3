#pragma once
// Fast heuristics for the location problems of location_problem.hpp, and the evaluation
// helpers behind `evaluate` (evaluate.cpp). Everything here is deterministic: ties are broken
// by the smaller candidate index, and every Solution's `objective` is recomputed by `evaluate`.
//
//  - MCLP: greedy with lazy evaluation (CELF). Coverage is submodular, so a candidate's gain
//    never increases as sites are added: the heap holds upper bounds and only its top is
//    re-evaluated. The answer is exactly the plain greedy's (same ties), at a fraction of the
//    cost. Guarantee: gain over the fixed sites ≥ (1 − 1/e) × the optimal gain.
//  - LSCP: the same greedy until `coverage_share` of the weight is covered, then redundant
//    sites dropped (latest chosen first).
//  - p-median: greedy (largest reduction of Σ w·t, lazily), then Teitz–Bart vertex substitution
//    with Whitaker's fast interchange (nearest and second-nearest open site per demand unit):
//    best improving swap per pass, until none improves.
//  - CMCLP: greedy on the max-flow objective with lazy evaluation (re-evaluate the top until
//    it is fresh).
// A greedy stops early, with fewer than k sites, when no candidate improves the objective
// (every coverable demand unit is covered, or every one is at its nearest candidate).
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "optimise/location_problem.hpp"

namespace maillage::optimise {

// ---------------------------------------------------------------------------------------
// Evaluation helpers (evaluate.cpp)

// Open sites: fixed ones and `chosen` (duplicates allowed). Throws std::invalid_argument on a
// candidate out of range.
std::vector<bool> open_sites(const LocationProblem& problem, std::span<const std::uint32_t> chosen);

// Weight of the demand units reaching an open site within `max_time` (t ≤ max_time).
double covered_weight(const LocationProblem& problem, Seconds max_time, const std::vector<bool>& open);

// Σ weight × minutes to the nearest open site; `unreachable_penalty` for a unit reaching none.
double weighted_minutes(const LocationProblem& problem, Seconds unreachable_penalty, const std::vector<bool>& open);

// Capacitated coverage: the largest weight assignable to open sites within `max_time`, each
// site j serving at most capacity(j) (no limit when the problem is not capacitated). A max
// flow (Boost push-relabel) source → demand i (w_i) → open j with t_ij ≤ T (w_i) → sink (C_j),
// on integers: weights and capacities are scaled by kFlowScale (1e6: micro-inhabitants) and
// rounded, the scale lowered when the total weight would exceed 1e17 units, so the value is
// exact for those rounded data and within n × 0.5e-6 of the real-valued optimum.
struct CapacitatedAssignment {
    double assigned = 0;          // total weight assigned
    std::vector<double> load;     // per candidate (all candidates; 0 when closed)
};
inline constexpr double kFlowScale = 1e6;
CapacitatedAssignment assign_capacitated(const LocationProblem& problem, Seconds max_time,
                                         const std::vector<bool>& open);

// LSCP target test: covered ≥ share × total, up to a relative 1e-9 of the total weight (sums
// in different orders differ in the last bits; share = 1 must be reachable).
bool reaches_share(double covered, double total_weight, double share);

// ---------------------------------------------------------------------------------------
// Heuristics

Solution greedy_mclp(const LocationProblem& problem, const SolveOptions& options);
Solution greedy_lscp(const LocationProblem& problem, const SolveOptions& options);
Solution pmedian_heuristic(const LocationProblem& problem, const SolveOptions& options);
Solution greedy_cmclp(const LocationProblem& problem, const SolveOptions& options);

// The greedy MCLP's nested answers for k = 0..k_max: point k holds the k-th site added, the
// weight covered by the fixed sites and the first k added (equal to greedy_mclp with k, bit for
// bit) and that site's marginal gain. Point 0: fixed sites only, `added` = kNoCandidate,
// marginal 0. Stops before k_max when no candidate adds coverage.
inline constexpr std::uint32_t kNoCandidate = std::numeric_limits<std::uint32_t>::max();
struct CurvePoint {
    std::size_t k = 0;
    std::uint32_t added = kNoCandidate;
    double covered = 0;
    double marginal = 0;
};
std::vector<CurvePoint> coverage_curve(const LocationProblem& problem, const SolveOptions& options, std::size_t k_max);

// Dispatch on options.objective; fills `seconds`.
Solution solve_heuristic(const LocationProblem& problem, const SolveOptions& options);

}  // namespace maillage::optimise
