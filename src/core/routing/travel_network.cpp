#include "routing/travel_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "routing/contraction_hierarchy.hpp"
#include "routing/phast.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {
struct Projection {
    Point2 point;
    double t;  // 0..1 along the segment
    double dist2;
};

Projection project(Point2 p, Point2 a, Point2 b) {
    double dx = b.x - a.x, dy = b.y - a.y;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    Point2 q{a.x + t * dx, a.y + t * dy};
    return {q, t, (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y)};
}

// Calls f(i, a, b) for every segment a→b of edge e's polyline, i from 0.
template <class F>
void for_each_segment(const RoadGraph& g, EdgeId e, F&& f) {
    const ShapeView shape = g.shape(e);
    Point2 a = g.node(g.source(e));
    for (std::uint32_t i = 0; i < shape.size(); ++i) {
        f(i, a, shape[i]);
        a = shape[i];
    }
    f(shape.size(), a, g.node(g.target(e)));
}

// The smallest squared distance from p to edge e, and the first segment reaching it.
std::pair<double, std::uint32_t> edge_distance2(const RoadGraph& g, EdgeId e, Point2 p) {
    double best = std::numeric_limits<double>::infinity();
    std::uint32_t segment = 0;
    for_each_segment(g, e, [&](std::uint32_t i, Point2 a, Point2 b) {
        const double d2 = project(p, a, b).dist2;
        if (d2 < best) {
            best = d2;
            segment = i;
        }
    });
    return {best, segment};
}
}  // namespace

void prepare_for_routing(LoadedGraph& loaded) {
    if (loaded.routing) return;
    const RoadGraph& g = loaded.graph;
    RoutingParts parts;
    parts.reverse = g.reversed();
    std::vector<std::uint32_t> indexed;
    std::vector<Box> boxes;
    if (loaded.snap.nodes_only) {
        for (NodeId n = 0; n < g.node_count(); ++n) {
            indexed.push_back(n);
            boxes.push_back(Box::around(g.node(n)));
        }
    } else {
        // A two-way road is indexed once (the edge with the smaller id); its twin is used
        // through twin().
        for (EdgeId e = 0; e < g.edge_count(); ++e) {
            if (EdgeId t = g.twin(e); t != kNoEdge && t < e) continue;
            Box box = Box::around(g.node(g.source(e)));
            for (const Point2& q : g.shape(e)) box.expand(q);
            box.expand(g.node(g.target(e)));
            indexed.push_back(e);
            boxes.push_back(box);
        }
    }
    parts.edge_index = PackedRTree(boxes);
    parts.indexed = Column<std::uint32_t>(std::move(indexed));
    std::vector<std::uint64_t> offsets{0};
    std::vector<Point2> points;
    boxes.clear();
    for (const auto& road : loaded.cut_off_roads) {
        if (road.empty()) continue;
        Box box = Box::around(road.front());
        for (const Point2& q : road) box.expand(q);
        points.insert(points.end(), road.begin(), road.end());
        offsets.push_back(points.size());
        boxes.push_back(box);
    }
    parts.cut_off_index = PackedRTree(boxes);
    parts.cut_off_offsets = Column<std::uint64_t>(std::move(offsets));
    parts.cut_off_points = Column<Point2>(std::move(points));
    loaded.routing = std::move(parts);
}

void prepare_hierarchy(LoadedGraph& loaded, unsigned threads) {
    prepare_for_routing(loaded);
    if (!loaded.routing->hierarchy.empty() || loaded.graph.node_count() == 0) return;
    ChOptions options;
    options.threads = threads;
    loaded.routing->hierarchy = build_contraction_hierarchy(loaded.graph, options);
}

TravelNetwork::TravelNetwork(LoadedGraph loaded) {
    prepare_for_routing(loaded);
    graph_ = std::move(loaded.graph);
    info_ = std::move(loaded.info);
    options_ = std::move(loaded.snap);
    parts_ = std::move(*loaded.routing);
}

double TravelNetwork::cut_off_distance2(std::uint32_t road, Point2 p) const {
    const auto& offsets = parts_.cut_off_offsets;
    const Point2* points = parts_.cut_off_points.data();
    double best = std::numeric_limits<double>::infinity();
    const std::uint64_t first = offsets[road], last = offsets[road + 1];
    if (last - first == 1) return project(p, points[first], points[first]).dist2;
    for (std::uint64_t i = first; i + 1 < last; ++i) best = std::min(best, project(p, points[i], points[i + 1]).dist2);
    return best;
}

TravelNetwork::~TravelNetwork() = default;
TravelNetwork::TravelNetwork(TravelNetwork&&) noexcept = default;
TravelNetwork& TravelNetwork::operator=(TravelNetwork&&) noexcept = default;

std::optional<Attachment> TravelNetwork::try_attach(Point2 p) const {
    const auto& indexed = parts_.indexed;
    if (options_.nodes_only) {
        // The node of the zone containing the point when the source knows zones (the
        // estimate's communes), else the nearest node.
        std::optional<NodeId> zone = options_.containing_node ? options_.containing_node(p) : std::nullopt;
        NodeId n = kNoNode;
        if (zone) {
            n = *zone;
        } else {
            auto nearest = parts_.edge_index.nearest(p, [&](std::uint32_t item) {
                const Point2 q = graph_.node(indexed[item]);
                return (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y);
            });
            if (!nearest) return std::nullopt;
            n = indexed[nearest->item];
        }
        Attachment a;
        a.node = n;
        a.on_network = graph_.node(n);
        a.distance = distance(p, a.on_network);
        a.access = travel_time(a.distance * options_.access_detour, options_.access_speed);
        if (n < options_.node_access.size()) a.access += options_.node_access[n];
        return a;
    }
    // The nearest road: exact distances to its segments; ties to the smallest edge id, then
    // the first segment.
    auto nearest = parts_.edge_index.nearest(p, [&](std::uint32_t item) {
        return edge_distance2(graph_, indexed[item], p).first;
    });
    if (!nearest) return std::nullopt;
    const EdgeId edge = indexed[nearest->item];
    const auto [d2, segment] = edge_distance2(graph_, edge, p);
    // Fraction along the edge by length, so partial times are proportional.
    double before = 0.0, total = 0.0;
    Projection pr{};
    for_each_segment(graph_, edge, [&](std::uint32_t i, Point2 a, Point2 b) {
        const double seg = distance(a, b).value();
        if (i < segment) before += seg;
        if (i == segment) {
            pr = project(p, a, b);
            before += seg * pr.t;
        }
        total += seg;
    });
    Attachment a;
    a.edge = edge;
    a.fraction = total > 0 ? before / total : 0.0;
    // Projected onto an end: the point is at that node, reached however the node is
    // (through a one-way edge's far end, only that edge would lead to it).
    if (a.fraction <= 0.0 || a.fraction >= 1.0) {
        a.node = a.fraction <= 0.0 ? graph_.source(edge) : graph_.target(edge);
        a.edge = kNoEdge;
        a.fraction = 0.0;
    }
    a.on_network = pr.point;
    a.distance = Metres(std::sqrt(d2));
    a.access = travel_time(a.distance * options_.access_detour, options_.access_speed);
    if (!parts_.cut_off_index.empty()) {
        auto cut = parts_.cut_off_index.nearest(p, [&](std::uint32_t road) { return cut_off_distance2(road, p); });
        const double d = std::sqrt(cut->distance2);
        if (d < a.distance.value()) a.cut_off_road = Metres(d);
    }
    return a;
}

Attachment TravelNetwork::attach(Point2 p, const std::string& what) const {
    if (!std::isfinite(p.x) || !std::isfinite(p.y))
        throw InputError({"", what, ""}, "coordinates are not finite numbers", "a valid position");
    auto a = try_attach(p);
    if (!a) throw InputError({"", what, ""}, "the travel network is empty: nothing to attach to");
    if (a->distance > options_.max_distance) {
        char buf[256];
        std::snprintf(buf, sizeof buf, "is %.0f m from the nearest road of the network (maximum %.0f m)%s",
                      a->distance.value(), options_.max_distance.value(),
                      a->beside_cut_off_road() ? "; the road beside it is cut off from the network (dropped as disconnected)" : "");
        throw InputError({"", what, ""}, buf, "a site within the network's reach (--max-snap)");
    }
    return *a;
}

void TravelNetwork::site_sources(const Attachment& s, std::uint32_t label, bool toward,
                                 std::vector<SearchSource>& out) const {
    // Toward a site: run on the reversed graph. A site on edge u→v at fraction f is
    // reached from u after f·d(u→v); on the reversed graph that is a source at u.
    // From a site: it leaves towards v after (1−f)·d(u→v).
    if (s.edge == kNoEdge) {
        out.push_back({s.node, s.access, label});
        return;
    }
    auto add_edge = [&](EdgeId e, double f) {
        Seconds d = graph_.duration(e);
        if (toward)
            out.push_back({graph_.source(e), d * f + s.access, label});
        else
            out.push_back({graph_.target(e), d * (1.0 - f) + s.access, label});
    };
    add_edge(s.edge, s.fraction);
    if (EdgeId t = graph_.twin(s.edge); t != kNoEdge) add_edge(t, 1.0 - s.fraction);
}

void TravelNetwork::register_site(SiteSearch& out, const Attachment& s, std::uint32_t label) const {
    if (s.edge == kNoEdge) {
        out.sites_at_node.emplace(s.node, label);
        return;
    }
    out.sites_on_edge.emplace(s.edge, label);
    if (EdgeId t = graph_.twin(s.edge); t != kNoEdge) out.sites_on_edge.emplace(t, label);
}

SiteSearch TravelNetwork::search(std::span<const Attachment> sites, Seconds limit, bool toward) const {
    const RoadGraph& g = toward ? parts_.reverse : graph_;
    std::vector<SearchSource> sources;
    SiteSearch out;
    out.toward = toward;
    out.limit = limit;
    out.sites.assign(sites.begin(), sites.end());
    out.open.assign(sites.size(), true);
    for (std::uint32_t i = 0; i < sites.size(); ++i) {
        site_sources(sites[i], i, toward, sources);
        register_site(out, sites[i], i);
    }
    Dijkstra dijkstra(g);
    if (!parts_.hierarchy.empty()) {
        // A sweep passes over every node, whatever the limit; Dijkstra only over what it
        // reaches, about 7 times slower per node (BENCHMARKS.md, region graph). So a bounded
        // search is tried as Dijkstra first and given up past an eighth of the graph, where
        // the sweep becomes cheaper: at worst a sweep and a half. Both give the same keys,
        // node for node (routing/phast.hpp); the hierarchy is the forward graph's, swept
        // backwards for searches towards the sites.
        if (limit.is_finite() && dijkstra.run_within(sources, limit, g.node_count() / 8)) {
            out.nodes = dijkstra.result();
            return out;
        }
        Phast phast(parts_.hierarchy, toward ? PhastDirection::backward : PhastDirection::forward);
        out.nodes = phast.run(sources, limit);
        return out;
    }
    out.nodes = dijkstra.run(sources, limit);
    return out;
}

SiteId TravelNetwork::add_site(SiteSearch& search, const Attachment& site, std::vector<NodeId>& changed) const {
    const auto label = static_cast<std::uint32_t>(search.sites.size());
    search.sites.push_back(site);
    search.open.push_back(true);
    register_site(search, site, label);
    std::vector<SearchSource> sources;
    site_sources(site, label, search.toward, sources);
    add_sources(search.toward ? parts_.reverse : graph_, search.nodes, sources, search.limit, changed);
    return SiteId(label);
}

void TravelNetwork::close_site(SiteSearch& search, SiteId site, std::vector<NodeId>& changed) const {
    if (!site.valid() || site.index() >= search.sites.size() || !search.open[site.index()])
        throw std::invalid_argument("close_site: no such open site");
    const std::uint32_t label = site.index();
    search.open[label] = false;
    auto forget = [label](auto& map) {
        for (auto it = map.begin(); it != map.end();) it = it->second == label ? map.erase(it) : std::next(it);
    };
    forget(search.sites_on_edge);
    forget(search.sites_at_node);
    std::vector<SearchSource> closed, remaining;
    for (std::uint32_t i = 0; i < search.sites.size(); ++i) {
        if (i == label) site_sources(search.sites[i], i, search.toward, closed);
        else if (search.open[i]) site_sources(search.sites[i], i, search.toward, remaining);
    }
    const RoadGraph& g = search.toward ? parts_.reverse : graph_;
    const RoadGraph& predecessors = search.toward ? graph_ : parts_.reverse;
    remove_label(g, predecessors, search.nodes, label, closed, remaining, search.limit, changed);
}

TravelNetwork::Dependencies TravelNetwork::depends_on(const SiteSearch& search, const Attachment& p) const {
    Dependencies d;
    if (p.edge == kNoEdge) {
        d.nodes[0] = p.node;
        return d;
    }
    auto end_of = [&](EdgeId e) { return search.toward ? graph_.target(e) : graph_.source(e); };
    d.edges[0] = p.edge;
    d.nodes[0] = end_of(p.edge);
    if (EdgeId t = graph_.twin(p.edge); t != kNoEdge) {
        d.edges[1] = t;
        d.nodes[1] = end_of(t);
    }
    return d;
}

SiteSearch TravelNetwork::toward(std::span<const Attachment> sites, Seconds limit) const {
    return search(sites, limit, true);
}

SiteSearch TravelNetwork::from(std::span<const Attachment> sites, Seconds limit) const {
    return search(sites, limit, false);
}

Reach TravelNetwork::evaluate(const SiteSearch& s, const Attachment& p) const {
    Reach best;
    auto offer = [&](double t, std::uint32_t label) {
        if (label == kNoLabel || t > s.limit.value()) return;
        const SiteId id(label);
        if (t < best.time.value() || (t == best.time.value() && id < best.site)) {
            best.time = Seconds(t);
            best.site = id;
        }
    };
    const auto& nodes = s.nodes;
    if (p.edge == kNoEdge) {
        offer(nodes.time(p.node).value() + p.access.value(), nodes.label(p.node));
        // A site attached to the very same node: no network leg, only the two off-network
        // legs, and the node's own access time (the estimate's intra-commune spread) once,
        // not once per end. Never more than through the node, so the search's one label
        // per node stays exact: a site behind the node cannot beat this one.
        const double shared = p.node < options_.node_access.size() ? options_.node_access[p.node].value() : 0.0;
        auto [lo, hi] = s.sites_at_node.equal_range(p.node);
        for (auto it = lo; it != hi; ++it)
            offer(p.access.value() + s.sites[it->second].access.value() - shared, it->second);
        return best;
    }
    auto via_edge = [&](EdgeId e, double f) {
        Seconds d = graph_.duration(e);
        if (s.toward) {  // leave the point along e towards its target
            NodeId v = graph_.target(e);
            offer(p.access.value() + d.value() * (1.0 - f) + nodes.time(v).value(), nodes.label(v));
        } else {  // arrive at the point along e from its source
            NodeId u = graph_.source(e);
            offer(nodes.time(u).value() + d.value() * f + p.access.value(), nodes.label(u));
        }
        // A site on the same edge, downstream (toward) or upstream (from) of the point.
        auto [lo, hi] = s.sites_on_edge.equal_range(e);
        for (auto it = lo; it != hi; ++it) {
            const Attachment& site = s.sites[it->second];
            double fs = site.edge == e ? site.fraction : 1.0 - site.fraction;
            double along = s.toward ? fs - f : f - fs;
            if (along >= 0.0) offer(p.access.value() + d.value() * along + site.access.value(), it->second);
        }
    };
    via_edge(p.edge, p.fraction);
    if (EdgeId t = graph_.twin(p.edge); t != kNoEdge) via_edge(t, 1.0 - p.fraction);
    return best;
}

std::string cut_off_note(const Attachment& a) {
    if (!a.beside_cut_off_road()) return {};
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "its nearest road (%.0f m) is cut off from the network (dropped as disconnected): attached to "
                  "the network %.0f m away instead",
                  a.cut_off_road.value(), a.distance.value());
    return buf;
}

}  // namespace maillage
