#include "routing/travel_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <boost/geometry.hpp>
#include <boost/geometry/index/rtree.hpp>

#include "util/errors.hpp"

namespace maillage {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BSegment = bg::model::segment<BPoint>;
using BBox = bg::model::box<BPoint>;

// One r-tree entry per edge segment (or per node in nodes_only mode). A two-way road
// is indexed once (the edge with the smaller id); its twin is used through twin().
struct TravelNetwork::Index {
    struct Entry {
        BBox box;
        EdgeId edge;
        std::uint32_t segment;  // index of the segment within the edge polyline
    };
    struct EntryBox {
        using result_type = BBox;
        const BBox& operator()(const Entry& e) const { return e.box; }
    };
    struct EntryEqual {
        bool operator()(const Entry& a, const Entry& b) const {
            return a.edge == b.edge && a.segment == b.segment;
        }
    };
    bgi::rtree<Entry, bgi::rstar<16>, EntryBox, EntryEqual> tree;
    bgi::rtree<BSegment, bgi::rstar<16>> cut_off;  // segments of roads dropped as disconnected
};

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
}  // namespace

TravelNetwork::TravelNetwork(LoadedGraph loaded)
    : graph_(std::move(loaded.graph)),
      info_(std::move(loaded.info)),
      options_(std::move(loaded.snap)),
      index_(std::make_unique<Index>()) {
    const auto& cut_off_roads = loaded.cut_off_roads;
    reverse_ = graph_.reversed();
    std::vector<Index::Entry> entries;
    if (options_.nodes_only) {
        for (NodeId n = 0; n < graph_.node_count(); ++n) {
            Point2 p = graph_.node(n);
            entries.push_back({BBox(BPoint(p.x, p.y), BPoint(p.x, p.y)), kNoEdge, n});
        }
    } else {
        for (EdgeId e = 0; e < graph_.edge_count(); ++e) {
            EdgeId t = graph_.twin(e);
            if (t != kNoEdge && t < e) continue;
            auto line = graph_.polyline(e);
            for (std::uint32_t i = 0; i + 1 < line.size(); ++i) {
                BBox box(BPoint(std::min(line[i].x, line[i + 1].x), std::min(line[i].y, line[i + 1].y)),
                         BPoint(std::max(line[i].x, line[i + 1].x), std::max(line[i].y, line[i + 1].y)));
                entries.push_back({box, e, i});
            }
        }
    }
    index_->tree = decltype(index_->tree)(entries.begin(), entries.end());  // bulk loading (packing)
    std::vector<BSegment> cut;
    for (const auto& road : cut_off_roads)
        for (std::size_t i = 0; i + 1 < road.size(); ++i)
            cut.emplace_back(BPoint(road[i].x, road[i].y), BPoint(road[i + 1].x, road[i + 1].y));
    index_->cut_off = decltype(index_->cut_off)(cut.begin(), cut.end());
}

TravelNetwork::~TravelNetwork() = default;
TravelNetwork::TravelNetwork(TravelNetwork&&) noexcept = default;
TravelNetwork& TravelNetwork::operator=(TravelNetwork&&) noexcept = default;

std::optional<Attachment> TravelNetwork::try_attach(Point2 p) const {
    if (index_->tree.empty()) return std::nullopt;
    const BPoint q(p.x, p.y);
    if (options_.nodes_only) {
        std::optional<Attachment> best;
        std::vector<Index::Entry> nearest;
        std::optional<NodeId> zone = options_.containing_node ? options_.containing_node(p) : std::nullopt;
        if (zone) nearest.push_back({BBox(q, q), kNoEdge, *zone});
        else index_->tree.query(bgi::nearest(q, 1), std::back_inserter(nearest));
        for (const auto& e : nearest) {
            NodeId n = e.segment;
            Attachment a;
            a.node = n;
            a.on_network = graph_.node(n);
            a.distance = distance(p, a.on_network);
            a.access = travel_time(a.distance * options_.access_detour, options_.access_speed);
            if (n < options_.node_access.size()) a.access += options_.node_access[n];
            best = a;
        }
        return best;
    }
    // Box distance is a lower bound of segment distance: take the k nearest boxes, and
    // widen k until the farthest of them is farther than the best exact distance found.
    // (Boost's nearest query computes its k results up front, so k must stay small.)
    std::optional<Attachment> best;
    double best_d2 = std::numeric_limits<double>::infinity();
    EdgeId best_edge = kNoEdge;
    std::uint32_t best_segment = 0;
    std::vector<Index::Entry> candidates;
    for (unsigned k = 16;; k *= 4) {
        candidates.clear();
        index_->tree.query(bgi::nearest(q, k), std::back_inserter(candidates));
        double farthest = 0;
        for (const auto& c : candidates) {
            double box_d = bg::distance(q, c.box);
            farthest = std::max(farthest, box_d);
            if (box_d * box_d > best_d2) continue;
            auto line = graph_.polyline(c.edge);
            Projection pr = project(p, line[c.segment], line[c.segment + 1]);
            bool take = pr.dist2 < best_d2 ||
                        (pr.dist2 == best_d2 && std::tie(c.edge, c.segment) < std::tie(best_edge, best_segment));
            if (!take) continue;
            best_d2 = pr.dist2;
            best_edge = c.edge;
            best_segment = c.segment;
            // Fraction along the edge by length, so partial times are proportional.
            double before = 0.0, total = 0.0;
            for (std::uint32_t i = 0; i + 1 < line.size(); ++i) {
                double seg = distance(line[i], line[i + 1]).value();
                if (i < c.segment) before += seg;
                if (i == c.segment) before += seg * pr.t;
                total += seg;
            }
            Attachment a;
            a.edge = c.edge;
            a.fraction = total > 0 ? before / total : 0.0;
            // Projected onto an end: the point is at that node, reached however the node is
            // (through a one-way edge's far end, only that edge would lead to it).
            if (a.fraction <= 0.0 || a.fraction >= 1.0) {
                a.node = a.fraction <= 0.0 ? graph_.source(c.edge) : graph_.target(c.edge);
                a.edge = kNoEdge;
                a.fraction = 0.0;
            }
            a.on_network = pr.point;
            a.distance = Metres(std::sqrt(pr.dist2));
            a.access = travel_time(a.distance * options_.access_detour, options_.access_speed);
            best = a;
        }
        if (candidates.size() < k || farthest * farthest > best_d2) break;
    }
    if (best && !index_->cut_off.empty()) {
        std::vector<BSegment> nearest;
        index_->cut_off.query(bgi::nearest(q, 1), std::back_inserter(nearest));
        double d = bg::distance(q, nearest.front());
        if (d < best->distance.value()) best->cut_off_road = Metres(d);
    }
    return best;
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
    const RoadGraph& g = toward ? reverse_ : graph_;
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
    add_sources(search.toward ? reverse_ : graph_, search.nodes, sources, search.limit, changed);
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
    const RoadGraph& g = search.toward ? reverse_ : graph_;
    const RoadGraph& predecessors = search.toward ? graph_ : reverse_;
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
