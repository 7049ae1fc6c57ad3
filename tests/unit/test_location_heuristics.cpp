// evaluate() and the location heuristics (optimise/heuristics): tiny instances solved by hand,
// then ~300 random small instances against brute force over every subset of new sites.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <functional>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "optimise/heuristics.hpp"
#include "optimise/location_problem.hpp"

using namespace maillage;
using namespace maillage::optimise;

namespace {

struct Pair {
    std::uint32_t candidate;
    double minutes;
};

LocationProblem make_problem(std::vector<double> weights, const std::vector<std::vector<Pair>>& pairs,
                             std::vector<bool> fixed, std::vector<double> capacities = {}) {
    std::vector<std::vector<Reachable>> lists;
    for (const auto& row : pairs) {
        auto& list = lists.emplace_back();
        for (const Pair& p : row) list.push_back({p.candidate, minutes(p.minutes)});
    }
    return LocationProblem(std::move(weights), std::move(lists), std::move(fixed), std::move(capacities));
}

SolveOptions options_for(Objective o, std::size_t k, double max_minutes) {
    SolveOptions options;
    options.objective = o;
    options.k = k;
    options.max_time = minutes(max_minutes);
    options.unreachable_penalty = minutes(120);
    return options;
}

std::vector<std::uint32_t> ids(std::initializer_list<std::uint32_t> list) { return list; }

// Portable random numbers (the standard distributions differ between libraries).
struct Rng {
    std::mt19937_64 engine;
    explicit Rng(std::uint64_t seed) : engine(seed) {}
    double u01() { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }
    double uniform(double a, double b) { return a + (b - a) * u01(); }
    std::size_t between(std::size_t a, std::size_t b) { return a + static_cast<std::size_t>(engine() % (b - a + 1)); }
    bool chance(double p) { return u01() < p; }
};

struct RandomInstance {
    LocationProblem problem;
    std::size_t k;
    double max_minutes;
    bool capacitated;
};

// 3–12 demand units, 2–9 candidates (some fixed), points in a 30 km square, times at 40 km/h
// with a random detour, pairs kept up to 45 minutes (some dropped), whole minutes for half the
// instances (ties), weights with a skew, capacities for half of them.
RandomInstance random_instance(Rng& rng) {
    const std::size_t n = rng.between(3, 12), m = rng.between(2, 9);
    const bool whole_minutes = rng.chance(0.5);
    std::vector<std::pair<double, double>> demand(n), sites(m);
    for (auto& p : demand) p = {rng.uniform(0, 30), rng.uniform(0, 30)};
    for (auto& p : sites) p = {rng.uniform(0, 30), rng.uniform(0, 30)};
    std::vector<double> weights(n);
    for (auto& w : weights) w = std::floor(std::exp(rng.uniform(0, 7))) + (rng.chance(0.5) ? rng.u01() : 0.0);
    std::vector<std::vector<Pair>> pairs(n);
    for (std::size_t i = 0; i < n; ++i)
        for (std::uint32_t j = 0; j < m; ++j) {
            const double km = std::hypot(demand[i].first - sites[j].first, demand[i].second - sites[j].second);
            double t = km / 40.0 * 60.0 * rng.uniform(1.0, 1.5);
            if (whole_minutes) t = std::round(t);
            if (t <= 45 && !rng.chance(0.1)) pairs[i].push_back({j, t});
        }
    std::vector<bool> fixed(m, false);
    for (std::size_t j = 0; j < m; ++j) fixed[j] = rng.chance(0.2);
    fixed[rng.between(0, m - 1)] = false;  // something to choose
    const bool capacitated = rng.chance(0.5);
    double total = 0;
    for (double w : weights) total += w;
    std::vector<double> capacities;
    if (capacitated)
        for (std::size_t j = 0; j < m; ++j) capacities.push_back(std::round(rng.uniform(0.05, 0.6) * total));
    const std::size_t k = rng.between(1, 3);
    const double max_minutes = whole_minutes ? std::round(rng.uniform(5, 30)) : rng.uniform(5, 30);
    return {make_problem(std::move(weights), pairs, std::move(fixed), std::move(capacities)), k, max_minutes,
            capacitated};
}

std::vector<std::uint32_t> free_candidates(const LocationProblem& p) {
    std::vector<std::uint32_t> out;
    for (std::uint32_t j = 0; j < p.candidate_count(); ++j)
        if (!p.fixed(j)) out.push_back(j);
    return out;
}

// Every subset of the free candidates with at most `k` elements.
void for_each_subset(const LocationProblem& p, std::size_t k, const std::function<void(const std::vector<std::uint32_t>&)>& f) {
    const auto free = free_candidates(p);
    for (std::uint32_t mask = 0; mask < (1u << free.size()); ++mask) {
        if (static_cast<std::size_t>(__builtin_popcount(mask)) > k) continue;
        std::vector<std::uint32_t> set;
        for (std::size_t b = 0; b < free.size(); ++b)
            if (mask & (1u << b)) set.push_back(free[b]);
        f(set);
    }
}

double brute_max(const LocationProblem& p, const SolveOptions& o) {
    double best = -1;
    for_each_subset(p, o.k, [&](const auto& set) { best = std::max(best, evaluate(p, o, set)); });
    return best;
}
double brute_min(const LocationProblem& p, const SolveOptions& o) {
    double best = std::numeric_limits<double>::infinity();
    for_each_subset(p, o.k, [&](const auto& set) { best = std::min(best, evaluate(p, o, set)); });
    return best;
}

std::vector<bool> open_of(const LocationProblem& p, const std::vector<std::uint32_t>& chosen) {
    std::vector<bool> open(p.candidate_count());
    for (std::size_t j = 0; j < open.size(); ++j) open[j] = p.fixed(j);
    for (auto j : chosen) open[j] = true;
    return open;
}

// References written independently of evaluate.cpp (pair look-ups, no sorted-list shortcuts).
double reference_covered(const LocationProblem& p, double max_minutes, const std::vector<std::uint32_t>& chosen) {
    const auto open = open_of(p, chosen);
    double covered = 0;
    for (std::size_t i = 0; i < p.demand_count(); ++i) {
        bool reached = false;
        for (std::size_t j = 0; j < p.candidate_count(); ++j)
            if (open[j] && p.time_from_candidate_list(i, j) <= minutes(max_minutes)) reached = true;
        if (reached) covered += p.weight(i);
    }
    return covered;
}
double reference_pmedian(const LocationProblem& p, double penalty_minutes, const std::vector<std::uint32_t>& chosen) {
    const auto open = open_of(p, chosen);
    double total = 0;
    for (std::size_t i = 0; i < p.demand_count(); ++i) {
        double best = penalty_minutes;
        for (std::size_t j = 0; j < p.candidate_count(); ++j)
            if (open[j]) best = std::min(best, to_minutes(p.time_from_candidate_list(i, j)));
        total += p.weight(i) * best;
    }
    return total;
}

// Capacitated coverage by enumerating every integer assignment (integer weights and
// capacities: an optimal flow is integral).
int enumerate_assignments(const std::vector<int>& weights, const std::vector<std::vector<int>>& reach,
                          std::vector<int>& remaining, std::size_t i) {
    if (i == weights.size()) return 0;
    int best = 0;
    std::function<void(std::size_t, int, int)> split = [&](std::size_t s, int left, int assigned) {
        if (s == reach[i].size()) {
            best = std::max(best, assigned + enumerate_assignments(weights, reach, remaining, i + 1));
            return;
        }
        const int j = reach[i][s];
        for (int a = 0; a <= std::min(left, remaining[j]); ++a) {
            remaining[j] -= a;
            split(s + 1, left - a, assigned + a);
            remaining[j] += a;
        }
    };
    split(0, weights[i], 0);
    return best;
}

double tolerance(const LocationProblem& p) { return 1e-9 * std::max(p.total_weight(), 1.0); }

// The four-unit instance: A 100, B 50, C 30, D 20; candidate 3 fixed; T = 10 minutes.
LocationProblem four_units() {
    return make_problem({100, 50, 30, 20},
                        {{{0, 5}, {1, 12}}, {{1, 4}, {2, 8}}, {{2, 3}, {3, 9}}, {{0, 9}, {2, 15}}},
                        {false, false, false, true});
}

// Six units on a line at 0, 1, 2, 10, 11, 12 km, one candidate at each, 1 minute per km.
LocationProblem six_on_a_line() {
    const double x[] = {0, 1, 2, 10, 11, 12};
    std::vector<std::vector<Pair>> pairs(6);
    for (std::uint32_t i = 0; i < 6; ++i)
        for (std::uint32_t j = 0; j < 6; ++j) pairs[i].push_back({j, std::abs(x[i] - x[j])});
    return make_problem(std::vector<double>(6, 1.0), pairs, std::vector<bool>(6, false));
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Hand-solved instances

TEST(LocationHeuristicsEvaluate, HandValues) {
    const auto p = four_units();
    auto o = options_for(Objective::mclp, 1, 10);
    EXPECT_DOUBLE_EQ(evaluate(p, o, {}), 30);                // C by the fixed site
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({0})), 150);         // + A, D
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({1})), 80);          // + B (A at 12 > 10)
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({0, 1, 2})), 200);
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({0, 0, 3})), 150);   // duplicates and fixed ones: a set
    o.objective = Objective::lscp;
    EXPECT_EQ(evaluate(p, o, ids({0, 1})), 2);
    EXPECT_EQ(evaluate(p, o, ids({0, 3, 0})), 1);            // the fixed site costs nothing
    o.objective = Objective::pmedian;
    // Fixed only: A 100 × 120 (penalty), B 50 × 120, C 30 × 9, D 20 × 120.
    EXPECT_DOUBLE_EQ(evaluate(p, o, {}), 100 * 120 + 50 * 120 + 30 * 9 + 20 * 120);
    // {0, 2}: A 5, B 8, C 3, D 9.
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({0, 2})), 100 * 5 + 50 * 8 + 30 * 3 + 20 * 9);
    o.objective = Objective::cmclp;  // not capacitated: the MCLP value
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({0})), 150);
    EXPECT_THROW(evaluate(p, o, ids({4})), std::invalid_argument);
}

TEST(LocationHeuristicsEvaluate, CapacitatedIsAnOptimalAssignmentNotAGreedyOne) {
    // A (10) reaches 0 and 1, B (10) reaches 0 only; capacities 10 each. Serving A from its
    // nearest site (0) would leave B out; the max flow sends A to 1 and B to 0.
    const auto p = make_problem({10, 10}, {{{0, 1}, {1, 2}}, {{0, 3}}}, {false, false}, {10, 10});
    const auto o = options_for(Objective::cmclp, 2, 10);
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({0})), 10);
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({1})), 10);
    EXPECT_DOUBLE_EQ(evaluate(p, o, ids({0, 1})), 20);
    // Fractional data: weights 2.5 and 1.25, capacity 3 at site 0.
    const auto q = make_problem({2.5, 1.25}, {{{0, 1}}, {{0, 1}}}, {false}, {3});
    EXPECT_DOUBLE_EQ(evaluate(q, o, ids({0})), 3);
    const auto s = greedy_cmclp(p, o);
    EXPECT_EQ(s.chosen, ids({0, 1}));
    EXPECT_DOUBLE_EQ(s.objective, 20);
    ASSERT_EQ(s.load.size(), 2u);
    EXPECT_DOUBLE_EQ(s.load[0], 10);
    EXPECT_DOUBLE_EQ(s.load[1], 10);
}

TEST(LocationHeuristicsEvaluate, CapacitatedMatchesEnumeratedAssignments) {
    Rng rng(20240611);
    for (int trial = 0; trial < 300; ++trial) {
        const std::size_t n = rng.between(1, 3), m = rng.between(1, 3);
        std::vector<int> weights(n);
        std::vector<double> dweights;
        for (auto& w : weights) w = static_cast<int>(rng.between(0, 4)), dweights.push_back(w);
        std::vector<int> caps(m);
        std::vector<double> dcaps;
        for (auto& c : caps) c = static_cast<int>(rng.between(0, 5)), dcaps.push_back(c);
        std::vector<std::vector<Pair>> pairs(n);
        std::vector<std::vector<int>> reach(n);
        for (std::size_t i = 0; i < n; ++i)
            for (std::uint32_t j = 0; j < m; ++j)
                if (rng.chance(0.6)) {
                    const double t = static_cast<double>(rng.between(1, 20));
                    pairs[i].push_back({j, t});
                    if (t <= 10) reach[i].push_back(static_cast<int>(j));
                }
        const auto p = make_problem(dweights, pairs, std::vector<bool>(m, true), dcaps);  // all open
        const int expected = enumerate_assignments(weights, reach, caps, 0);
        EXPECT_EQ(evaluate(p, options_for(Objective::cmclp, 0, 10), {}), expected) << "trial " << trial;
    }
}

TEST(LocationHeuristicsMclp, HandInstance) {
    const auto p = four_units();
    auto o = options_for(Objective::mclp, 1, 10);
    auto s = greedy_mclp(p, o);
    EXPECT_EQ(s.solver, "greedy");
    EXPECT_EQ(s.chosen, ids({0}));
    EXPECT_DOUBLE_EQ(s.objective, 150);
    o.k = 2;  // 1 and 2 both add B (50): the smaller index
    s = greedy_mclp(p, o);
    EXPECT_EQ(s.chosen, ids({0, 1}));
    EXPECT_EQ(s.marginal_gain, (std::vector<double>{120, 50}));
    EXPECT_DOUBLE_EQ(s.objective, 200);
    o.k = 3;  // nothing left to cover: no third site
    EXPECT_EQ(greedy_mclp(p, o).chosen, ids({0, 1}));
}

TEST(LocationHeuristicsCurve, HandInstance) {
    const auto curve = coverage_curve(four_units(), options_for(Objective::mclp, 1, 10), 5);
    ASSERT_EQ(curve.size(), 3u);
    EXPECT_EQ(curve[0].k, 0u);
    EXPECT_EQ(curve[0].added, kNoCandidate);
    EXPECT_DOUBLE_EQ(curve[0].covered, 30);
    EXPECT_EQ(curve[1].added, 0u);
    EXPECT_DOUBLE_EQ(curve[1].covered, 150);
    EXPECT_DOUBLE_EQ(curve[1].marginal, 120);
    EXPECT_EQ(curve[2].k, 2u);
    EXPECT_EQ(curve[2].added, 1u);
    EXPECT_DOUBLE_EQ(curve[2].covered, 200);
    EXPECT_DOUBLE_EQ(curve[2].marginal, 50);
}

TEST(LocationHeuristicsLscp, HandInstances) {
    const auto p = four_units();
    auto o = options_for(Objective::lscp, 0, 10);
    o.coverage_share = 1.0;
    auto s = greedy_lscp(p, o);
    EXPECT_TRUE(s.feasible);
    EXPECT_EQ(s.chosen, ids({0, 1}));
    EXPECT_EQ(s.objective, 2);
    o.coverage_share = 0.7;  // 140 of 200: the fixed site (30) and 0 (120)
    EXPECT_EQ(greedy_lscp(p, o).chosen, ids({0}));
    o.coverage_share = 0.1;  // the fixed site alone
    s = greedy_lscp(p, o);
    EXPECT_TRUE(s.feasible);
    EXPECT_TRUE(s.chosen.empty());

    // Greedy takes 0 (a + b = 10) then 1 (c) and 2 (d); then 0 is redundant.
    const auto q = make_problem({5, 5, 4, 4}, {{{0, 1}, {1, 1}}, {{0, 1}, {2, 1}}, {{1, 1}}, {{2, 1}}},
                                {false, false, false});
    s = greedy_lscp(q, o = options_for(Objective::lscp, 0, 10));
    EXPECT_EQ(s.solver, "greedy+drop");
    EXPECT_EQ(s.chosen, ids({1, 2}));
    EXPECT_EQ(s.marginal_gain, (std::vector<double>{9, 9}));
    EXPECT_EQ(s.objective, 2);

    // A unit reaching nothing within T: infeasible, nothing listed.
    const auto r = make_problem({5, 1}, {{{0, 1}}, {{0, 30}}}, {false});
    s = greedy_lscp(r, o);
    EXPECT_FALSE(s.feasible);
    EXPECT_TRUE(s.chosen.empty());
    o.coverage_share = 5.0 / 6.0;  // reachable exactly (up to rounding)
    EXPECT_TRUE(greedy_lscp(r, o).feasible);
    o.coverage_share = 0;
    EXPECT_THROW(greedy_lscp(r, o), std::invalid_argument);
}

TEST(LocationHeuristicsPMedian, InterchangeFixesTheGreedy) {
    // Greedy: the 1-median first (2, tied with 3, smaller index), then 4: cost 5. Swapping 2
    // for 1 gives the optimum {1, 4}: 1 + 0 + 1 + 1 + 0 + 1 = 4.
    const auto p = six_on_a_line();
    const auto o = options_for(Objective::pmedian, 2, 10);
    const auto s = pmedian_heuristic(p, o);
    EXPECT_EQ(s.solver, "greedy+teitz-bart");
    EXPECT_EQ(s.chosen, ids({1, 4}));
    EXPECT_DOUBLE_EQ(s.objective, 4);
    // Nothing open: 6 × 120; {1}: 1 + 0 + 1 + 9 + 10 + 11 = 32.
    EXPECT_EQ(s.marginal_gain, (std::vector<double>{720 - 32, 28}));
    EXPECT_DOUBLE_EQ(brute_min(p, o), 4);
}

TEST(LocationHeuristicsPMedian, PenaltyForUnreachedUnits) {
    // Unit 1 reaches nothing: 2 × 120 whatever is chosen.
    const auto p = make_problem({3, 2}, {{{0, 4}, {1, 6}}, {}}, {false, false});
    const auto s = pmedian_heuristic(p, options_for(Objective::pmedian, 1, 10));
    EXPECT_EQ(s.chosen, ids({0}));
    EXPECT_DOUBLE_EQ(s.objective, 3 * 4 + 2 * 120);
}

TEST(LocationHeuristics, DispatchAndDeterminism) {
    Rng rng(7);
    for (int trial = 0; trial < 40; ++trial) {
        auto inst = random_instance(rng);
        for (Objective obj : {Objective::lscp, Objective::mclp, Objective::pmedian, Objective::cmclp}) {
            auto o = options_for(obj, inst.k, inst.max_minutes);
            o.coverage_share = 0.8;
            const auto a = solve_heuristic(inst.problem, o);
            const auto b = solve_heuristic(inst.problem, o);
            EXPECT_EQ(a.chosen, b.chosen);
            EXPECT_EQ(a.objective, b.objective);
            EXPECT_EQ(a.marginal_gain, b.marginal_gain);
            EXPECT_EQ(a.load, b.load);
            EXPECT_EQ(a.objective, evaluate(inst.problem, o, a.chosen));
        }
    }
    // The same problem given with its pairs in another order: the same answers.
    const auto p = six_on_a_line();
    std::vector<std::vector<Reachable>> reversed;
    for (std::size_t i = 0; i < p.demand_count(); ++i) {
        auto list = p.reachable(i);
        reversed.emplace_back(list.rbegin(), list.rend());
    }
    const LocationProblem q(std::vector<double>(6, 1.0), reversed, std::vector<bool>(6, false));
    const auto o = options_for(Objective::pmedian, 3, 10);
    EXPECT_EQ(pmedian_heuristic(p, o).chosen, pmedian_heuristic(q, o).chosen);
}

// ---------------------------------------------------------------------------------------
// Random instances against brute force

TEST(LocationHeuristicsRandom, AgainstBruteForce) {
    Rng rng(1789);
    constexpr int kInstances = 300;
    const double bound = 1.0 - 1.0 / std::exp(1.0);
    int pmedian_optimal = 0, mclp_optimal = 0, cmclp_optimal = 0, cmclp_runs = 0, lscp_feasible = 0,
        lscp_minimal = 0;
    for (int trial = 0; trial < kInstances; ++trial) {
        auto inst = random_instance(rng);
        const auto& p = inst.problem;
        const double eps = tolerance(p);
        SCOPED_TRACE("instance " + std::to_string(trial));

        // evaluate against the independent references, on every subset.
        for_each_subset(p, 9, [&](const auto& set) {
            EXPECT_NEAR(evaluate(p, options_for(Objective::mclp, 0, inst.max_minutes), set),
                        reference_covered(p, inst.max_minutes, set), eps);
            EXPECT_NEAR(evaluate(p, options_for(Objective::pmedian, 0, inst.max_minutes), set),
                        reference_pmedian(p, 120, set), 1e-9 * std::max(1.0, reference_pmedian(p, 120, set)));
        });

        // MCLP: never above the optimum, gain ≥ (1 − 1/e) × the optimal gain.
        auto o = options_for(Objective::mclp, inst.k, inst.max_minutes);
        const auto mclp = greedy_mclp(p, o);
        const double mclp_best = brute_max(p, o), base = evaluate(p, o, {});
        EXPECT_LE(mclp.objective, mclp_best + eps);
        EXPECT_GE(mclp.objective - base, bound * (mclp_best - base) - eps);
        EXPECT_LE(mclp.chosen.size(), inst.k);
        mclp_optimal += mclp.objective >= mclp_best - eps;

        // The curve: nested greedy answers.
        const auto curve = coverage_curve(p, o, 9);
        ASSERT_FALSE(curve.empty());
        EXPECT_EQ(curve[0].covered, base);
        for (std::size_t t = 1; t < curve.size(); ++t) {
            EXPECT_EQ(curve[t].k, t);
            EXPECT_GE(curve[t].covered, curve[t - 1].covered);
            EXPECT_GT(curve[t].marginal, 0);
            if (t > 1) { EXPECT_LE(curve[t].marginal, curve[t - 1].marginal); }
            auto ok = o;
            ok.k = t;
            const auto g = greedy_mclp(p, ok);
            ASSERT_EQ(g.chosen.size(), t);
            EXPECT_EQ(g.chosen.back(), curve[t].added);
            EXPECT_EQ(g.objective, curve[t].covered);
        }
        if (curve.size() - 1 < free_candidates(p).size()) {  // stopped: nothing left to cover
            std::vector<std::uint32_t> all = free_candidates(p);
            EXPECT_NEAR(curve.back().covered, evaluate(p, o, all), eps);
        }

        // p-median: never below the optimum; the optimum on most instances.
        o = options_for(Objective::pmedian, inst.k, inst.max_minutes);
        const auto pm = pmedian_heuristic(p, o);
        const double pm_best = brute_min(p, o);
        EXPECT_GE(pm.objective, pm_best - 1e-9 * pm_best);
        pmedian_optimal += pm.objective <= pm_best + 1e-9 * pm_best;
        // A local optimum for single swaps, checked by full re-evaluation (the fast
        // interchange's profits are right).
        for (std::size_t t = 0; t < pm.chosen.size(); ++t)
            for (std::uint32_t j : free_candidates(p)) {
                if (std::find(pm.chosen.begin(), pm.chosen.end(), j) != pm.chosen.end()) continue;
                auto swapped = pm.chosen;
                swapped[t] = j;
                EXPECT_GE(evaluate(p, o, swapped), pm.objective - 1e-9 * pm.objective);
            }
        double sum = 0;
        for (double g : pm.marginal_gain) sum += g;
        EXPECT_NEAR(evaluate(p, o, {}) - sum, pm.objective, 1e-9 * evaluate(p, o, {}));

        // LSCP: feasible iff some subset reaches the share; never fewer sites than the
        // smallest such subset; no site can be dropped.
        o = options_for(Objective::lscp, 0, inst.max_minutes);
        const double shares[] = {1.0, 0.9, 0.75, rng.uniform(0.3, 1.0)};
        o.coverage_share = shares[trial % 4];
        auto om = options_for(Objective::mclp, 0, inst.max_minutes);
        std::size_t smallest = SIZE_MAX;
        for_each_subset(p, 9, [&](const auto& set) {
            if (reaches_share(evaluate(p, om, set), p.total_weight(), o.coverage_share))
                smallest = std::min(smallest, set.size());
        });
        const auto lscp = greedy_lscp(p, o);
        EXPECT_EQ(lscp.feasible, smallest != SIZE_MAX);
        if (lscp.feasible) {
            ++lscp_feasible;
            EXPECT_GE(lscp.chosen.size(), smallest);
            lscp_minimal += lscp.chosen.size() == smallest;
            EXPECT_EQ(lscp.objective, static_cast<double>(lscp.chosen.size()));
            EXPECT_TRUE(reaches_share(evaluate(p, om, lscp.chosen), p.total_weight(), o.coverage_share));
            for (std::size_t t = 0; t < lscp.chosen.size(); ++t) {
                auto fewer = lscp.chosen;
                fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(t));
                EXPECT_FALSE(reaches_share(evaluate(p, om, fewer), p.total_weight(), o.coverage_share));
            }
        } else {
            EXPECT_TRUE(lscp.chosen.empty());
        }

        // CMCLP (capacitated instances): never above the optimum; loads within capacities,
        // summing to the objective, zero where closed.
        if (inst.capacitated) {
            ++cmclp_runs;
            o = options_for(Objective::cmclp, inst.k, inst.max_minutes);
            const auto c = greedy_cmclp(p, o);
            const double c_best = brute_max(p, o), c_base = evaluate(p, o, {});
            EXPECT_LE(c.objective, c_best + eps);
            EXPECT_GE(c.objective - c_base, bound * (c_best - c_base) - eps);
            cmclp_optimal += c.objective >= c_best - eps;
            ASSERT_EQ(c.load.size(), p.candidate_count());
            const auto open = open_of(p, c.chosen);
            double total = 0;
            for (std::size_t j = 0; j < p.candidate_count(); ++j) {
                EXPECT_LE(c.load[j], p.capacity(j) + 1e-6);
                if (!open[j]) { EXPECT_EQ(c.load[j], 0); }
                total += c.load[j];
            }
            EXPECT_NEAR(total, c.objective, 1e-5);
        }
    }
    std::printf("[ random ] %d instances: MCLP greedy optimal %d (%.1f %%), Teitz-Bart p-median optimal %d (%.1f %%), "
                "CMCLP greedy optimal %d of %d, LSCP greedy minimal %d of %d feasible\n",
                kInstances, mclp_optimal, 100.0 * mclp_optimal / kInstances, pmedian_optimal,
                100.0 * pmedian_optimal / kInstances, cmclp_optimal, cmclp_runs, lscp_minimal, lscp_feasible);
    EXPECT_GE(pmedian_optimal, 0.8 * kInstances);
}

// Lazy evaluation returns the plain greedy's answer (every gain recomputed each round, ties
// to the smaller index), for coverage and for the capacitated (max-flow) objective.
TEST(LocationHeuristicsRandom, LazyGreedyEqualsPlainGreedy) {
    Rng rng(42);
    for (int trial = 0; trial < 150; ++trial) {
        auto inst = random_instance(rng);
        const auto& p = inst.problem;
        for (Objective obj : {Objective::mclp, Objective::cmclp}) {
            if (obj == Objective::cmclp && !inst.capacitated) continue;
            const auto o = options_for(obj, inst.k, inst.max_minutes);
            std::vector<std::uint32_t> plain;
            double current = evaluate(p, o, plain);
            while (plain.size() < inst.k) {
                double best_gain = 0;
                std::uint32_t best = kNoCandidate;
                for (std::uint32_t j : free_candidates(p)) {
                    if (std::find(plain.begin(), plain.end(), j) != plain.end()) continue;
                    auto with = plain;
                    with.push_back(j);
                    const double g = evaluate(p, o, with) - current;
                    if (g > best_gain) best_gain = g, best = j;
                }
                if (best == kNoCandidate) break;
                plain.push_back(best);
                current = evaluate(p, o, plain);
            }
            const auto s = obj == Objective::mclp ? greedy_mclp(p, o) : greedy_cmclp(p, o);
            EXPECT_EQ(s.chosen, plain) << "instance " << trial << " " << to_string(obj);
        }
    }
}

// Max flow into a set of open sites is submodular in that set (on the integer-scaled data):
// what makes the lazy CMCLP greedy exact.
TEST(LocationHeuristicsRandom, CapacitatedCoverageIsSubmodular) {
    Rng rng(99);
    int checked = 0;
    for (int trial = 0; trial < 200; ++trial) {
        auto inst = random_instance(rng);
        if (!inst.capacitated) continue;
        const auto& p = inst.problem;
        const auto o = options_for(Objective::cmclp, 0, inst.max_minutes);
        const auto free = free_candidates(p);
        for (int draw = 0; draw < 20; ++draw) {
            std::vector<std::uint32_t> a, b;
            for (auto j : free) {
                const double u = rng.u01();
                if (u < 0.3) a.push_back(j), b.push_back(j);
                else if (u < 0.6) b.push_back(j);
            }
            for (auto j : free) {
                if (std::find(b.begin(), b.end(), j) != b.end()) continue;
                auto aj = a, bj = b;
                aj.push_back(j), bj.push_back(j);
                EXPECT_GE(evaluate(p, o, aj) - evaluate(p, o, a), evaluate(p, o, bj) - evaluate(p, o, b) - 1e-9);
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 100);
}

// Larger instances (60 units, 30 candidates, k = 4..8): the interchange ends at a local
// optimum for single swaps (full re-evaluation), never worse than the greedy alone.
TEST(LocationHeuristicsPMedian, SwapLocalOptimumOnLargerInstances) {
    Rng rng(2025);
    for (int trial = 0; trial < 30; ++trial) {
        constexpr std::size_t n = 60, m = 30;
        std::vector<std::pair<double, double>> demand(n), sites(m);
        for (auto& q : demand) q = {rng.uniform(0, 50), rng.uniform(0, 50)};
        for (auto& q : sites) q = {rng.uniform(0, 50), rng.uniform(0, 50)};
        std::vector<double> weights(n);
        for (auto& w : weights) w = std::floor(std::exp(rng.uniform(0, 8)));
        std::vector<std::vector<Pair>> pairs(n);
        for (std::size_t i = 0; i < n; ++i)
            for (std::uint32_t j = 0; j < m; ++j) {
                const double t = std::hypot(demand[i].first - sites[j].first, demand[i].second - sites[j].second) * 1.3;
                if (t <= 40) pairs[i].push_back({j, t});
            }
        std::vector<bool> fixed(m, false);
        fixed[0] = fixed[1] = trial % 2 == 0;
        const auto p = make_problem(weights, pairs, fixed);
        const auto o = options_for(Objective::pmedian, rng.between(4, 8), 20);
        const auto s = pmedian_heuristic(p, o);
        SCOPED_TRACE("instance " + std::to_string(trial));
        ASSERT_EQ(s.chosen.size(), o.k);
        for (std::size_t t = 0; t < s.chosen.size(); ++t)
            for (std::uint32_t j : free_candidates(p)) {
                if (std::find(s.chosen.begin(), s.chosen.end(), j) != s.chosen.end()) continue;
                auto swapped = s.chosen;
                swapped[t] = j;
                EXPECT_GE(evaluate(p, o, swapped), s.objective - 1e-9 * s.objective);
            }
        // The greedy alone: the coverage greedy's p-median counterpart, by full evaluation.
        std::vector<std::uint32_t> greedy;
        for (std::size_t t = 0; t < o.k; ++t) {
            double best = evaluate(p, o, greedy);
            std::uint32_t pick = kNoCandidate;
            for (std::uint32_t j : free_candidates(p)) {
                if (std::find(greedy.begin(), greedy.end(), j) != greedy.end()) continue;
                auto with = greedy;
                with.push_back(j);
                if (const double v = evaluate(p, o, with); v < best) best = v, pick = j;
            }
            if (pick == kNoCandidate) break;
            greedy.push_back(pick);
        }
        EXPECT_LE(s.objective, evaluate(p, o, greedy) + 1e-9 * s.objective);
    }
}
