#pragma once
// Compact directed road graph in CSR form (OSRM StaticGraph style): out-edges of a
// node are contiguous, edge attributes live in parallel arrays. Node coordinates are
// Lambert-93; each edge keeps its intermediate shape points for catchment polygons.
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "geo/point.hpp"
#include "util/units.hpp"

namespace maillage {

using NodeId = std::uint32_t;
using EdgeId = std::uint32_t;
constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();
constexpr EdgeId kNoEdge = std::numeric_limits<EdgeId>::max();

// Where travel times come from. Every output names it; `estimated` is said loudly.
enum class TravelTimeSource { osm, roads, matrix, estimated, fixture };
const char* to_string(TravelTimeSource s);

struct GraphEdgeInput {
    NodeId source = kNoNode;
    NodeId target = kNoNode;
    Seconds duration;
    Metres length;
    std::vector<Point2> shape;  // intermediate points only, from source to target
};

// What a search needs of an edge, packed in 8 bytes so relaxing a node touches one cache
// line (two nodes of a grid-like road network share one).
struct Arc {
    NodeId target;
    Millis duration;
};

class RoadGraph {
public:
    RoadGraph() = default;
    // Edges are ordered by (source, target, duration, length, input order): the CSR
    // layout, and so every search, is independent of the order the loader emitted them.
    RoadGraph(std::vector<Point2> nodes, std::vector<GraphEdgeInput> edges);

    [[nodiscard]] std::size_t node_count() const { return nodes_.size(); }
    [[nodiscard]] std::size_t edge_count() const { return targets_.size(); }
    [[nodiscard]] Point2 node(NodeId n) const { return nodes_[n]; }
    [[nodiscard]] const std::vector<Point2>& nodes() const { return nodes_; }

    [[nodiscard]] EdgeId first_edge(NodeId n) const { return offsets_[n]; }
    [[nodiscard]] EdgeId end_edge(NodeId n) const { return offsets_[n + 1]; }
    [[nodiscard]] std::span<const Arc> arcs(NodeId n) const {
        return {arcs_.data() + offsets_[n], offsets_[n + 1] - offsets_[n]};
    }
    [[nodiscard]] std::span<const Arc> all_arcs() const { return arcs_; }
    [[nodiscard]] NodeId source(EdgeId e) const { return sources_[e]; }
    [[nodiscard]] NodeId target(EdgeId e) const { return targets_[e]; }
    [[nodiscard]] Seconds duration(EdgeId e) const { return durations_[e]; }
    [[nodiscard]] Metres length(EdgeId e) const { return lengths_[e]; }
    [[nodiscard]] std::span<const Point2> shape(EdgeId e) const {
        return {shape_points_.data() + shape_offsets_[e], shape_offsets_[e + 1] - shape_offsets_[e]};
    }
    // Source node, shape points, target node.
    [[nodiscard]] std::vector<Point2> polyline(EdgeId e) const;
    // The edge going the other way along the same road (v→u with the same length), or kNoEdge.
    [[nodiscard]] EdgeId twin(EdgeId e) const { return twins_[e]; }

    // Same nodes and geometry, every edge reversed: searches "towards" a site run on it.
    [[nodiscard]] RoadGraph reversed() const;

private:
    void link_twins();

    std::vector<Point2> nodes_;
    std::vector<EdgeId> offsets_;       // node_count + 1
    std::vector<NodeId> sources_;
    std::vector<NodeId> targets_;
    std::vector<Seconds> durations_;
    std::vector<Metres> lengths_;
    std::vector<std::uint32_t> shape_offsets_;  // edge_count + 1
    std::vector<Point2> shape_points_;
    std::vector<EdgeId> twins_;
    std::vector<Arc> arcs_;
};

}  // namespace maillage
