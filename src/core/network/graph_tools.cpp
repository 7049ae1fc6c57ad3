#include "network/graph_tools.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
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
// Subgraph of the nodes with keep[v], renumbered in the original order.
RoadGraph induced(const RoadGraph& g, const std::vector<char>& keep) {
    std::vector<NodeId> renum(g.node_count(), kNoNode);
    std::vector<Point2> nodes;
    for (NodeId v = 0; v < g.node_count(); ++v)
        if (keep[v]) {
            renum[v] = static_cast<NodeId>(nodes.size());
            nodes.push_back(g.node(v));
        }
    std::vector<GraphEdgeInput> edges;
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        NodeId a = renum[g.source(e)], b = renum[g.target(e)];
        if (a == kNoNode || b == kNoNode) continue;
        auto s = g.shape(e);
        edges.push_back({a, b, g.duration(e), g.length(e), {s.begin(), s.end()}});
    }
    return RoadGraph(std::move(nodes), std::move(edges));
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

RoadGraph contract_degree_two(const RoadGraph& g, nlohmann::json& stats) {
    const std::size_t n = g.node_count();
    std::vector<std::vector<EdgeId>> in(n);
    for (EdgeId e = 0; e < g.edge_count(); ++e) in[g.target(e)].push_back(e);
    // A node is contractible when it only links two other nodes, either one way through
    // (u→v→w) or both ways (u↔v↔w).
    std::vector<char> through(n, 0);
    for (NodeId v = 0; v < n; ++v) {
        std::size_t out_deg = g.end_edge(v) - g.first_edge(v);
        std::vector<NodeId> outs, ins;
        for (EdgeId e = g.first_edge(v); e < g.end_edge(v); ++e) outs.push_back(g.target(e));
        for (EdgeId e : in[v]) ins.push_back(g.source(e));
        std::sort(outs.begin(), outs.end());
        std::sort(ins.begin(), ins.end());
        bool self = std::find(outs.begin(), outs.end(), v) != outs.end();
        if (self) continue;
        if (!uniform_speed(g, v, in[v])) continue;
        if (out_deg == 1 && ins.size() == 1 && outs[0] != ins[0]) through[v] = 1;
        if (out_deg == 2 && ins.size() == 2 && outs == ins && outs[0] != outs[1]) through[v] = 1;
    }
    std::vector<GraphEdgeInput> edges;
    std::vector<char> used(g.edge_count(), 0);
    for (EdgeId start = 0; start < g.edge_count(); ++start) {
        if (through[g.source(start)] || used[start]) continue;
        GraphEdgeInput merged{g.source(start), kNoNode, Seconds(0), Metres(0), {}};
        EdgeId e = start;
        NodeId prev = g.source(start);
        for (;;) {
            used[e] = 1;
            merged.duration += g.duration(e);
            merged.length += g.length(e);
            auto s = g.shape(e);
            merged.shape.insert(merged.shape.end(), s.begin(), s.end());
            NodeId v = g.target(e);
            if (!through[v] || v == merged.source) {
                merged.target = v;
                break;
            }
            merged.shape.push_back(g.node(v));
            EdgeId next = kNoEdge;
            for (EdgeId f = g.first_edge(v); f < g.end_edge(v); ++f)
                if (g.target(f) != prev || g.end_edge(v) - g.first_edge(v) == 1) next = f;
            prev = v;
            e = next;
        }
        edges.push_back(std::move(merged));
    }
    std::vector<char> keep(n);
    std::vector<NodeId> renum(n, kNoNode);
    std::vector<Point2> nodes;
    for (NodeId v = 0; v < n; ++v)
        if (!through[v]) {
            renum[v] = static_cast<NodeId>(nodes.size());
            nodes.push_back(g.node(v));
        }
    for (auto& e : edges) {
        e.source = renum[e.source];
        e.target = renum[e.target];
    }
    stats["contracted_nodes"] = n - nodes.size();
    return RoadGraph(std::move(nodes), std::move(edges));
}

namespace {

// Distance along the Hilbert curve filling a 2^16 × 2^16 grid (the classic xy → d walk:
// at each level, pick the quadrant, then rotate / flip so the sub-curve is canonical).
std::uint64_t hilbert_distance(std::uint32_t x, std::uint32_t y) {
    constexpr std::uint32_t side = 1u << 16;
    std::uint64_t d = 0;
    for (std::uint32_t s = side / 2; s > 0; s /= 2) {
        const std::uint32_t rx = (x & s) ? 1 : 0;
        const std::uint32_t ry = (y & s) ? 1 : 0;
        d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

}  // namespace

RoadGraph order_for_locality(const RoadGraph& g) {
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
    std::vector<GraphEdgeInput> edges;
    edges.reserve(g.edge_count());
    for (EdgeId e = 0; e < g.edge_count(); ++e) {
        auto s = g.shape(e);
        edges.push_back({renum[g.source(e)], renum[g.target(e)], g.duration(e), g.length(e), {s.begin(), s.end()}});
    }
    return RoadGraph(std::move(nodes), std::move(edges));
}

void keep_main_network(const RoadGraph& raw, const std::string& file, LoadedGraph& out) {
    Diagnostics cleanup;
    MainComponent connected = keep_largest_scc(raw, cleanup, out.stats);
    for (const auto& w : cleanup.warnings()) out.info.diagnostics.warn({file, "", ""}, w.message);
    out.graph = order_for_locality(contract_degree_two(connected.graph, out.stats));
    out.cut_off_roads = std::move(connected.cut_off_roads);
}

}  // namespace maillage
