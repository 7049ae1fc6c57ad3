#pragma once
// The exact solver: each objective written as a mixed-integer program and solved by COIN-OR
// CBC (branch and cut), in-process, one thread, no output. CBC stays out of this header.
//
//   lscp     min Σ_{new j} y_j  s.t.  every demand unit of weight > 0 within max_time of an
//            open site (coverage_share = 1), or  Σ w_i z_i ≥ share × Σ w_i  with binary z_i ≤
//            Σ_{j within max_time} y_j.  Infeasible (feasible = false, `uncoverable` listed,
//            CBC not called) when the demand units no candidate reaches make the target
//            impossible.  objective = number of new sites.
//   mclp     max Σ w_i z_i,  z_i ≤ Σ_{j: t_ij ≤ T} y_j,  Σ_{new j} y_j = k.  objective = weight
//            within max_time of an open site (fixed sites included).
//   pmedian  min Σ_i w_i (Σ_j t_ij x_ij + penalty u_i),  Σ_j x_ij + u_i = 1,  x_ij ≤ y_j,
//            Σ_{new j} y_j = k (minutes).  objective = Σ weight × minutes to the nearest open
//            site (the penalty for a demand unit reaching none).
//   cmclp    max Σ_ij w_i x_ij,  Σ_j x_ij ≤ 1,  x_ij ≤ y_j (t_ij ≤ T only),  Σ_i w_i x_ij ≤ C_j y_j,
//            Σ_{new j} y_j = k.  objective = weight assigned; `load` per candidate.
// Fixed candidates have y_j = 1.  The reported objective is recomputed exactly from the chosen
// set (not CBC's floating objective); `bound` is CBC's best bound in the same units.
// When the time limit stops CBC the best integer solution found is answered
// (time_limit_reached = true); with none, feasible = false and `solver` says so.
// Throws std::invalid_argument for invalid options (k = 0 or above the number of new
// candidates, max_time ≤ 0, coverage_share outside (0, 1], a pmedian penalty not above every
// listed time, cmclp without capacities, negative weights).
#include "optimise/location_problem.hpp"

namespace maillage::optimise {

Solution solve_exact(const LocationProblem& problem, const SolveOptions& options);

}  // namespace maillage::optimise
