// Dijkstra cross-checked against an independent naive method (Bellman-Ford relaxation to
// a fixed point) on random directed graphs: single, bounded and multi-source searches,
// with the smallest-label tie-break.
#include <random>

#include <gtest/gtest.h>

#include "routing/dijkstra.hpp"

using namespace maillage;

namespace {

// Times as exact integer milliseconds, like the search, and as plain doubles.
struct Naive {
    std::vector<std::uint64_t> millis;
    std::vector<std::uint32_t> label;
    std::vector<double> exact;  // shortest time summed in double seconds, unrounded
};

Naive bellman_ford(std::size_t n, const std::vector<GraphEdgeInput>& edges, const std::vector<SearchSource>& sources) {
    const auto inf = std::numeric_limits<std::uint64_t>::max();
    Naive r{std::vector<std::uint64_t>(n, inf), std::vector<std::uint32_t>(n, kNoLabel),
            std::vector<double>(n, std::numeric_limits<double>::infinity())};
    auto better = [&](std::uint64_t t, std::uint32_t l, NodeId v) {
        return t < r.millis[v] || (t == r.millis[v] && l < r.label[v]);
    };
    for (const auto& s : sources) {
        std::uint64_t t = Millis::round(s.initial).count();
        if (better(t, s.label, s.node)) r.millis[s.node] = t, r.label[s.node] = s.label;
        r.exact[s.node] = std::min(r.exact[s.node], s.initial.value());
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& e : edges) {
            if (r.label[e.source] == kNoLabel) continue;
            std::uint64_t t = r.millis[e.source] + Millis::round(e.duration).count();
            if (better(t, r.label[e.source], e.target)) {
                r.millis[e.target] = t;
                r.label[e.target] = r.label[e.source];
                changed = true;
            }
            double x = r.exact[e.source] + e.duration.value();
            if (x < r.exact[e.target]) r.exact[e.target] = x, changed = true;
        }
    }
    return r;
}

Seconds as_seconds(std::uint64_t millis) {
    return millis == std::numeric_limits<std::uint64_t>::max() ? Seconds::infinity()
                                                               : Millis(static_cast<std::uint32_t>(millis)).seconds();
}

}  // namespace

TEST(DijkstraReference, RandomGraphsAgreeWithBellmanFord) {
    std::mt19937 rng(2026);
    for (int round = 0; round < 40; ++round) {
        std::size_t n = 5 + rng() % 60;
        std::vector<Point2> nodes(n);
        std::vector<GraphEdgeInput> edges;
        std::size_t m = n * (1 + rng() % 4);
        for (std::size_t k = 0; k < m; ++k) {
            NodeId a = rng() % n, b = rng() % n;
            // Integer seconds make equal-time ties frequent, exercising the tie-break; one
            // edge in three has a fraction of a millisecond, exercising the rounding.
            double extra = rng() % 3 == 0 ? 0.0123456 : 0.0;
            edges.push_back({a, b, Seconds(static_cast<double>(rng() % 10) + extra), Metres(1), {}});
        }
        RoadGraph g(nodes, edges);
        std::vector<SearchSource> sources;
        std::size_t k = 1 + rng() % 4;
        for (std::uint32_t i = 0; i < k; ++i)
            sources.push_back({static_cast<NodeId>(rng() % n), Seconds(static_cast<double>(rng() % 3)), static_cast<std::uint32_t>(rng() % 5)});
        Naive ref = bellman_ford(n, edges, sources);
        auto got = shortest_times(g, sources);
        for (NodeId v = 0; v < n; ++v) {
            EXPECT_EQ(got.time(v), as_seconds(ref.millis[v])) << "round " << round << " node " << v;
            EXPECT_EQ(got.label(v), ref.label[v]) << "round " << round << " node " << v;
            // Rounding each edge to the millisecond moves a path by at most 0.5 ms per edge.
            if (got.reached(v)) {
                EXPECT_NEAR(got.time(v).value(), ref.exact[v], 0.0005 * static_cast<double>(n));
            }
        }
        // Bounded: exactly the nodes within the limit, with the same times.
        Seconds limit(static_cast<double>(rng() % 15));
        auto bounded = shortest_times(g, sources, limit);
        for (NodeId v = 0; v < n; ++v) {
            if (as_seconds(ref.millis[v]) <= limit) {
                EXPECT_EQ(bounded.time(v), as_seconds(ref.millis[v]));
            } else {
                EXPECT_FALSE(bounded.reached(v));
            }
        }
    }
}

// run_within: the same result as run when the search ends within its budget; otherwise
// false, and the next search starts clean (no key of the abandoned one left behind).
TEST(DijkstraReference, RunWithinGivesUpCleanly) {
    const std::size_t n = 60;
    std::vector<Point2> nodes;
    std::vector<GraphEdgeInput> edges;
    for (std::size_t i = 0; i < n; ++i) nodes.push_back({100.0 * static_cast<double>(i), 0.0});
    for (NodeId i = 0; i + 1 < n; ++i) {
        edges.push_back({i, i + 1, Seconds(1.0 + i % 3), Metres(100), {}});
        edges.push_back({i + 1, i, Seconds(2.0), Metres(100), {}});
    }
    const RoadGraph g(std::move(nodes), std::move(edges));
    const std::vector<SearchSource> middle = {{30, Seconds(0), 4}};
    const SearchResult want = shortest_times(g, middle, Seconds(40));
    Dijkstra d(g);
    EXPECT_FALSE(d.run_within(middle, Seconds::infinity(), 10));
    for (NodeId v = 0; v < n; ++v) EXPECT_FALSE(d.result().reached(v)) << v;
    ASSERT_TRUE(d.run_within(middle, Seconds(40), n));
    for (NodeId v = 0; v < n; ++v) {
        EXPECT_EQ(d.result().time(v).value(), want.time(v).value()) << v;
        EXPECT_EQ(d.result().label(v), want.label(v)) << v;
    }
    // Given up again, then a full run from another source: nothing of the abandoned one.
    EXPECT_FALSE(d.run_within(middle, Seconds::infinity(), 3));
    const std::vector<SearchSource> end = {{0, Seconds(0), 9}};
    const SearchResult& full = d.run(end);
    const SearchResult fresh = shortest_times(g, end);
    for (NodeId v = 0; v < n; ++v) {
        EXPECT_EQ(full.time(v).value(), fresh.time(v).value()) << v;
        EXPECT_EQ(full.label(v), fresh.label(v)) << v;
    }
}
