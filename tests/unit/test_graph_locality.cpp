// Hilbert node ordering: the same roads and times, nodes close on the ground close in memory.
#include <algorithm>
#include <map>
#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "network/graph_tools.hpp"
#include "routing/dijkstra.hpp"

using namespace maillage;

namespace {

// A 32 × 32 grid, 100 m apart, speeds drawn per road, nodes numbered in random order.
RoadGraph shuffled_grid() {
    const NodeId side = 32;
    std::mt19937 rng(3);
    std::vector<NodeId> id(side * side);
    std::iota(id.begin(), id.end(), NodeId{0});
    std::shuffle(id.begin(), id.end(), rng);
    std::vector<Point2> nodes(id.size());
    for (NodeId r = 0; r < side; ++r)
        for (NodeId c = 0; c < side; ++c) nodes[id[r * side + c]] = {700000.0 + c * 100.0, 6600000.0 + r * 100.0};
    std::vector<GraphEdgeInput> edges;
    auto road = [&](NodeId a, NodeId b) {
        Seconds t = travel_time(Metres(100), kmh(30.0 + static_cast<double>(rng() % 60)));
        edges.push_back({id[a], id[b], t, Metres(100), {{nodes[id[a]].x + 1, nodes[id[a]].y + 1}}});
        if (rng() % 4) edges.push_back({id[b], id[a], t, Metres(100), {}});  // some one-way
    };
    for (NodeId r = 0; r < side; ++r)
        for (NodeId c = 0; c < side; ++c) {
            if (c + 1 < side) road(r * side + c, r * side + c + 1);
            if (r + 1 < side) road(r * side + c, (r + 1) * side + c);
        }
    return RoadGraph(std::move(nodes), std::move(edges));
}

std::map<std::pair<double, double>, NodeId> by_position(const RoadGraph& g) {
    std::map<std::pair<double, double>, NodeId> out;
    for (NodeId v = 0; v < g.node_count(); ++v) out[{g.node(v).x, g.node(v).y}] = v;
    return out;
}

// Share of edges whose two ends are at most 8 ids apart (within a cache line or two of state).
double near_in_memory(const RoadGraph& g) {
    std::size_t near = 0;
    for (EdgeId e = 0; e < g.edge_count(); ++e)
        near += std::max(g.source(e), g.target(e)) - std::min(g.source(e), g.target(e)) <= 8;
    return static_cast<double>(near) / static_cast<double>(g.edge_count());
}

}  // namespace

TEST(GraphLocality, SameRoadsAndTimesNeighboursCloseInMemory) {
    RoadGraph before = shuffled_grid();
    RoadGraph after = order_for_locality(before);
    ASSERT_EQ(after.node_count(), before.node_count());
    ASSERT_EQ(after.edge_count(), before.edge_count());
    auto old_at = by_position(before);
    auto new_at = by_position(after);
    ASSERT_EQ(new_at.size(), after.node_count());

    // Every node's times to everywhere are unchanged, whatever the numbering.
    for (NodeId probe : {NodeId{0}, NodeId{517}, NodeId{1023}}) {
        Point2 p = before.node(probe);
        SearchSource s_old{probe, Seconds(0), 0};
        SearchSource s_new{new_at.at({p.x, p.y}), Seconds(0), 0};
        auto t_old = shortest_times(before, std::span(&s_old, 1));
        auto t_new = shortest_times(after, std::span(&s_new, 1));
        for (const auto& [pos, v] : old_at) EXPECT_EQ(t_new.time(new_at.at(pos)), t_old.time(v));
    }
    // Shapes travel with their edges.
    for (EdgeId e = 0; e < after.edge_count(); ++e) {
        auto s = after.shape(e);
        if (!s.empty()) {
            EXPECT_DOUBLE_EQ(s[0].x, after.node(after.source(e)).x + 1);
        }
    }
    EXPECT_LT(near_in_memory(before), 0.05);
    EXPECT_GT(near_in_memory(after), 0.6);
    // On a 2^k grid the curve visits neighbours one after the other.
    std::size_t steps = 0;
    for (NodeId v = 0; v + 1 < after.node_count(); ++v) {
        double dx = after.node(v + 1).x - after.node(v).x, dy = after.node(v + 1).y - after.node(v).y;
        steps += std::abs(dx) + std::abs(dy) == 100.0;
    }
    EXPECT_EQ(steps, after.node_count() - 1);
}

TEST(GraphLocality, DeterministicAndEmptySafe) {
    RoadGraph a = order_for_locality(shuffled_grid());
    RoadGraph b = order_for_locality(shuffled_grid());
    for (NodeId v = 0; v < a.node_count(); ++v) EXPECT_EQ(a.node(v).x, b.node(v).x);
    EXPECT_EQ(order_for_locality(RoadGraph()).node_count(), 0u);
}
