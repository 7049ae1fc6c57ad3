// Dijkstra cross-checked against an independent naive method (Bellman-Ford relaxation to
// a fixed point) on random directed graphs: single, bounded and multi-source searches,
// with the smallest-label tie-break.
#include <random>

#include <gtest/gtest.h>

#include "routing/dijkstra.hpp"

using namespace maillage;

namespace {

struct Naive {
    std::vector<double> time;
    std::vector<std::uint32_t> label;
};

Naive bellman_ford(std::size_t n, const std::vector<GraphEdgeInput>& edges, const std::vector<SearchSource>& sources) {
    const double inf = std::numeric_limits<double>::infinity();
    Naive r{std::vector<double>(n, inf), std::vector<std::uint32_t>(n, kNoLabel)};
    auto better = [&](double t, std::uint32_t l, NodeId v) { return t < r.time[v] || (t == r.time[v] && l < r.label[v]); };
    for (const auto& s : sources)
        if (better(s.initial.value(), s.label, s.node)) r.time[s.node] = s.initial.value(), r.label[s.node] = s.label;
    for (bool changed = true; changed;) {
        changed = false;
        for (const auto& e : edges) {
            if (r.label[e.source] == kNoLabel) continue;
            double t = r.time[e.source] + e.duration.value();
            if (better(t, r.label[e.source], e.target)) {
                r.time[e.target] = t;
                r.label[e.target] = r.label[e.source];
                changed = true;
            }
        }
    }
    return r;
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
            // Integer seconds make equal-time ties frequent, exercising the tie-break.
            edges.push_back({a, b, Seconds(static_cast<double>(rng() % 10)), Metres(1), {}});
        }
        RoadGraph g(nodes, edges);
        std::vector<SearchSource> sources;
        std::size_t k = 1 + rng() % 4;
        for (std::uint32_t i = 0; i < k; ++i)
            sources.push_back({static_cast<NodeId>(rng() % n), Seconds(static_cast<double>(rng() % 3)), static_cast<std::uint32_t>(rng() % 5)});
        Naive ref = bellman_ford(n, edges, sources);
        auto got = shortest_times(g, sources);
        for (NodeId v = 0; v < n; ++v) {
            EXPECT_EQ(got.time[v].value(), ref.time[v]) << "round " << round << " node " << v;
            EXPECT_EQ(got.label[v], ref.label[v]) << "round " << round << " node " << v;
        }
        // Bounded: exactly the nodes within the limit, with the same times.
        Seconds limit(static_cast<double>(rng() % 15));
        auto bounded = shortest_times(g, sources, limit);
        for (NodeId v = 0; v < n; ++v) {
            if (ref.time[v] <= limit.value()) {
                EXPECT_EQ(bounded.time[v].value(), ref.time[v]);
            } else {
                EXPECT_FALSE(bounded.reached(v));
            }
        }
    }
}
