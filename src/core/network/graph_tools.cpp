#include "network/graph_tools.hpp"

#include "graph/hilbert.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <span>
#include <utility>

namespace maillage {

std::vector<std::uint32_t> strongly_connected_components(const RoadGraph& g) {
    const std::uint32_t n = static_cast<std::uint32_t>(g.node_count());
    constexpr std::uint32_t kUnvisited = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> index(n, kUnvisited), low(n, 0), comp(n, kUnvisited);
    std::vector<NodeId> stack;
    std::vector<char> on_stack(n, 0);
    struct Frame {
        NodeId node;
        EdgeId next;
    };
    std::vector<Frame> call;
    std::uint32_t counter = 0, components = 0;
    for (NodeId root = 0; root < n; ++root) {
        if (index[root] != kUnvisited) continue;
        call.push_back({root, g.first_edge(root)});
        index[root] = low[root] = counter++;
        stack.push_back(root);
        on_stack[root] = 1;
        while (!call.empty()) {
            Frame& f = call.back();
            if (f.next < g.end_edge(f.node)) {
                NodeId w = g.target(f.next++);
                if (index[w] == kUnvisited) {
                    index[w] = low[w] = counter++;
                    stack.push_back(w);
                    on_stack[w] = 1;
                    call.push_back({w, g.first_edge(w)});
                } else if (on_stack[w]) {
                    low[f.node] = std::min(low[f.node], index[w]);
                }
                continue;
            }
            NodeId v = f.node;
            call.pop_back();
            if (!call.empty()) low[call.back().node] = std::min(low[call.back().node], low[v]);
            if (low[v] == index[v]) {
                NodeId w;
                do {
                    w = stack.back();
                    stack.pop_back();
                    on_stack[w] = 0;
                    comp[w] = components;
                } while (w != v);
                ++components;
            }
        }
    }
    return comp;
}

namespace {
// Subgraph of the nodes with keep[v], renumbered in the original order; shapes shared.
RoadGraph induced(const RoadGraph& g, const std::vector<char>& keep) {
    std::vector<NodeId> renum(g.node_count(), kNoNode);
    std::vector<Point2> nodes;
    for (NodeId v = 0; v < g.node_count(); ++v)
        if (keep[v]) {
            renum[v] = static_cast<NodeId>(nodes.size());
            nodes.push_back(g.node(v));
        }
    EdgeArrays edges;
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        NodeId a = renum[g.source(e)], b = renum[g.target(e)];
        if (a == kNoNode || b == kNoNode) continue;
        edges.add(a, b, g.duration(e), g.length(e), g.shape_ref(e));
    }
    return RoadGraph(std::move(nodes), std::move(edges), g.shared_shapes());
}
}  // namespace

MainComponent keep_largest_scc(const RoadGraph& g, Diagnostics& diagnostics, nlohmann::json& stats) {
    auto comp = strongly_connected_components(g);
    std::map<std::uint32_t, std::size_t> sizes;
    for (auto c : comp) ++sizes[c];
    std::uint32_t best = 0;
    std::size_t best_size = 0;
    for (const auto& [c, size] : sizes)
        if (size > best_size) {  // ties: lowest component id (deterministic)
            best = c;
            best_size = size;
        }
    std::vector<char> keep(g.node_count());
    for (NodeId v = 0; v < g.node_count(); ++v) keep[v] = comp[v] == best;
    std::size_t dropped = g.node_count() - best_size;
    stats["components"] = sizes.size();
    stats["largest_component_nodes"] = best_size;
    stats["dropped_nodes_outside_largest_component"] = dropped;
    if (dropped > 0)
        diagnostics.warn({}, std::to_string(dropped) + " nodes in " + std::to_string(sizes.size() - 1) +
                                 " components not reachable both ways from the main network were dropped");
    MainComponent out{induced(g, keep), {}};
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        if (keep[g.source(e)] && keep[g.target(e)]) continue;
        if (EdgeId t = g.twin(e); t != kNoEdge && t < e) continue;
        out.cut_off_roads.push_back(g.polyline(e));
    }
    stats["cut_off_roads"] = out.cut_off_roads.size();
    return out;
}

namespace {
// A point snapped onto an edge gets its share of the edge's time in proportion to length
// (TravelNetwork::try_attach), which is only right when the speed is the same all along.
// So a node where the speed changes (a maxspeed sign, one road class to another) stays.
bool uniform_speed(const RoadGraph& g, NodeId v, const std::vector<EdgeId>& in) {
    auto speed = [&](EdgeId e) { return g.length(e).value() / std::max(g.duration(e).value(), 1e-9); };
    std::optional<double> first;
    auto same = [&](EdgeId e) {
        double s = speed(e);
        if (!first) first = s;
        return std::abs(s - *first) <= 1e-9 * std::max(s, *first);
    };
    for (EdgeId e = g.first_edge(v); e < g.end_edge(v); ++e)
        if (!same(e)) return false;
    return std::all_of(in.begin(), in.end(), same);
}
}  // namespace

RoadGraph contract_degree_two(RoadGraph g, nlohmann::json& stats) {
    const std::size_t n = g.node_count();
    const std::size_t m = g.edge_count();
    // Incoming edges per node, by counting sort (one array, not a vector per node).
    std::vector<EdgeId> in_offsets(n + 1, 0), in_edges(m);
    for (EdgeId e = 0; e < m; ++e) ++in_offsets[g.target(e) + 1];
    std::partial_sum(in_offsets.begin(), in_offsets.end(), in_offsets.begin());
    {
        std::vector<EdgeId> fill(in_offsets.begin(), in_offsets.end() - 1);
        for (EdgeId e = 0; e < m; ++e) in_edges[fill[g.target(e)]++] = e;
    }
    // A node is contractible when it only links two other nodes, either one way through
    // (u→v→w) or both ways (u↔v↔w).
    std::vector<char> through(n, 0);
    std::vector<NodeId> outs, ins;
    std::vector<EdgeId> in;
    for (NodeId v = 0; v < n; ++v) {
        const std::size_t out_deg = g.end_edge(v) - g.first_edge(v);
        const std::size_t in_deg = in_offsets[v + 1] - in_offsets[v];
        if (out_deg > 2 || in_deg > 2 || out_deg != in_deg) continue;
        outs.clear();
        ins.clear();
        in.assign(in_edges.begin() + in_offsets[v], in_edges.begin() + in_offsets[v + 1]);
        for (EdgeId e = g.first_edge(v); e < g.end_edge(v); ++e) outs.push_back(g.target(e));
        for (EdgeId e : in) ins.push_back(g.source(e));
        std::sort(outs.begin(), outs.end());
        std::sort(ins.begin(), ins.end());
        bool self = std::find(outs.begin(), outs.end(), v) != outs.end();
        if (self) continue;
        if (!uniform_speed(g, v, in)) continue;
        if (out_deg == 1 && ins.size() == 1 && outs[0] != ins[0]) through[v] = 1;
        if (out_deg == 2 && ins.size() == 2 && outs == ins && outs[0] != outs[1]) through[v] = 1;
    }
    // Chains from every edge leaving a kept node. A chain that is one edge keeps its stored
    // shape (same index: the table is taken over, not copied); a longer one gets a new shape,
    // stored once for both directions of a two-way chain (the way back is the twins of its
    // edges, last to first). The shapes of links inside longer chains are dropped at the end.
    ShapeTable table = g.take_shapes();
    auto append_stored = [&](ShapeRef r, std::vector<Point2>& out) {
        const std::uint64_t first = table.offsets[r.index()], last = table.offsets[r.index() + 1];
        if (r.reversed())
            for (std::uint64_t i = last; i > first; --i) out.push_back(table.points[i - 1]);
        else
            out.insert(out.end(), table.points.begin() + static_cast<std::ptrdiff_t>(first),
                       table.points.begin() + static_cast<std::ptrdiff_t>(last));
    };
    EdgeArrays edges;
    std::vector<ShapeRef> chain_shape(m);       // by a chain's first edge
    std::vector<EdgeId> chain_end(m, kNoEdge);  // by a chain's first edge: its last one
    std::vector<char> used(m, 0);
    std::vector<Point2> shape;
    std::vector<EdgeId> chain;
    for (EdgeId start = 0; start < m; ++start) {
        if (through[g.source(start)] || used[start]) continue;
        const NodeId from = g.source(start);
        Seconds duration(0);
        Metres length(0);
        chain.clear();
        EdgeId e = start;
        NodeId prev = from, to = kNoNode;
        for (;;) {
            used[e] = 1;
            chain.push_back(e);
            duration += g.duration(e);
            length += g.length(e);
            NodeId v = g.target(e);
            if (!through[v] || v == from) {
                to = v;
                break;
            }
            EdgeId next = kNoEdge;
            for (EdgeId f = g.first_edge(v); f < g.end_edge(v); ++f)
                if (g.target(f) != prev || g.end_edge(v) - g.first_edge(v) == 1) next = f;
            prev = v;
            e = next;
        }
        const EdgeId last = chain.back();
        const std::size_t links = chain.size();
        ShapeRef ref;
        const EdgeId back_start = g.twin(last);
        if (back_start != kNoEdge && chain_end[back_start] != kNoEdge && chain_end[back_start] == g.twin(start)) {
            ref = chain_shape[back_start].flipped();  // the same road, the other way
        } else if (links == 1) {
            ref = g.shape_ref(start);
        } else {
            shape.clear();
            for (std::size_t i = 0; i < links; ++i) {
                append_stored(g.shape_ref(chain[i]), shape);
                if (i + 1 < links) shape.push_back(g.node(g.target(chain[i])));
            }
            ref = table.add(shape);
        }
        chain_shape[start] = ref;
        chain_end[start] = last;
        edges.add(from, to, duration, length, ref);
    }
    std::vector<NodeId> renum(n, kNoNode);
    std::vector<Point2> nodes;
    for (NodeId v = 0; v < n; ++v)
        if (!through[v]) {
            renum[v] = static_cast<NodeId>(nodes.size());
            nodes.push_back(g.node(v));
        }
    for (auto& v : edges.sources) v = renum[v];
    for (auto& v : edges.targets) v = renum[v];
    stats["contracted_nodes"] = n - nodes.size();
    table.compact(edges.shapes);
    return RoadGraph(std::move(nodes), std::move(edges), std::move(table));
}


RoadGraph order_for_locality(RoadGraph g) {
    const std::size_t n = g.node_count();
    if (n == 0) return g;
    double minx = g.node(0).x, miny = g.node(0).y, maxx = minx, maxy = miny;
    for (const auto& p : g.nodes()) {
        minx = std::min(minx, p.x);
        miny = std::min(miny, p.y);
        maxx = std::max(maxx, p.x);
        maxy = std::max(maxy, p.y);
    }
    // One scale for both axes keeps cells square; 65535 cells over the span.
    const double scale = 65535.0 / std::max({maxx - minx, maxy - miny, 1e-9});
    std::vector<std::uint64_t> key(n);
    for (NodeId v = 0; v < n; ++v) {
        const auto cx = static_cast<std::uint32_t>((g.node(v).x - minx) * scale);
        const auto cy = static_cast<std::uint32_t>((g.node(v).y - miny) * scale);
        key[v] = hilbert_distance(cx, cy);
    }
    std::vector<NodeId> order(n);
    std::iota(order.begin(), order.end(), NodeId{0});
    std::stable_sort(order.begin(), order.end(), [&](NodeId a, NodeId b) { return key[a] < key[b]; });
    std::vector<NodeId> renum(n);
    std::vector<Point2> nodes(n);
    for (NodeId k = 0; k < n; ++k) {
        renum[order[k]] = k;
        nodes[k] = g.node(order[k]);
    }
    EdgeArrays edges;
    edges.reserve(g.edge_count());
    for (EdgeId e = 0; e < g.edge_count(); ++e)
        edges.add(renum[g.source(e)], renum[g.target(e)], g.duration(e), g.length(e), g.shape_ref(e));
    RoadGraph::SharedShapes shapes = g.shared_shapes();
    g = RoadGraph();  // its edge arrays are copied into `edges`: freed before the new ones are sorted
    return RoadGraph(std::move(nodes), std::move(edges), std::move(shapes));
}

void keep_main_network(RoadGraph raw, const std::string& file, LoadedGraph& out) {
    Diagnostics cleanup;
    MainComponent connected = keep_largest_scc(raw, cleanup, out.stats);
    raw = RoadGraph();  // each step frees the previous graph's arrays (the shapes pass along)
    for (const auto& w : cleanup.warnings()) out.info.diagnostics.warn({file, "", ""}, w.message);
    out.cut_off_roads = std::move(connected.cut_off_roads);
    RoadGraph contracted = contract_degree_two(std::move(connected.graph), out.stats);
    out.graph = order_for_locality(std::move(contracted));
}

}  // namespace maillage
