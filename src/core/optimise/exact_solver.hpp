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
// Fixed candidates have y_j = 1; a demand unit an open fixed site already covers is a constant
// (no z / row); pmedian keeps only the new candidates nearer than the unit's nearest fixed site
// (that site then plays u_i's part, at its time).  The reported objective is recomputed exactly from the chosen
// set (not CBC's floating objective); `bound` is CBC's best bound in the same units.
// `time_limit_seconds` is CBC's limit on wall-clock time; CBC checks it during its search, so
// the root LP relaxation and preprocessing always complete (a large model can overrun a tiny
// limit by the LP's time). When the limit stops CBC the best integer solution found is
// answered (time_limit_reached = true; CBC starts from a simple feasible set, so there
// normally is one); with none, feasible = false and `solver` says so.
// Ties: lowest candidate indices preferred (perturbation, see exact_solver.cpp); the run is
// deterministic (one thread, fixed seeds) unless the time limit stops it.
// One solve at a time per process (CBC's driver keeps global state): calls are serialised.
// Throws std::invalid_argument for invalid options: k = 0 or above the number of new
// candidates (mclp, pmedian, cmclp), max_time ≤ 0 (lscp, mclp, cmclp), coverage_share outside
// (0, 1], a pmedian penalty not above every listed time, cmclp without capacities or with a
// negative one, a negative weight, time_limit_seconds ≤ 0.
#include "optimise/location_problem.hpp"

namespace maillage::optimise {

Solution solve_exact(const LocationProblem& problem, const SolveOptions& options);

}  // namespace maillage::optimise
