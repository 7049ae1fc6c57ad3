#include "graph/road_graph.hpp"

#include <algorithm>
#include <cmath>
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

ShapeRef ShapeTable::add(std::span<const Point2> shape) {
    if (size() >= ShapeRef::kMaxIndex) throw std::length_error("road graph: too many edge shapes");
    points.insert(points.end(), shape.begin(), shape.end());
    offsets.push_back(points.size());
    return ShapeRef(static_cast<std::uint32_t>(size() - 1), false);
}

void ShapeTable::compact(std::span<ShapeRef> refs) {
    constexpr std::uint32_t kUnused = ShapeRef::kMaxIndex;
    std::vector<std::uint32_t> renumbered(size(), kUnused);
    for (ShapeRef r : refs) renumbered[r.index()] = 0;
    // Kept shapes move towards the front: each one's new place is at or before its old one,
    // so copying forward in index order never overwrites what is still to be read.
    std::uint64_t write = 0, first = offsets[0];
    std::uint32_t next = 0;
    for (std::size_t i = 0; i < renumbered.size(); ++i) {
        const std::uint64_t last = offsets[i + 1];
        if (renumbered[i] != kUnused) {
            std::copy(points.begin() + static_cast<std::ptrdiff_t>(first), points.begin() + static_cast<std::ptrdiff_t>(last),
                      points.begin() + static_cast<std::ptrdiff_t>(write));
            write += last - first;
            renumbered[i] = next;
            offsets[++next] = write;
        }
        first = last;
    }
    offsets.resize(next + 1);
    points.resize(write);
    for (ShapeRef& r : refs) r = ShapeRef(renumbered[r.index()], r.reversed());
}

namespace {
std::pair<EdgeArrays, ShapeTable> to_arrays(std::vector<GraphEdgeInput> edges) {
    EdgeArrays arrays;
    ShapeTable table;
    arrays.reserve(edges.size());
    for (auto& e : edges) {
        arrays.add(e.source, e.target, e.duration, e.length, table.add(e.shape));
        std::vector<Point2>().swap(e.shape);
    }
    return {std::move(arrays), std::move(table)};
}
}  // namespace

RoadGraph::RoadGraph(std::vector<Point2> nodes, std::vector<GraphEdgeInput> edges) {
    auto [arrays, table] = to_arrays(std::move(edges));
    *this = RoadGraph(std::move(nodes), std::move(arrays), std::move(table));
}

RoadGraph::RoadGraph(std::vector<Point2> nodes, EdgeArrays edges, ShapeTable shapes)
    : RoadGraph(Column<Point2>(std::move(nodes)), std::move(edges.sources), std::move(edges.targets),
                std::move(edges.durations), std::move(edges.lengths), std::move(edges.shapes),
                Column<std::uint64_t>(std::move(shapes.offsets)), Column<Point2>(std::move(shapes.points))) {}

RoadGraph::RoadGraph(std::vector<Point2> nodes, EdgeArrays edges, SharedShapes shapes)
    : RoadGraph(Column<Point2>(std::move(nodes)), std::move(edges.sources), std::move(edges.targets),
                std::move(edges.durations), std::move(edges.lengths), std::move(edges.shapes),
                std::move(shapes.offsets), std::move(shapes.points)) {}

ShapeTable RoadGraph::take_shapes() {
    ShapeTable t;
    t.offsets = c_.shape_offsets.take();
    t.points = c_.shape_points.take();
    if (t.offsets.empty()) t.offsets.push_back(0);
    return t;
}

namespace {
// Applies a permutation to one per-edge array, freeing the unsorted one at once (a large
// graph holds one array twice at a time, never all of them).
template <class T>
std::vector<T> permuted(std::vector<T>& values, const std::vector<EdgeId>& order) {
    std::vector<T> out;
    out.reserve(order.size());
    for (EdgeId i : order) out.push_back(values[i]);
    std::vector<T>().swap(values);
    return out;
}
}  // namespace

RoadGraph::RoadGraph(Column<Point2> nodes, std::vector<NodeId> sources, std::vector<NodeId> targets,
                     std::vector<Seconds> durations, std::vector<Metres> lengths, std::vector<ShapeRef> shapes,
                     Column<std::uint64_t> shape_offsets, Column<Point2> shape_points) {
    const std::size_t n = nodes.size();
    const std::size_t m = sources.size();
    if (n >= kNoNode) throw std::length_error("road graph: too many nodes");
    if (m >= kNoEdge) throw std::length_error("road graph: too many edges");
    if (targets.size() != m || durations.size() != m || lengths.size() != m || shapes.size() != m)
        throw std::invalid_argument("road graph: edge arrays of different lengths");
    const std::size_t shape_count = shape_offsets.empty() ? 0 : shape_offsets.size() - 1;
    for (std::size_t e = 0; e < m; ++e) {
        if (sources[e] >= n || targets[e] >= n) throw std::out_of_range("road graph: edge refers to a missing node");
        if (!(durations[e].value() >= 0.0)) throw std::invalid_argument("road graph: negative or NaN edge duration");
        if (shapes[e].index() >= shape_count) throw std::out_of_range("road graph: edge refers to a missing shape");
    }
    std::vector<EdgeId> order(m);
    std::iota(order.begin(), order.end(), EdgeId{0});
    std::stable_sort(order.begin(), order.end(), [&](EdgeId a, EdgeId b) {
        if (sources[a] != sources[b]) return sources[a] < sources[b];
        if (targets[a] != targets[b]) return targets[a] < targets[b];
        if (durations[a] != durations[b]) return durations[a] < durations[b];
        return lengths[a] < lengths[b];
    });
    std::vector<EdgeId> offsets(n + 1, 0);
    for (NodeId s : sources) ++offsets[s + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    auto sorted_sources = permuted(sources, order);
    auto sorted_targets = permuted(targets, order);
    auto sorted_durations = permuted(durations, order);
    auto sorted_lengths = permuted(lengths, order);
    auto sorted_shapes = permuted(shapes, order);
    std::vector<Arc> arcs;
    arcs.reserve(m);
    for (std::size_t e = 0; e < m; ++e) arcs.push_back({sorted_targets[e], Millis::round(sorted_durations[e])});
    c_.nodes = std::move(nodes);
    c_.offsets = Column<EdgeId>(std::move(offsets));
    c_.sources = Column<NodeId>(std::move(sorted_sources));
    c_.targets = Column<NodeId>(std::move(sorted_targets));
    c_.durations = Column<Seconds>(std::move(sorted_durations));
    c_.lengths = Column<Metres>(std::move(sorted_lengths));
    c_.shapes = Column<ShapeRef>(std::move(sorted_shapes));
    c_.shape_offsets = std::move(shape_offsets);
    c_.shape_points = std::move(shape_points);
    c_.arcs = Column<Arc>(std::move(arcs));
    std::vector<EdgeId> twins;
    link_twins(twins);
    c_.twins = Column<EdgeId>(std::move(twins));
}

void RoadGraph::link_twins(std::vector<EdgeId>& twins) const {
    twins.assign(edge_count(), kNoEdge);
    for (EdgeId e = 0; e < edge_count(); ++e) {
        NodeId u = c_.sources[e], v = c_.targets[e];
        // v's edges are sorted by target: those back to u are one run, found by bisection
        // (a complete graph, the estimate's, has a thousand edges per node).
        const NodeId* targets = c_.targets.data();
        EdgeId f = static_cast<EdgeId>(std::lower_bound(targets + first_edge(v), targets + end_edge(v), u) - targets);
        for (; f < end_edge(v) && targets[f] == u; ++f) {
            if (twins[f] != kNoEdge || f == e) continue;
            // Same road the other way: same length within a centimetre.
            if (std::abs(c_.lengths[f].value() - c_.lengths[e].value()) > 0.01) continue;
            twins[e] = f;
            twins[f] = e;
            break;
        }
    }
}

RoadGraph RoadGraph::from_columns(Columns c) {
    const std::size_t n = c.nodes.size();
    const std::size_t m = c.targets.size();
    auto require = [](bool ok, const char* what) {
        if (!ok) throw std::invalid_argument(std::string("road graph: ") + what);
    };
    require(n < kNoNode && m < kNoEdge, "too many nodes or edges");
    require(c.offsets.size() == n + 1 && c.offsets[0] == 0 && c.offsets[n] == m, "node offsets do not match the edges");
    for (std::size_t v = 0; v < n; ++v) require(c.offsets[v] <= c.offsets[v + 1], "node offsets are not increasing");
    require(c.sources.size() == m && c.durations.size() == m && c.lengths.size() == m && c.shapes.size() == m &&
                c.twins.size() == m && c.arcs.size() == m,
            "edge arrays of different lengths");
    require(!c.shape_offsets.empty() && c.shape_offsets[0] == 0 &&
                c.shape_offsets[c.shape_offsets.size() - 1] == c.shape_points.size(),
            "shape offsets do not match the shape points");
    const std::size_t shapes = c.shape_offsets.size() - 1;
    for (std::size_t s = 0; s < shapes; ++s)
        require(c.shape_offsets[s] <= c.shape_offsets[s + 1], "shape offsets are not increasing");
    for (NodeId v = 0; v < n; ++v)
        for (EdgeId e = c.offsets[v]; e < c.offsets[v + 1]; ++e) {
            require(c.sources[e] == v, "an edge is stored under another node than its source");
            require(c.targets[e] < n && c.arcs[e].target == c.targets[e], "an edge refers to a missing node");
            require(c.shapes[e].index() < shapes, "an edge refers to a missing shape");
            require(c.twins[e] == kNoEdge || (c.twins[e] < m && c.targets[c.twins[e]] == v), "an edge's twin is wrong");
            require(c.durations[e].value() >= 0.0, "negative or NaN edge duration");
        }
    RoadGraph g;
    g.c_ = std::move(c);
    return g;
}

std::vector<Point2> RoadGraph::polyline(EdgeId e) const {
    std::vector<Point2> out;
    auto s = shape(e);
    out.reserve(s.size() + 2);
    out.push_back(c_.nodes[c_.sources[e]]);
    out.insert(out.end(), s.begin(), s.end());
    out.push_back(c_.nodes[c_.targets[e]]);
    return out;
}

RoadGraph RoadGraph::reversed() const {
    std::vector<NodeId> sources(c_.targets.begin(), c_.targets.end());
    std::vector<NodeId> targets(c_.sources.begin(), c_.sources.end());
    std::vector<Seconds> durations(c_.durations.begin(), c_.durations.end());
    std::vector<Metres> lengths(c_.lengths.begin(), c_.lengths.end());
    std::vector<ShapeRef> shapes;
    shapes.reserve(edge_count());
    for (ShapeRef r : c_.shapes) shapes.push_back(r.flipped());
    return RoadGraph(c_.nodes, std::move(sources), std::move(targets), std::move(durations), std::move(lengths),
                     std::move(shapes), c_.shape_offsets, c_.shape_points);
}

std::size_t RoadGraph::memory_bytes() const {
    return c_.nodes.bytes() + c_.offsets.bytes() + c_.sources.bytes() + c_.targets.bytes() + c_.durations.bytes() +
           c_.lengths.bytes() + c_.shapes.bytes() + c_.shape_offsets.bytes() + c_.shape_points.bytes() +
           c_.twins.bytes() + c_.arcs.bytes();
}

}  // namespace maillage
