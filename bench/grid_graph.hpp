#pragma once
// The 1 M-node benchmark graph shared by the routing and what-if benchmarks: 1 000 × 1 000
// nodes 100 m apart, two-way, deterministic speeds between 30 and 90 km/h, numbered row by row
// (callers Hilbert-number it with order_for_locality as the loaders do).
#include <random>
#include <vector>

#include "graph/road_graph.hpp"

namespace maillage::bench {

inline RoadGraph make_row_major_grid() {
    const int n = 1000;
    std::vector<Point2> nodes;
    nodes.reserve(n * n);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) nodes.push_back({400000.0 + c * 100.0, 6500000.0 + r * 100.0});
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> speed(30, 90);
    std::vector<GraphEdgeInput> edges;
    edges.reserve(4u * n * n);
    auto link = [&](NodeId a, NodeId b) {
        Seconds t = travel_time(Metres(100), kmh(speed(rng)));
        edges.push_back({a, b, t, Metres(100), {}});
        edges.push_back({b, a, t, Metres(100), {}});
    };
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) {
            NodeId v = static_cast<NodeId>(r * n + c);
            if (c + 1 < n) link(v, v + 1);
            if (r + 1 < n) link(v, v + n);
        }
    return RoadGraph(std::move(nodes), std::move(edges));
}

}  // namespace maillage::bench
