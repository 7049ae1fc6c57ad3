#include "graph/road_graph.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace maillage {

const char* to_string(TravelTimeSource s) {
    switch (s) {
        case TravelTimeSource::osm: return "osm";
        case TravelTimeSource::roads: return "roads";
        case TravelTimeSource::matrix: return "matrix";
        case TravelTimeSource::estimated: return "estimated";
        case TravelTimeSource::fixture: return "fixture";
    }
    return "unknown";
}

RoadGraph::RoadGraph(std::vector<Point2> nodes, std::vector<GraphEdgeInput> edges) : nodes_(std::move(nodes)) {
    const auto n = nodes_.size();
    if (n >= kNoNode) throw std::length_error("road graph: too many nodes");
    for (const auto& e : edges) {
        if (e.source >= n || e.target >= n) throw std::out_of_range("road graph: edge refers to a missing node");
        if (!(e.duration.value() >= 0.0)) throw std::invalid_argument("road graph: negative or NaN edge duration");
    }
    std::vector<std::size_t> order(edges.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto& x = edges[a];
        const auto& y = edges[b];
        if (x.source != y.source) return x.source < y.source;
        if (x.target != y.target) return x.target < y.target;
        if (x.duration != y.duration) return x.duration < y.duration;
        return x.length < y.length;
    });
    offsets_.assign(n + 1, 0);
    sources_.reserve(edges.size());
    targets_.reserve(edges.size());
    durations_.reserve(edges.size());
    lengths_.reserve(edges.size());
    shape_offsets_.reserve(edges.size() + 1);
    shape_offsets_.push_back(0);
    for (std::size_t i : order) {
        auto& e = edges[i];
        ++offsets_[e.source + 1];
        sources_.push_back(e.source);
        targets_.push_back(e.target);
        durations_.push_back(e.duration);
        lengths_.push_back(e.length);
        shape_points_.insert(shape_points_.end(), e.shape.begin(), e.shape.end());
        shape_offsets_.push_back(static_cast<std::uint32_t>(shape_points_.size()));
    }
    std::partial_sum(offsets_.begin(), offsets_.end(), offsets_.begin());
    arcs_.reserve(targets_.size());
    for (std::size_t e = 0; e < targets_.size(); ++e) arcs_.push_back({targets_[e], Millis::round(durations_[e])});
    link_twins();
}

void RoadGraph::link_twins() {
    twins_.assign(edge_count(), kNoEdge);
    for (EdgeId e = 0; e < edge_count(); ++e) {
        NodeId u = sources_[e], v = targets_[e];
        for (EdgeId f = first_edge(v); f < end_edge(v); ++f) {
            if (targets_[f] != u || twins_[f] != kNoEdge || f == e) continue;
            // Same road the other way: same length within a centimetre.
            if (std::abs(lengths_[f].value() - lengths_[e].value()) > 0.01) continue;
            twins_[e] = f;
            twins_[f] = e;
            break;
        }
    }
}

std::vector<Point2> RoadGraph::polyline(EdgeId e) const {
    std::vector<Point2> out;
    auto s = shape(e);
    out.reserve(s.size() + 2);
    out.push_back(nodes_[sources_[e]]);
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(nodes_[targets_[e]]);
    return out;
}

RoadGraph RoadGraph::reversed() const {
    std::vector<GraphEdgeInput> edges;
    edges.reserve(edge_count());
    for (EdgeId e = 0; e < edge_count(); ++e) {
        auto s = shape(e);
        edges.push_back({targets_[e], sources_[e], durations_[e], lengths_[e], {s.rbegin(), s.rend()}});
    }
    return RoadGraph(nodes_, std::move(edges));
}

}  // namespace maillage
