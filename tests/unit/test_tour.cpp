// The itinerant service's tour (optimise/tour): shortest order and day cuts, by hand and
// against brute force.
#include <algorithm>
#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "optimise/tour.hpp"

using namespace maillage::optimise;

namespace {

// Points on a line at these kilometres, 1 km = 1 minute, base at 0: symmetric times.
std::vector<std::vector<double>> line(const std::vector<double>& km) {
    std::vector<double> at{0.0};
    at.insert(at.end(), km.begin(), km.end());
    std::vector<std::vector<double>> m(at.size(), std::vector<double>(at.size()));
    for (std::size_t a = 0; a < at.size(); ++a)
        for (std::size_t b = 0; b < at.size(); ++b) m[a][b] = std::abs(at[a] - at[b]);
    return m;
}

}  // namespace

// Stops at -10, 20, 5, 30 km: the shortest loop goes out to one end and back through the other
// side: 2 × 30 + 2 × 10 = 80 minutes.
TEST(Tour, StopsOnALineByHand) {
    auto m = line({-10, 20, 5, 30});
    Tour t = plan_tour(m, 1000, 10);
    EXPECT_TRUE(t.exact);
    EXPECT_DOUBLE_EQ(t.driving_minutes, 80);
    ASSERT_EQ(t.days.size(), 1u);
    // Budget 60 min a day: the -10 stop alone (20 min) and the three others (60 min).
    t = plan_tour(m, 60, 10);
    ASSERT_EQ(t.days.size(), 2u);
    double total = 0;
    for (const auto& d : t.days) {
        EXPECT_LE(d.driving_minutes, 60);
        total += d.driving_minutes;
    }
    EXPECT_DOUBLE_EQ(total, 80);
    // At most one stop a day: four days, each a return trip.
    t = plan_tour(m, 1000, 1);
    ASSERT_EQ(t.days.size(), 4u);
    for (const auto& d : t.days) EXPECT_EQ(d.stops.size(), 1u);
}

// A stop beyond the budget still gets a day of its own (the caller says it exceeds the budget).
TEST(Tour, AStopBeyondTheBudgetGetsItsOwnDay) {
    auto m = line({100, 5});
    Tour t = plan_tour(m, 60, 5);
    ASSERT_EQ(t.days.size(), 2u);
    bool far_day = false;
    for (const auto& d : t.days)
        if (d.driving_minutes > 60) {
            far_day = true;
            EXPECT_EQ(d.stops.size(), 1u);
        }
    EXPECT_TRUE(far_day);
}

// Random asymmetric instances: exact enumeration up to 9 stops equals brute force; beyond, the
// heuristic is never shorter than brute force on 10 stops and within 10 % of it; every stop is
// visited once, in exactly one day.
TEST(Tour, RandomInstancesAgainstBruteForce) {
    std::mt19937 rng(2026);
    std::uniform_real_distribution<double> minutes(1, 60);
    int heuristic_optimal = 0, heuristic_runs = 0;
    for (int round = 0; round < 60; ++round) {
        const std::size_t n = round < 54 ? 1 + round % 9 : 10;
        std::vector<std::vector<double>> m(n + 1, std::vector<double>(n + 1, 0));
        for (auto& row : m)
            for (auto& v : row) v = minutes(rng);
        for (std::size_t a = 0; a <= n; ++a) m[a][a] = 0;
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), 1);
        double best = 1e18;
        do best = std::min(best, loop_minutes(m, order));
        while (std::next_permutation(order.begin(), order.end()));
        Tour t = plan_tour(m, 90, 3);
        EXPECT_GE(t.driving_minutes, best - 1e-9);
        if (n <= 9) {
            EXPECT_TRUE(t.exact);
            EXPECT_NEAR(t.driving_minutes, best, 1e-9);
        } else {
            ++heuristic_runs;
            heuristic_optimal += std::abs(t.driving_minutes - best) < 1e-9;
            EXPECT_LE(t.driving_minutes, best * 1.10);
        }
        std::vector<std::size_t> seen;
        for (const auto& d : t.days) {
            EXPECT_LE(d.stops.size(), 3u);
            EXPECT_NEAR(d.driving_minutes, loop_minutes(m, d.stops), 1e-9);
            if (d.stops.size() > 1) EXPECT_LE(d.driving_minutes, 90 + 1e-9);
            seen.insert(seen.end(), d.stops.begin(), d.stops.end());
        }
        std::sort(seen.begin(), seen.end());
        std::vector<std::size_t> all(n);
        std::iota(all.begin(), all.end(), 1);
        EXPECT_EQ(seen, all);
        EXPECT_EQ(plan_tour(m, 90, 3).order, t.order);  // deterministic
    }
    RecordProperty("heuristic_optimal", std::to_string(heuristic_optimal) + "/" + std::to_string(heuristic_runs));
}
