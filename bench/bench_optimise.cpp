// Location heuristics (optimise/heuristics) on synthetic instances:
//  - Vienne-like: 265 demand units (populations log-normal, median ~735, fixed seed) and 100
//    candidates (the first 5 fixed: existing sites) at random points of a 100 × 100 km square,
//    times = straight line × 1.3 (detour) at 60 km/h, every pair listed (26 500), T = 20 min:
//    MCLP k = 5, p-median k = 10, the coverage curve k = 1..20; for reference CMCLP k = 5
//    (capacity 2 % of the population per site) and LSCP 95 %.
//  - A 1 M-point grid: demand at the centres of a 1000 × 1000 grid of 100 m cells (weights
//    log-normal), 1 024 candidates on a regular 32 × 32 sub-grid (3.125 km apart), pairs within
//    T = 15 min at 50 km/h straight line (12.5 km) only: MCLP k = 20. The build (pair lists and
//    the LocationProblem constructor) is timed once, with the problem's size.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include "optimise/exact_solver.hpp"
#include "optimise/heuristics.hpp"
#include "optimise/location_problem.hpp"

using namespace maillage;
using namespace maillage::optimise;

namespace {

using Clock = std::chrono::steady_clock;

struct Rng {
    std::mt19937_64 engine;
    explicit Rng(std::uint64_t seed) : engine(seed) {}
    double u01() { return (static_cast<double>(engine() >> 11) + 0.5) * 0x1.0p-53; }
    double normal() { return std::sqrt(-2 * std::log(u01())) * std::cos(2 * M_PI * u01()); }
};

// Resident memory now (bytes), from /proc/self/statm.
double resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    double pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double peak_resident_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

// ---------------------------------------------------------------------------------------

const LocationProblem& vienne_like() {
    static const LocationProblem problem = [] {
        Rng rng(86);
        constexpr std::size_t kDemand = 265, kCandidates = 100;
        std::vector<double> weights(kDemand);
        std::vector<std::pair<double, double>> demand(kDemand), sites(kCandidates);
        for (std::size_t i = 0; i < kDemand; ++i) {
            demand[i] = {100 * rng.u01(), 100 * rng.u01()};
            weights[i] = std::round(std::exp(6.6 + 1.1 * rng.normal()));
        }
        for (auto& s : sites) s = {100 * rng.u01(), 100 * rng.u01()};
        std::vector<std::vector<Reachable>> pairs(kDemand);
        for (std::size_t i = 0; i < kDemand; ++i)
            for (std::uint32_t j = 0; j < kCandidates; ++j) {
                const double km = std::hypot(demand[i].first - sites[j].first, demand[i].second - sites[j].second);
                pairs[i].push_back({j, minutes(km * 1.3)});  // 60 km/h: a minute per km
            }
        std::vector<bool> fixed(kCandidates, false);
        for (std::size_t j = 0; j < 5; ++j) fixed[j] = true;
        double total = 0;
        for (double w : weights) total += w;
        std::vector<double> capacities(kCandidates, 0.02 * total);
        return LocationProblem(std::move(weights), std::move(pairs), std::move(fixed), std::move(capacities));
    }();
    return problem;
}

SolveOptions vienne_options(Objective objective, std::size_t k) {
    SolveOptions o;
    o.objective = objective;
    o.k = k;
    o.max_time = minutes(20);
    o.coverage_share = 0.95;
    return o;
}

void report(benchmark::State& state, const LocationProblem& p, const Solution& s) {
    state.counters["objective"] = s.objective;
    state.counters["sites"] = static_cast<double>(s.chosen.size());
    state.counters["share_pct"] = 100.0 * s.objective / p.total_weight();
}

void BM_OptimiseVienneLike_MclpK5(benchmark::State& state) {
    const auto& p = vienne_like();
    const auto o = vienne_options(Objective::mclp, 5);
    Solution s;
    for (auto _ : state) benchmark::DoNotOptimize(s = greedy_mclp(p, o));
    report(state, p, s);
}
BENCHMARK(BM_OptimiseVienneLike_MclpK5)->Unit(benchmark::kMicrosecond);

void BM_OptimiseVienneLike_PMedianK10(benchmark::State& state) {
    const auto& p = vienne_like();
    const auto o = vienne_options(Objective::pmedian, 10);
    Solution s;
    for (auto _ : state) benchmark::DoNotOptimize(s = pmedian_heuristic(p, o));
    state.counters["mean_minutes"] = s.objective / p.total_weight();
    state.counters["sites"] = static_cast<double>(s.chosen.size());
}
BENCHMARK(BM_OptimiseVienneLike_PMedianK10)->Unit(benchmark::kMicrosecond);

// Exact (CBC) on the same instances: targets MCLP k=5 < 0.5 s, p-median k=10 < 5 s; the
// heuristic's gap to the proven optimum is reported.
void BM_OptimiseVienneLike_ExactMclpK5(benchmark::State& state) {
    const auto& p = vienne_like();
    const auto o = vienne_options(Objective::mclp, 5);
    Solution s;
    for (auto _ : state) benchmark::DoNotOptimize(s = solve_exact(p, o));
    report(state, p, s);
    state.counters["proven"] = s.proven_optimal ? 1 : 0;
    state.counters["heuristic_gap_pct"] = 100.0 * (s.objective - greedy_mclp(p, o).objective) / s.objective;
}
BENCHMARK(BM_OptimiseVienneLike_ExactMclpK5)->Unit(benchmark::kMillisecond);

void BM_OptimiseVienneLike_ExactPMedianK10(benchmark::State& state) {
    const auto& p = vienne_like();
    const auto o = vienne_options(Objective::pmedian, 10);
    Solution s;
    for (auto _ : state) benchmark::DoNotOptimize(s = solve_exact(p, o));
    state.counters["proven"] = s.proven_optimal ? 1 : 0;
    state.counters["heuristic_gap_pct"] = 100.0 * (pmedian_heuristic(p, o).objective - s.objective) / s.objective;
}
BENCHMARK(BM_OptimiseVienneLike_ExactPMedianK10)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_OptimiseVienneLike_CurveK20(benchmark::State& state) {
    const auto& p = vienne_like();
    const auto o = vienne_options(Objective::mclp, 0);
    std::vector<CurvePoint> curve;
    for (auto _ : state) benchmark::DoNotOptimize(curve = coverage_curve(p, o, 20));
    state.counters["points"] = static_cast<double>(curve.size());
    state.counters["share_pct_k20"] = 100.0 * curve.back().covered / p.total_weight();
}
BENCHMARK(BM_OptimiseVienneLike_CurveK20)->Unit(benchmark::kMicrosecond);

void BM_OptimiseVienneLike_CmclpK5(benchmark::State& state) {
    const auto& p = vienne_like();
    const auto o = vienne_options(Objective::cmclp, 5);
    Solution s;
    for (auto _ : state) benchmark::DoNotOptimize(s = greedy_cmclp(p, o));
    report(state, p, s);
}
BENCHMARK(BM_OptimiseVienneLike_CmclpK5)->Unit(benchmark::kMicrosecond);

void BM_OptimiseVienneLike_Lscp95(benchmark::State& state) {
    const auto& p = vienne_like();
    const auto o = vienne_options(Objective::lscp, 0);
    Solution s;
    for (auto _ : state) benchmark::DoNotOptimize(s = greedy_lscp(p, o));
    state.counters["sites"] = s.objective;
    state.counters["feasible"] = s.feasible;
}
BENCHMARK(BM_OptimiseVienneLike_Lscp95)->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------

struct GridInstance {
    std::unique_ptr<LocationProblem> problem;
    double lists_seconds = 0, constructor_seconds = 0;
    double pairs = 0, problem_bytes = 0, resident_increase = 0, peak_resident = 0;
};

const GridInstance& grid_instance() {
    static const GridInstance g = [] {
        GridInstance g;
        constexpr int kSide = 1000, kSub = 32;
        constexpr double kCell = 100.0, kSubCell = kSide * kCell / kSub;  // 3 125 m
        const double speed = 50.0 / 3.6, radius = speed * 15 * 60;      // 12 500 m
        const double rss_before = resident_bytes();
        auto t0 = Clock::now();
        Rng rng(1000000);
        std::vector<double> weights(static_cast<std::size_t>(kSide) * kSide);
        for (auto& w : weights) w = std::exp(0.8 * rng.normal());
        std::vector<std::vector<Reachable>> pairs(weights.size());
        const int reach = static_cast<int>(std::ceil(radius / kSubCell)) + 1;
        for (int y = 0; y < kSide; ++y)
            for (int x = 0; x < kSide; ++x) {
                const double px = (x + 0.5) * kCell, py = (y + 0.5) * kCell;
                const int cx = static_cast<int>(px / kSubCell), cy = static_cast<int>(py / kSubCell);
                auto& list = pairs[static_cast<std::size_t>(y) * kSide + x];
                for (int b = std::max(0, cy - reach); b <= std::min(kSub - 1, cy + reach); ++b)
                    for (int a = std::max(0, cx - reach); a <= std::min(kSub - 1, cx + reach); ++a) {
                        const double d = std::hypot(px - (a + 0.5) * kSubCell, py - (b + 0.5) * kSubCell);
                        if (d <= radius)
                            list.push_back({static_cast<std::uint32_t>(b * kSub + a), Seconds(d / speed)});
                    }
                g.pairs += static_cast<double>(list.size());
            }
        auto t1 = Clock::now();
        g.problem = std::make_unique<LocationProblem>(std::move(weights), std::move(pairs),
                                                      std::vector<bool>(kSub * kSub, false));
        auto t2 = Clock::now();
        g.lists_seconds = std::chrono::duration<double>(t1 - t0).count();
        g.constructor_seconds = std::chrono::duration<double>(t2 - t1).count();
        // What the problem holds: pairs (candidate, time), the transposed demand ids, offsets, weights.
        const double n = 1e6, m = kSub * kSub;
        g.problem_bytes = g.pairs * (sizeof(Reachable) + sizeof(std::uint32_t)) + (n + 1) * 4 + n * 8 + (m + 1) * 4;
        malloc_trim(0);  // the input lists, freed, back to the system
        g.resident_increase = resident_bytes() - rss_before;
        g.peak_resident = peak_resident_bytes();
        return g;
    }();
    return g;
}

void BM_OptimiseGrid1M_MclpK20(benchmark::State& state) {
    const GridInstance& g = grid_instance();
    SolveOptions o;
    o.objective = Objective::mclp;
    o.k = 20;
    o.max_time = minutes(15);
    Solution s;
    for (auto _ : state) benchmark::DoNotOptimize(s = greedy_mclp(*g.problem, o));
    report(state, *g.problem, s);
    state.counters["pairs_M"] = g.pairs / 1e6;
    state.counters["build_lists_s"] = g.lists_seconds;
    state.counters["build_problem_s"] = g.constructor_seconds;
    state.counters["problem_MB"] = g.problem_bytes / 1e6;
    state.counters["rss_after_build_MB"] = g.resident_increase / 1e6;
    state.counters["peak_rss_MB"] = g.peak_resident / 1e6;
}
BENCHMARK(BM_OptimiseGrid1M_MclpK20)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
