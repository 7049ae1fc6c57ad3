#pragma once
// Compact directed road graph in CSR form (OSRM StaticGraph style): out-edges of a
// node are contiguous, edge attributes live in parallel arrays (columns). Node coordinates
// are Lambert-93; each edge keeps its intermediate shape points for snapping and drawing,
// stored once per road: the two directions of a two-way road read the same shape.
// Every array is a Column, so a graph is either built in memory or read in place from a
// memory-mapped graph cache (network/graph_cache).
#include <cstdint>
#include <iterator>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "geo/point.hpp"
#include "graph/column.hpp"
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

// Which stored shape an edge uses, and whether it reads it backwards (the other direction
// of the same road). One 32-bit word: the high bit is the direction.
class ShapeRef {
public:
    static constexpr std::uint32_t kMaxIndex = (1u << 31) - 1;
    constexpr ShapeRef() = default;
    constexpr ShapeRef(std::uint32_t index, bool reversed) : bits_(index | (reversed ? 1u << 31 : 0u)) {}
    [[nodiscard]] constexpr std::uint32_t index() const { return bits_ & kMaxIndex; }
    [[nodiscard]] constexpr bool reversed() const { return (bits_ >> 31) != 0; }
    [[nodiscard]] constexpr ShapeRef flipped() const { return ShapeRef(index(), !reversed()); }

private:
    std::uint32_t bits_ = 0;
};

// The intermediate points of one edge, in the edge's direction.
class ShapeView {
public:
    class iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = Point2;
        using difference_type = std::ptrdiff_t;
        using pointer = const Point2*;
        using reference = const Point2&;
        iterator() = default;
        iterator(const ShapeView* view, std::uint32_t i) : view_(view), i_(i) {}
        const Point2& operator*() const { return (*view_)[i_]; }
        iterator& operator++() {
            ++i_;
            return *this;
        }
        iterator operator++(int) {
            iterator old = *this;
            ++i_;
            return old;
        }
        bool operator==(const iterator& o) const { return i_ == o.i_; }

    private:
        const ShapeView* view_ = nullptr;
        std::uint32_t i_ = 0;
    };

    ShapeView() = default;
    ShapeView(const Point2* first, std::uint32_t size, bool reversed) : first_(first), size_(size), reversed_(reversed) {}
    [[nodiscard]] std::uint32_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] const Point2& operator[](std::uint32_t i) const { return reversed_ ? first_[size_ - 1 - i] : first_[i]; }
    [[nodiscard]] iterator begin() const { return {this, 0}; }
    [[nodiscard]] iterator end() const { return {this, size_}; }

private:
    const Point2* first_ = nullptr;
    std::uint32_t size_ = 0;
    bool reversed_ = false;
};

// Shapes stored once: shape i is points[offsets[i] .. offsets[i+1]).
struct ShapeTable {
    std::vector<std::uint64_t> offsets{0};
    std::vector<Point2> points;
    // Stores `shape` (intermediate points from source to target) and returns its reference.
    ShapeRef add(std::span<const Point2> shape);
    [[nodiscard]] std::size_t size() const { return offsets.size() - 1; }
    // Drops the shapes no ref in `refs` names (those of links merged into longer chains),
    // in place and keeping the others' order, and renumbers `refs`: a graph cache then
    // stores only live shapes.
    void compact(std::span<ShapeRef> refs);
};

// The edges of a graph as flat arrays, the lean way to build a large graph: edge i goes
// sources[i] → targets[i] and reads shape shapes[i] of a ShapeTable.
struct EdgeArrays {
    std::vector<NodeId> sources;
    std::vector<NodeId> targets;
    std::vector<Seconds> durations;
    std::vector<Metres> lengths;
    std::vector<ShapeRef> shapes;
    void reserve(std::size_t n) {
        sources.reserve(n);
        targets.reserve(n);
        durations.reserve(n);
        lengths.reserve(n);
        shapes.reserve(n);
    }
    void add(NodeId source, NodeId target, Seconds duration, Metres length, ShapeRef shape) {
        sources.push_back(source);
        targets.push_back(target);
        durations.push_back(duration);
        lengths.push_back(length);
        shapes.push_back(shape);
    }
    [[nodiscard]] std::size_t size() const { return sources.size(); }
};

class RoadGraph {
public:
    // Every array of a graph, as stored in a graph cache.
    struct Columns {
        Column<Point2> nodes;
        Column<EdgeId> offsets;  // node_count + 1
        Column<NodeId> sources;
        Column<NodeId> targets;
        Column<Seconds> durations;
        Column<Metres> lengths;
        Column<ShapeRef> shapes;                 // per edge
        Column<std::uint64_t> shape_offsets;     // per stored shape, + 1
        Column<Point2> shape_points;
        Column<EdgeId> twins;
        Column<Arc> arcs;
    };

    RoadGraph() = default;
    // Edges are ordered by (source, target, duration, length, input order): the CSR
    // layout, and so every search, is independent of the order the loader emitted them.
    RoadGraph(std::vector<Point2> nodes, std::vector<GraphEdgeInput> edges);
    RoadGraph(std::vector<Point2> nodes, EdgeArrays edges, ShapeTable shapes);
    // The stored shapes of a graph, shared (not copied) by a graph derived from it.
    struct SharedShapes {
        Column<std::uint64_t> offsets;
        Column<Point2> points;
    };
    [[nodiscard]] SharedShapes shared_shapes() const { return {c_.shape_offsets, c_.shape_points}; }
    // Edges reading shapes of another graph (a subgraph, a renumbering): shared, not copied.
    RoadGraph(std::vector<Point2> nodes, EdgeArrays edges, SharedShapes shapes);
    // Moves the stored shapes out (copied only if another graph shares them), leaving this
    // graph without shapes: for a clean-up step that builds the next graph's shapes from them.
    ShapeTable take_shapes();
    // A graph read back from its columns (a graph cache): every array is checked for
    // consistency first (std::invalid_argument saying which), since a search trusts them.
    static RoadGraph from_columns(Columns columns);
    [[nodiscard]] const Columns& columns() const { return c_; }

    [[nodiscard]] std::size_t node_count() const { return c_.nodes.size(); }
    [[nodiscard]] std::size_t edge_count() const { return c_.targets.size(); }
    [[nodiscard]] Point2 node(NodeId n) const { return c_.nodes[n]; }
    [[nodiscard]] std::span<const Point2> nodes() const { return c_.nodes.span(); }

    [[nodiscard]] EdgeId first_edge(NodeId n) const { return c_.offsets[n]; }
    [[nodiscard]] EdgeId end_edge(NodeId n) const { return c_.offsets[n + 1]; }
    [[nodiscard]] std::span<const Arc> arcs(NodeId n) const {
        return {c_.arcs.data() + c_.offsets[n], c_.offsets[n + 1] - c_.offsets[n]};
    }
    [[nodiscard]] std::span<const Arc> all_arcs() const { return c_.arcs.span(); }
    [[nodiscard]] NodeId source(EdgeId e) const { return c_.sources[e]; }
    [[nodiscard]] NodeId target(EdgeId e) const { return c_.targets[e]; }
    [[nodiscard]] Seconds duration(EdgeId e) const { return c_.durations[e]; }
    [[nodiscard]] Metres length(EdgeId e) const { return c_.lengths[e]; }
    [[nodiscard]] ShapeRef shape_ref(EdgeId e) const { return c_.shapes[e]; }
    [[nodiscard]] ShapeView shape(EdgeId e) const {
        const ShapeRef r = c_.shapes[e];
        const std::uint64_t first = c_.shape_offsets[r.index()];
        return {c_.shape_points.data() + first, static_cast<std::uint32_t>(c_.shape_offsets[r.index() + 1] - first),
                r.reversed()};
    }
    // Source node, shape points, target node.
    [[nodiscard]] std::vector<Point2> polyline(EdgeId e) const;
    // The edge going the other way along the same road (v→u with the same length), or kNoEdge.
    [[nodiscard]] EdgeId twin(EdgeId e) const { return c_.twins[e]; }

    // Same nodes and geometry (shared, not copied), every edge reversed: searches "towards"
    // a site run on it.
    [[nodiscard]] RoadGraph reversed() const;

    // Bytes held by the arrays (shared ones counted once per graph).
    [[nodiscard]] std::size_t memory_bytes() const;

private:
    // Sorts the per-edge arrays into CSR order and builds the graph around `nodes` and a shape
    // table (which may be shared with another graph).
    RoadGraph(Column<Point2> nodes, std::vector<NodeId> sources, std::vector<NodeId> targets,
              std::vector<Seconds> durations, std::vector<Metres> lengths, std::vector<ShapeRef> shapes,
              Column<std::uint64_t> shape_offsets, Column<Point2> shape_points);
    void link_twins(std::vector<EdgeId>& twins) const;

    Columns c_;
};

}  // namespace maillage
