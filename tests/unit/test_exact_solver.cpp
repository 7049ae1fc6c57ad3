// optimise/exact_solver: the CBC models against hand-solved instances and against brute force
// over every subset of candidates (the test's own evaluator: coverage, p-median with its
// penalty, capacitated coverage as a Boost max flow).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/edmonds_karp_max_flow.hpp>

#include "optimise/exact_solver.hpp"
#include "optimise/location_problem.hpp"

using namespace maillage;
using namespace maillage::optimise;

namespace {

constexpr double kNone = -1;  // "not reachable" in a times table

// times[i][j] in minutes (kNone: not listed).
LocationProblem make_problem(std::vector<double> weights, const std::vector<std::vector<double>>& times,
                             std::vector<bool> fixed, std::vector<double> capacities = {}) {
    std::vector<std::vector<Reachable>> pairs(weights.size());
    for (std::size_t i = 0; i < times.size(); ++i)
        for (std::size_t j = 0; j < times[i].size(); ++j)
            if (times[i][j] >= 0) pairs[i].push_back({static_cast<std::uint32_t>(j), minutes(times[i][j])});
    return LocationProblem(std::move(weights), std::move(pairs), std::move(fixed), std::move(capacities));
}

SolveOptions options_for(Objective o, std::size_t k, double max_minutes) {
    SolveOptions s;
    s.objective = o;
    s.k = k;
    s.max_time = minutes(max_minutes);
    s.time_limit_seconds = 30;
    return s;
}

// ---------------------------------------------------------------------------------------
// The test's own evaluator

std::vector<bool> open_of(const LocationProblem& p, const std::vector<std::uint32_t>& chosen) {
    std::vector<bool> open(p.candidate_count());
    for (std::size_t j = 0; j < p.candidate_count(); ++j) open[j] = p.fixed(j);
    for (auto j : chosen) open[j] = true;
    return open;
}

double brute_coverage(const LocationProblem& p, Seconds T, const std::vector<bool>& open) {
    double sum = 0;
    for (std::size_t i = 0; i < p.demand_count(); ++i) {
        bool covered = false;
        for (const auto& r : p.reachable(i)) covered = covered || (open[r.candidate] && r.time <= T);
        if (covered) sum += p.weight(i);
    }
    return sum;
}

double brute_pmedian(const LocationProblem& p, Seconds penalty, const std::vector<bool>& open) {
    double sum = 0;
    for (std::size_t i = 0; i < p.demand_count(); ++i) {
        double best = penalty.value();
        for (const auto& r : p.reachable(i))
            if (open[r.candidate]) best = std::min(best, r.time.value());
        sum += p.weight(i) * best / 60.0;
    }
    return sum;
}

// Max flow source → demand i (w_i) → open j with t_ij ≤ T → sink (C_j); the random instances
// have integer weights and capacities, so the flow is exact.
double brute_cmclp(const LocationProblem& p, Seconds T, const std::vector<bool>& open) {
    using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
    using Graph = boost::adjacency_list<
        boost::vecS, boost::vecS, boost::directedS, boost::no_property,
        boost::property<boost::edge_capacity_t, long,
                        boost::property<boost::edge_residual_capacity_t, long,
                                        boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
    const std::size_t m = p.demand_count(), n = p.candidate_count();
    Graph g(m + n + 2);
    auto capacity = boost::get(boost::edge_capacity, g);
    auto reverse = boost::get(boost::edge_reverse, g);
    auto add = [&](std::size_t a, std::size_t b, long c) {
        auto e = boost::add_edge(a, b, g).first;
        auto r = boost::add_edge(b, a, g).first;
        capacity[e] = c;
        capacity[r] = 0;
        reverse[e] = r;
        reverse[r] = e;
    };
    const std::size_t s = m + n, t = m + n + 1;
    for (std::size_t i = 0; i < m; ++i) {
        add(s, i, std::lround(p.weight(i)));
        for (const auto& r : p.reachable(i))
            if (open[r.candidate] && r.time <= T) add(i, m + r.candidate, std::lround(p.weight(i)));
    }
    for (std::size_t j = 0; j < n; ++j)
        if (open[j]) add(m + j, t, std::lround(p.capacity(j)));
    return static_cast<double>(boost::edmonds_karp_max_flow(g, s, t));
}

double brute_value(const LocationProblem& p, const SolveOptions& o, const std::vector<std::uint32_t>& chosen) {
    const auto open = open_of(p, chosen);
    switch (o.objective) {
        case Objective::lscp: return static_cast<double>(chosen.size());
        case Objective::mclp: return brute_coverage(p, o.max_time, open);
        case Objective::pmedian: return brute_pmedian(p, o.unreachable_penalty, open);
        case Objective::cmclp: return brute_cmclp(p, o.max_time, open);
    }
    return 0;
}

std::vector<std::uint32_t> new_candidates(const LocationProblem& p) {
    std::vector<std::uint32_t> out;
    for (std::size_t j = 0; j < p.candidate_count(); ++j)
        if (!p.fixed(j)) out.push_back(static_cast<std::uint32_t>(j));
    return out;
}

struct BruteForce {
    bool feasible = false;
    double best = 0;
    // The smallest Σ rank among the optimal sets (rank: position among the new candidates):
    // the solver's tie-break (lowest indices) must reach it.
    int best_rank_sum = std::numeric_limits<int>::max();
    int optimal_sets = 0;
};

// Every subset of the new candidates (of size k, or any size for lscp).
BruteForce brute_force(const LocationProblem& p, const SolveOptions& o) {
    const auto news = new_candidates(p);
    const bool maximise = o.objective == Objective::mclp || o.objective == Objective::cmclp;
    BruteForce out;
    for (std::uint32_t mask = 0; mask < (1u << news.size()); ++mask) {
        std::vector<std::uint32_t> chosen;
        int rank_sum = 0;
        for (std::size_t r = 0; r < news.size(); ++r)
            if (mask & (1u << r)) {
                chosen.push_back(news[r]);
                rank_sum += static_cast<int>(r) + 1;
            }
        if (o.objective != Objective::lscp && chosen.size() != o.k) continue;
        if (o.objective == Objective::lscp &&
            !(brute_coverage(p, o.max_time, open_of(p, chosen)) >= o.coverage_share * p.total_weight() - 1e-9))
            continue;
        const double v = brute_value(p, o, chosen);
        const bool better = !out.feasible || (maximise ? v > out.best + 1e-9 : v < out.best - 1e-9);
        const bool equal = out.feasible && std::abs(v - out.best) <= 1e-9;
        if (better) {
            out.feasible = true;
            out.best = v;
            out.best_rank_sum = rank_sum;
            out.optimal_sets = 1;
        } else if (equal) {
            out.best_rank_sum = std::min(out.best_rank_sum, rank_sum);
            ++out.optimal_sets;
        }
    }
    return out;
}

int rank_sum(const LocationProblem& p, const std::vector<std::uint32_t>& chosen) {
    const auto news = new_candidates(p);
    int sum = 0;
    for (auto j : chosen) sum += static_cast<int>(std::find(news.begin(), news.end(), j) - news.begin()) + 1;
    return sum;
}

// ---------------------------------------------------------------------------------------
// A line: demand units at 0, 10, 20, 30 minutes (weights 1, 2, 3, 4), candidates at 5, 15, 25;
// the time is the distance along the line.
//              d0   c0   d1   c1   d2   c2   d3
//   position    0    5   10   15   20   25   30
LocationProblem line(std::vector<bool> fixed = {false, false, false}, std::vector<double> capacities = {}) {
    return make_problem({1, 2, 3, 4},
                        {{5, 15, 25},   //
                         {5, 5, 15},    //
                         {15, 5, 5},    //
                         {25, 15, 5}},  //
                        std::move(fixed), std::move(capacities));
}

}  // namespace

TEST(ExactSolverLine, LscpNeedsBothEnds) {
    // Within 5 min: d0 only by c0, d3 only by c2; {c0, c2} also covers d1 and d2 → 2 sites.
    auto s = solve_exact(line(), options_for(Objective::lscp, 0, 5));
    EXPECT_TRUE(s.feasible);
    EXPECT_EQ(s.solver, "cbc");
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_EQ(s.objective, 2);
    EXPECT_TRUE(s.proven_optimal);
    EXPECT_FALSE(s.time_limit_reached);
    ASSERT_TRUE(s.bound);
    EXPECT_EQ(*s.bound, 2);
    EXPECT_TRUE(s.uncoverable.empty());
}

TEST(ExactSolverLine, LscpPartialShareAndTies) {
    // 70 % of 10 = 7: c2 alone covers d2 + d3 = 7 → one site.
    auto o = options_for(Objective::lscp, 0, 5);
    o.coverage_share = 0.7;
    auto s = solve_exact(line(), o);
    EXPECT_TRUE(s.feasible);
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{2}));
    EXPECT_EQ(s.objective, 1);
    // 71 %: no single site reaches 7.1; {c0, c2} (10) and {c1, c2} (9) both do: the tie goes
    // to the lower indices, {c0, c2}.
    o.coverage_share = 0.71;
    s = solve_exact(line(), o);
    EXPECT_TRUE(s.feasible);
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_EQ(s.objective, 2);
    // A fixed c2 already covers 70 %: no new site.
    o.coverage_share = 0.7;
    s = solve_exact(line({false, false, true}), o);
    EXPECT_TRUE(s.feasible);
    EXPECT_TRUE(s.chosen.empty());
    EXPECT_EQ(s.objective, 0);
}

TEST(ExactSolverLine, LscpInfeasibleListsUncoverableUnits) {
    // d4 (weight 5) and d5 (weight 0) reach no candidate within 5 min; d6 (weight 2) reaches c1
    // in 20 min only. Only the units with weight > 0 are listed: d4 and d6.
    auto p = make_problem({1, 2, 3, 4, 5, 0, 2},
                          {{5, 15, 25}, {5, 5, 15}, {15, 5, 5}, {25, 15, 5}, {}, {}, {kNone, 20, kNone}},
                          {false, false, false});
    auto o = options_for(Objective::lscp, 0, 5);
    auto s = solve_exact(p, o);
    EXPECT_FALSE(s.feasible);
    EXPECT_EQ(s.uncoverable, (std::vector<std::uint32_t>{4, 6}));
    EXPECT_TRUE(s.chosen.empty());
    // Coverable weight 10 of 17: a 60 % target (10.2) is out of reach, with the same list...
    o.coverage_share = 0.6;
    s = solve_exact(p, o);
    EXPECT_FALSE(s.feasible);
    EXPECT_EQ(s.uncoverable, (std::vector<std::uint32_t>{4, 6}));
    // ... 58 % (9.86) is not: {c0, c2} covers 10.
    o.coverage_share = 0.58;
    s = solve_exact(p, o);
    EXPECT_TRUE(s.feasible);
    EXPECT_TRUE(s.uncoverable.empty());
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2}));
}

TEST(ExactSolverLine, Mclp) {
    // k = 1, T = 5: c0 covers 1 + 2 = 3, c1 2 + 3 = 5, c2 3 + 4 = 7 → c2, 7.
    auto s = solve_exact(line(), options_for(Objective::mclp, 1, 5));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{2}));
    EXPECT_EQ(s.objective, 7);
    EXPECT_TRUE(s.proven_optimal);
    EXPECT_EQ(*s.bound, 7);
    // k = 2: {c0, c2} covers everything, 10.
    s = solve_exact(line(), options_for(Objective::mclp, 2, 5));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_EQ(s.objective, 10);
    // c2 fixed, k = 1: c0 adds 3 (→ 10), c1 adds 2 → c0; the fixed site's coverage counts.
    s = solve_exact(line({false, false, true}), options_for(Objective::mclp, 1, 5));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0}));
    EXPECT_EQ(s.objective, 10);
}

TEST(ExactSolverLine, PMedian) {
    // k = 1 (Σ w × min): c0 1·5 + 2·5 + 3·15 + 4·25 = 160, c1 15 + 10 + 15 + 60 = 100,
    // c2 25 + 30 + 15 + 20 = 90 → c2, 90.
    auto s = solve_exact(line(), options_for(Objective::pmedian, 1, 30));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{2}));
    EXPECT_NEAR(s.objective, 90, 1e-9);
    EXPECT_TRUE(s.proven_optimal);
    // k = 2: {c0, c1} 5 + 10 + 15 + 60 = 90, {c0, c2} 5 + 10 + 15 + 20 = 50,
    // {c1, c2} 15 + 10 + 15 + 20 = 60 → {c0, c2}, 50.
    s = solve_exact(line(), options_for(Objective::pmedian, 2, 30));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_NEAR(s.objective, 50, 1e-9);
    // c1 fixed, k = 1: + c0 → 5 + 10 + 15 + 60 = 90; + c2 → 15 + 10 + 15 + 20 = 60 → c2, 60.
    s = solve_exact(line({false, true, false}), options_for(Objective::pmedian, 1, 30));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{2}));
    EXPECT_NEAR(s.objective, 60, 1e-9);
    // d3 reaches only c2: with k = 1 and c0 chosen it pays the penalty (100 min).
    auto p = make_problem({1, 2, 3, 4}, {{5, 15, 25}, {5, 5, 15}, {15, 5, 5}, {kNone, kNone, 5}},
                          {false, false, false});
    auto o = options_for(Objective::pmedian, 1, 30);
    o.unreachable_penalty = minutes(100);
    // c0: 5 + 10 + 45 + 400 = 460; c1: 15 + 10 + 15 + 400 = 440; c2: 25 + 30 + 15 + 20 = 90.
    s = solve_exact(p, o);
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{2}));
    EXPECT_NEAR(s.objective, 90, 1e-9);
    o.k = 2;  // {c0, c1} 5 + 10 + 15 + 400 = 430 > {c0, c2} 50 < {c1, c2} 60 → {c0, c2}
    s = solve_exact(p, o);
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_NEAR(s.objective, 50, 1e-9);
}

TEST(ExactSolverLine, CapacitatedMclp) {
    // Capacities 3, 3, 5; T = 5, k = 2. {c0, c2}: c0 serves d0 + d1 = 3, c2 5 of d2 + d3 → 8;
    // {c1, c2}: 3 + 5 of d1 + d2 + d3 = 9 → 8; {c0, c1}: 3 + 3 → 6. Tie → lower indices {c0, c2}.
    auto s = solve_exact(line({false, false, false}, {3, 3, 5}), options_for(Objective::cmclp, 2, 5));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2}));
    EXPECT_NEAR(s.objective, 8, 1e-9);
    EXPECT_TRUE(s.proven_optimal);
    ASSERT_EQ(s.load.size(), 3u);
    EXPECT_NEAR(s.load[0], 3, 1e-9);
    EXPECT_NEAR(s.load[1], 0, 1e-9);
    EXPECT_NEAR(s.load[2], 5, 1e-9);
    // k = 1: c2 serves 5 of its 7.
    s = solve_exact(line({false, false, false}, {3, 3, 5}), options_for(Objective::cmclp, 1, 5));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{2}));
    EXPECT_NEAR(s.objective, 5, 1e-9);
}

TEST(ExactSolverTies, IdenticalCandidatesGoToTheLowestIndex) {
    // Candidates 1, 2 and 3 are copies; candidate 0 is fixed.
    auto p = make_problem({10, 10, 10}, {{1, 4, 4, 4}, {9, 4, 4, 4}, {9, 8, 8, 8}}, {true, false, false, false},
                          {100, 100, 100, 100});
    for (auto o : {Objective::mclp, Objective::pmedian, Objective::cmclp}) {
        auto s = solve_exact(p, options_for(o, 1, 5));
        EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{1})) << to_string(o);
        s = solve_exact(p, options_for(o, 2, 5));
        EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{1, 2})) << to_string(o);
    }
    auto s = solve_exact(p, options_for(Objective::lscp, 0, 8));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{1}));
}

TEST(ExactSolverRandom, MatchesBruteForce) {
    std::mt19937 rng(20240601);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    int checked = 0, infeasible_lscp = 0, ties = 0;
    for (int instance = 0; instance < 200; ++instance) {
        const int m = uniform(3, 12), n = uniform(2, 8);
        std::vector<double> weights(m), capacities(n);
        std::vector<bool> fixed(n);
        std::vector<std::vector<double>> times(m, std::vector<double>(n, kNone));
        for (auto& w : weights) w = uniform(0, 4) == 0 ? 0 : uniform(1, 20);
        int news = 0;
        for (int j = 0; j < n; ++j) {
            fixed[j] = uniform(0, 4) == 0;
            news += fixed[j] ? 0 : 1;
            capacities[j] = uniform(0, 40);
        }
        if (news == 0) fixed[uniform(0, n - 1)] = false, ++news;
        for (auto& row : times)
            for (auto& t : row)
                if (uniform(0, 9) < 7) t = uniform(1, 40) + uniform(0, 59) / 60.0;  // whole seconds
        auto p = make_problem(weights, times, fixed, capacities);
        const double T = uniform(5, 35);
        const std::size_t k = static_cast<std::size_t>(uniform(1, std::min(3, news)));

        std::vector<SolveOptions> runs;
        for (auto o : {Objective::mclp, Objective::pmedian, Objective::cmclp}) runs.push_back(options_for(o, k, T));
        runs.push_back(options_for(Objective::lscp, 0, T));
        runs.push_back(options_for(Objective::lscp, 0, T));
        runs.back().coverage_share = uniform(1, 99) / 100.0;
        runs[1].unreachable_penalty = minutes(uniform(41, 90));

        for (const auto& o : runs) {
            SCOPED_TRACE(::testing::Message() << "instance " << instance << " " << to_string(o.objective)
                                              << " k=" << o.k << " T=" << T << " share=" << o.coverage_share);
            const auto s = solve_exact(p, o);
            const auto bf = brute_force(p, o);
            ++checked;
            if (o.objective == Objective::lscp && !bf.feasible) {
                ++infeasible_lscp;
                EXPECT_FALSE(s.feasible);
                std::vector<std::uint32_t> expected;  // weight > 0, no candidate within T
                for (int i = 0; i < m; ++i) {
                    bool reach = false;
                    for (int j = 0; j < n; ++j) reach = reach || (times[i][j] >= 0 && times[i][j] * 60 <= T * 60);
                    if (weights[i] > 0 && !reach) expected.push_back(static_cast<std::uint32_t>(i));
                }
                EXPECT_EQ(s.uncoverable, expected);
                continue;
            }
            ASSERT_TRUE(bf.feasible);
            ASSERT_TRUE(s.feasible) << s.solver;
            ties += bf.optimal_sets > 1 ? 1 : 0;
            EXPECT_TRUE(s.proven_optimal);
            EXPECT_TRUE(std::is_sorted(s.chosen.begin(), s.chosen.end()));
            for (auto j : s.chosen) EXPECT_FALSE(p.fixed(j));
            if (o.objective != Objective::lscp) {
                EXPECT_EQ(s.chosen.size(), o.k);
            }
            EXPECT_NEAR(s.objective, bf.best, 1e-9 * std::max(1.0, bf.best));
            EXPECT_NEAR(brute_value(p, o, s.chosen), s.objective, 1e-9 * std::max(1.0, bf.best));
            ASSERT_TRUE(s.bound);
            EXPECT_NEAR(*s.bound, s.objective, 1e-6 * std::max(1.0, bf.best));
            EXPECT_EQ(rank_sum(p, s.chosen), bf.best_rank_sum) << "tie-break";
            if (o.objective == Objective::cmclp) {
                double total = 0;
                const auto open = open_of(p, s.chosen);
                ASSERT_EQ(s.load.size(), static_cast<std::size_t>(n));
                for (int j = 0; j < n; ++j) {
                    EXPECT_LE(s.load[j], capacities[j] + 1e-9);
                    if (!open[j]) {
                        EXPECT_EQ(s.load[j], 0);
                    }
                    total += s.load[j];
                }
                EXPECT_NEAR(total, s.objective, 1e-9 * std::max(1.0, bf.best));
            }
        }
    }
    EXPECT_EQ(checked, 1000);
    EXPECT_GT(infeasible_lscp, 10);  // the infeasible branch is exercised
    EXPECT_GT(ties, 100);            // and the tie-break (several optimal sets)
}

namespace {

// Dense random p-median / mclp instance: m demand units, n candidates, times 1–60 min.
LocationProblem random_dense(int m, int n, std::uint32_t seed, int fixed_count = 0) {
    std::mt19937 rng(seed);
    std::vector<double> weights(m);
    std::vector<std::vector<double>> times(m, std::vector<double>(n));
    for (auto& w : weights) w = std::uniform_int_distribution<int>(1, 500)(rng);
    for (auto& row : times)
        for (auto& t : row) t = std::uniform_int_distribution<int>(60, 3600)(rng) / 60.0;
    std::vector<bool> fixed(n, false);
    for (int j = 0; j < fixed_count; ++j) fixed[j * 7 % n] = true;
    return make_problem(weights, times, fixed, std::vector<double>(n, 3000));
}

}  // namespace

TEST(ExactSolverDeterminism, SameAnswerTwice) {
    auto p = random_dense(60, 25, 7, 3);
    for (auto o : {Objective::mclp, Objective::pmedian, Objective::cmclp, Objective::lscp}) {
        auto opt = options_for(o, 4, 12);
        auto a = solve_exact(p, opt);
        auto b = solve_exact(p, opt);
        EXPECT_TRUE(a.proven_optimal) << to_string(o);
        EXPECT_EQ(a.chosen, b.chosen) << to_string(o);
        EXPECT_EQ(a.objective, b.objective) << to_string(o);
        EXPECT_EQ(a.bound, b.bound) << to_string(o);
        EXPECT_EQ(a.load, b.load) << to_string(o);
    }
}

TEST(ExactSolverTimeLimit, StopsWithTheBestSolutionFoundAndABound) {
    auto p = random_dense(300, 150, 11);
    auto o = options_for(Objective::pmedian, 20, 30);
    o.time_limit_seconds = 0.01;
    const auto started = std::chrono::steady_clock::now();
    auto s = solve_exact(p, o);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_TRUE(s.time_limit_reached);
    EXPECT_FALSE(s.proven_optimal);
    ASSERT_TRUE(s.feasible) << s.solver;
    EXPECT_EQ(s.chosen.size(), 20u);
    EXPECT_NEAR(s.objective, brute_pmedian(p, o.unreachable_penalty, open_of(p, s.chosen)), 1e-6 * s.objective);
    ASSERT_TRUE(s.bound);
    EXPECT_LE(*s.bound, s.objective);
    EXPECT_GT(*s.bound, 0);
    EXPECT_LT(seconds, 20.0);
}

TEST(ExactSolverOutput, PrintsNothing) {
    auto p = random_dense(40, 15, 3, 2);
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    for (auto o : {Objective::mclp, Objective::pmedian, Objective::cmclp, Objective::lscp})
        solve_exact(p, options_for(o, 3, 10));
    auto o = options_for(Objective::pmedian, 5, 10);
    o.time_limit_seconds = 0.001;
    solve_exact(random_dense(200, 80, 5), o);
    const std::string out = ::testing::internal::GetCapturedStdout();
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_EQ(out, "");
    EXPECT_EQ(err, "");
}

TEST(ExactSolverOutput, DegenerateInstancesAreSilent) {
    ::testing::internal::CaptureStdout();
    ::testing::internal::CaptureStderr();
    // Nothing to cover: every demand unit has weight 0 or is covered by the fixed c1.
    auto p = make_problem({0, 2, 3, 0}, {{5, 15, 25}, {5, 5, 15}, {15, 5, 5}, {25, 15, 5}}, {false, true, false},
                          {1, 1, 1});
    auto s = solve_exact(p, options_for(Objective::lscp, 0, 5));
    EXPECT_TRUE(s.feasible);
    EXPECT_TRUE(s.chosen.empty());
    EXPECT_EQ(s.objective, 0);
    EXPECT_TRUE(s.proven_optimal);
    // k = every new candidate: forced.
    for (auto o : {Objective::mclp, Objective::pmedian, Objective::cmclp}) {
        s = solve_exact(p, options_for(o, 2, 5));
        EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0, 2})) << to_string(o);
        EXPECT_TRUE(s.proven_optimal) << to_string(o);
    }
    EXPECT_EQ(solve_exact(p, options_for(Objective::mclp, 2, 5)).objective, 5);
    EXPECT_EQ(solve_exact(p, options_for(Objective::cmclp, 2, 5)).objective, 3);  // capacities 1
    // No demand unit at all; candidates reaching nobody.
    auto empty = make_problem({}, {}, {false, false, true}, {1, 1, 1});
    for (auto o : {Objective::mclp, Objective::pmedian, Objective::cmclp, Objective::lscp}) {
        s = solve_exact(empty, options_for(o, 1, 5));
        EXPECT_TRUE(s.feasible) << to_string(o);
        EXPECT_EQ(s.objective, 0) << to_string(o);
        EXPECT_EQ(s.chosen.size(), o == Objective::lscp ? 0u : 1u) << to_string(o);
    }
    auto far = make_problem({4, 5}, {{kNone, 50}, {kNone, 70}}, {false, false}, {10, 10});
    s = solve_exact(far, options_for(Objective::mclp, 1, 30));
    EXPECT_EQ(s.chosen, (std::vector<std::uint32_t>{0}));  // a tie at 0 → the lowest index
    EXPECT_EQ(s.objective, 0);
    EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
}

TEST(ExactSolverArguments, InvalidOptionsThrow) {
    auto p = line({true, false, false});  // two new candidates
    EXPECT_THROW(solve_exact(p, options_for(Objective::mclp, 3, 5)), std::invalid_argument);
    EXPECT_THROW(solve_exact(p, options_for(Objective::pmedian, 3, 5)), std::invalid_argument);
    EXPECT_THROW(solve_exact(p, options_for(Objective::mclp, 0, 5)), std::invalid_argument);
    EXPECT_THROW(solve_exact(p, options_for(Objective::mclp, 1, 0)), std::invalid_argument);
    EXPECT_THROW(solve_exact(p, options_for(Objective::lscp, 0, -1)), std::invalid_argument);
    EXPECT_THROW(solve_exact(p, options_for(Objective::cmclp, 1, 5)), std::invalid_argument);  // no capacities
    auto share = options_for(Objective::lscp, 0, 5);
    share.coverage_share = 0;
    EXPECT_THROW(solve_exact(p, share), std::invalid_argument);
    auto penalty = options_for(Objective::pmedian, 1, 5);
    penalty.unreachable_penalty = minutes(20);  // d0 lists c2 at 25 min
    EXPECT_THROW(solve_exact(p, penalty), std::invalid_argument);
    try {
        solve_exact(p, options_for(Objective::mclp, 3, 5));
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("only 2 non-fixed candidates"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(solve_exact(p, options_for(Objective::mclp, 2, 5)));
}
