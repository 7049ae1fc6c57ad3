// Incremental what-if coverage checked against searches from scratch:
//  - add_sources / remove_label against shortest_times on random directed graphs (ties,
//    zero-duration arcs, unreachable parts, bounded and unbounded);
//  - TravelNetwork::add_site / close_site and IncrementalCoverage against toward() / from()
//    and compute_coverage on random geometric graphs (two-way roads, one-way edges, sites
//    and demand on the same edge or node, nodes_only with node access);
//  - IncrementalCoverage on the real Vienne study (estimated network), bit for bit.
#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "coverage/attached_sites.hpp"
#include "coverage/coverage.hpp"
#include "coverage/demand.hpp"
#include "coverage/incremental_coverage.hpp"
#include "network/network_spec.hpp"
#include "presets/vienne_preset.hpp"
#include "routing/dijkstra.hpp"
#include "routing/travel_network.hpp"
#include "services/service_loader.hpp"
#include "territory/territory_loader.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------
// Dijkstra level

struct LabelledSite {
    std::uint32_t label;
    std::vector<SearchSource> sources;
};

std::vector<SearchSource> all_sources(const std::vector<LabelledSite>& sites) {
    std::vector<SearchSource> out;
    for (const auto& s : sites) out.insert(out.end(), s.sources.begin(), s.sources.end());
    return out;
}

// First node whose (time, label) differs, as a message; empty when all agree.
std::string first_difference(const SearchResult& got, const SearchResult& want) {
    if (got.size() != want.size()) return "sizes differ";
    for (NodeId v = 0; v < got.size(); ++v)
        if (got.time(v) != want.time(v) || got.label(v) != want.label(v)) {
            std::ostringstream m;
            m << "node " << v << ": got (" << got.time(v).value() << " s, label " << got.label(v) << "), want ("
              << want.time(v).value() << " s, label " << want.label(v) << ")";
            return m.str();
        }
    return {};
}

std::set<NodeId> differing_nodes(const SearchResult& a, const SearchResult& b) {
    std::set<NodeId> out;
    for (NodeId v = 0; v < a.size(); ++v)
        if (a.time(v) != b.time(v) || a.label(v) != b.label(v)) out.insert(v);
    return out;
}

}  // namespace

TEST(IncrementalDijkstra, RandomAddAndRemoveEqualSearchesFromScratch) {
    std::mt19937 rng(4242);
    for (int round = 0; round < 300; ++round) {
        const std::size_t n = 1 + rng() % 300;
        std::vector<Point2> nodes(n);
        std::vector<GraphEdgeInput> edges;
        // Density from none (everything unreachable but the sources) to ~5 arcs a node;
        // sometimes two halves with no arc between them.
        const std::size_t m = n * (rng() % 6) + rng() % 3;
        const bool split = n > 2 && rng() % 4 == 0;
        const int mode = static_cast<int>(rng() % 4);  // 0 equal, 1 small ints with zeros, 2 + fractions, 3 real
        for (std::size_t k = 0; k < m; ++k) {
            NodeId a = rng() % n, b = rng() % n;
            if (split && (a < n / 2) != (b < n / 2)) b = a < n / 2 ? rng() % (n / 2) : n / 2 + rng() % (n - n / 2);
            double d = 0;
            switch (mode) {
                case 0: d = 5; break;
                case 1: d = static_cast<double>(rng() % 4); break;  // one arc in four takes no time
                case 2: d = static_cast<double>(rng() % 10) + (rng() % 3 == 0 ? 0.0123456 : 0.0); break;
                default: d = std::uniform_real_distribution<double>(0, 100)(rng); break;
            }
            edges.push_back({a, b, Seconds(d), Metres(1), {}});
        }
        const RoadGraph g(nodes, edges);
        const RoadGraph back = g.reversed();
        const double scale = mode == 3 ? 100.0 : 6.0;
        const Seconds limit = rng() % 2 ? Seconds::infinity()
                                        : Seconds(std::uniform_real_distribution<double>(0, 4 * scale)(rng));

        // Labels unique, in random order (so an added site may take a label below the others').
        std::vector<std::uint32_t> labels(1000);
        for (std::uint32_t i = 0; i < labels.size(); ++i) labels[i] = i;
        std::shuffle(labels.begin(), labels.end(), rng);
        std::size_t next_label = 0;
        std::vector<LabelledSite> sites;
        auto new_site = [&] {
            LabelledSite s{labels[next_label++], {}};
            const std::size_t count = 1 + rng() % 3;
            for (std::size_t i = 0; i < count; ++i) {
                NodeId node = rng() % n;
                // Often at a node that already holds a source (of this site or another).
                std::vector<SearchSource> existing = all_sources(sites);
                existing.insert(existing.end(), s.sources.begin(), s.sources.end());
                if (!existing.empty() && rng() % 3 == 0) node = existing[rng() % existing.size()].node;
                double initial = rng() % 2 ? static_cast<double>(rng() % 3)
                                           : std::uniform_real_distribution<double>(0, scale)(rng);
                s.sources.push_back({node, Seconds(initial), s.label});
            }
            return s;
        };
        for (std::size_t i = 0, k = rng() % 4; i < k; ++i) sites.push_back(new_site());
        SearchResult result = shortest_times(g, all_sources(sites), limit);

        for (int step = 0; step < 30; ++step) {
            const SearchResult before = result;
            std::vector<NodeId> changed;
            const bool add = sites.empty() || rng() % 2;
            if (add) {
                LabelledSite s = new_site();
                add_sources(g, result, s.sources, limit, changed);
                sites.push_back(std::move(s));
            } else {
                const std::size_t i = rng() % sites.size();
                const LabelledSite gone = sites[i];
                sites.erase(sites.begin() + static_cast<std::ptrdiff_t>(i));
                const auto remaining = all_sources(sites);
                remove_label(g, back, result, gone.label, gone.sources, remaining, limit, changed);
            }
            const SearchResult want = shortest_times(g, all_sources(sites), limit);
            const std::string diff = first_difference(result, want);
            ASSERT_EQ(diff, "") << "round " << round << " step " << step << (add ? " add" : " remove") << ", n " << n
                                << ", mode " << mode << ", limit " << limit.value();
            // `changed` lists exactly the nodes whose (time, label) changed: adding, the nodes
            // it improved; removing, the nodes the removed label held (all change).
            const std::set<NodeId> listed(changed.begin(), changed.end());
            EXPECT_EQ(listed.size(), changed.size()) << "round " << round << " step " << step << ": duplicates";
            EXPECT_EQ(listed, differing_nodes(before, result)) << "round " << round << " step " << step;
        }
    }
}

TEST(IncrementalDijkstra, ZeroDurationCycleAndSourceOnASourceNode) {
    // 0 ⇄ 1 ⇄ 2 all zero-duration, 2 → 3 takes 4 s, 3 → 0 takes 1 s.
    std::vector<Point2> nodes(4);
    std::vector<GraphEdgeInput> edges = {
        {0, 1, Seconds(0), Metres(1), {}}, {1, 0, Seconds(0), Metres(1), {}}, {1, 2, Seconds(0), Metres(1), {}},
        {2, 1, Seconds(0), Metres(1), {}}, {2, 3, Seconds(4), Metres(1), {}}, {3, 0, Seconds(1), Metres(1), {}},
    };
    const RoadGraph g(nodes, edges);
    const RoadGraph back = g.reversed();
    std::vector<SearchSource> a = {{0, Seconds(2), 7}};
    SearchResult r = shortest_times(g, a);
    EXPECT_EQ(r.time(2), Seconds(2));
    EXPECT_EQ(r.label(2), 7u);
    EXPECT_EQ(r.time(3), Seconds(6));
    // A second source at node 0 at the same time but a smaller label takes the whole cycle.
    std::vector<SearchSource> b = {{0, Seconds(2), 3}};
    std::vector<NodeId> changed;
    add_sources(g, r, b, Seconds::infinity(), changed);
    EXPECT_EQ(changed.size(), 4u);
    for (NodeId v = 0; v < 4; ++v) EXPECT_EQ(r.label(v), 3u) << v;
    // Same place, same time, larger label: nothing changes.
    changed.clear();
    std::vector<SearchSource> c = {{0, Seconds(2), 9}};
    add_sources(g, r, c, Seconds::infinity(), changed);
    EXPECT_TRUE(changed.empty());
    // Earlier at node 3: 3 itself and, one second later, the zero cycle.
    changed.clear();
    std::vector<SearchSource> d = {{3, Seconds(0), 11}};
    add_sources(g, r, d, Seconds::infinity(), changed);
    EXPECT_EQ(changed.size(), 4u);
    EXPECT_EQ(r.time(1), Seconds(1));
    EXPECT_EQ(r.label(1), 11u);
    // Removing 11 gives back label 3 everywhere (9 ties it at node 0 but is larger).
    changed.clear();
    std::vector<SearchSource> remaining = {a[0], b[0], c[0]};
    remove_label(g, back, r, 11, d, remaining, Seconds::infinity(), changed);
    EXPECT_EQ(changed.size(), 4u);
    EXPECT_EQ(first_difference(r, shortest_times(g, remaining)), "");
    for (NodeId v = 0; v < 4; ++v) EXPECT_EQ(r.label(v), 3u) << v;
    // Removing 3 (its source node holds the other two): 7 wins the tie with 9.
    changed.clear();
    remaining = {a[0], c[0]};
    remove_label(g, back, r, 3, b, remaining, Seconds::infinity(), changed);
    EXPECT_EQ(first_difference(r, shortest_times(g, remaining)), "");
    EXPECT_EQ(r.label(3), 7u);
    // Bounded at 3 s: node 3 (6 s) is out of reach.
    SearchResult bounded = shortest_times(g, remaining, Seconds(3));
    changed.clear();
    remove_label(g, back, bounded, 7, a, c, Seconds(3), changed);
    EXPECT_EQ(first_difference(bounded, shortest_times(g, c, Seconds(3))), "");
    EXPECT_FALSE(bounded.reached(3));
    EXPECT_EQ(bounded.label(2), 9u);
}

// ---------------------------------------------------------------------------------------
// TravelNetwork / IncrementalCoverage level

namespace {

struct RandomWorld {
    std::unique_ptr<TravelNetwork> network;
    std::size_t node_count = 0;
    std::vector<GraphEdgeInput> edges;
};

std::vector<Point2> with_ends(Point2 a, const std::vector<Point2>& shape, Point2 b) {
    std::vector<Point2> line{a};
    line.insert(line.end(), shape.begin(), shape.end());
    line.push_back(b);
    return line;
}

Point2 along(const std::vector<Point2>& line, double f) {
    double total = 0;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) total += distance(line[i], line[i + 1]).value();
    double at = f * total;
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
        double seg = distance(line[i], line[i + 1]).value();
        if (at <= seg || i + 2 == line.size()) {
            double t = seg > 0 ? std::min(1.0, at / seg) : 0.0;
            return {line[i].x + t * (line[i + 1].x - line[i].x), line[i].y + t * (line[i + 1].y - line[i].y)};
        }
        at -= seg;
    }
    return line.front();
}

// Nodes on whole metres in a 2 km square; two-way roads (twins, sometimes slower one
// way), one-way edges, pairs of one-way edges of different lengths (not twins), shape
// points. Durations either from speeds or whole multiples of 10 s (ties everywhere).
RandomWorld random_world(std::mt19937& rng, bool nodes_only) {
    RandomWorld w;
    const std::size_t n = 1 + rng() % 40;
    w.node_count = n;
    std::vector<Point2> nodes;
    for (std::size_t i = 0; i < n; ++i)
        nodes.push_back({static_cast<double>(rng() % 2000), static_cast<double>(rng() % 2000)});
    const bool whole_times = rng() % 2;
    auto duration = [&](double length) {
        if (whole_times) return Seconds(10.0 * static_cast<double>(rng() % 4));
        static const double speeds[] = {8.0, 12.5, 25.0};
        return Seconds(length / speeds[rng() % 3]);
    };
    auto length_of = [](const std::vector<Point2>& line) {
        double l = 0;
        for (std::size_t i = 0; i + 1 < line.size(); ++i) l += distance(line[i], line[i + 1]).value();
        return Metres(l);
    };
    const std::size_t m = n < 2 ? 0 : n * (rng() % 3) + rng() % 4;
    for (std::size_t k = 0; k < m; ++k) {
        NodeId a = rng() % n, b = rng() % n;
        if (a == b || (nodes[a].x == nodes[b].x && nodes[a].y == nodes[b].y)) continue;
        std::vector<Point2> shape;
        if (rng() % 3 == 0) {
            Point2 mid{(nodes[a].x + nodes[b].x) / 2 + static_cast<double>(rng() % 200) - 100.0,
                       (nodes[a].y + nodes[b].y) / 2 + static_cast<double>(rng() % 200) - 100.0};
            shape.push_back(mid);
        }
        const Metres len = length_of(with_ends(nodes[a], shape, nodes[b]));
        std::vector<Point2> reversed_shape(shape.rbegin(), shape.rend());
        switch (rng() % 4) {
            case 0:
            case 1: {  // two-way road: twins
                Seconds there = duration(len.value());
                Seconds back = rng() % 3 == 0 ? duration(len.value()) : there;
                w.edges.push_back({a, b, there, len, shape});
                w.edges.push_back({b, a, back, len, reversed_shape});
                break;
            }
            case 2:  // one-way
                w.edges.push_back({a, b, duration(len.value()), len, shape});
                break;
            default: {  // both ways, by different roads: no twins
                const Metres straight = distance(nodes[a], nodes[b]);
                w.edges.push_back({a, b, duration(straight.value()), straight, {}});
                std::vector<Point2> other{{(nodes[a].x + nodes[b].x) / 2 + 150.0, (nodes[a].y + nodes[b].y) / 2 + 150.0}};
                Metres other_len = length_of(with_ends(nodes[b], other, nodes[a]));
                if (std::abs(other_len.value() - straight.value()) < 1.0) other_len = Metres(other_len.value() + 5.0);
                w.edges.push_back({b, a, duration(other_len.value()), other_len, other});
                break;
            }
        }
    }
    LoadedGraph loaded;
    loaded.graph = RoadGraph(nodes, w.edges);
    loaded.snap.max_distance = Metres(1e9);
    loaded.snap.access_speed = MetresPerSecond(rng() % 2 ? 4.0 : 1e6);  // sometimes nearly free access
    loaded.snap.nodes_only = nodes_only;
    if (nodes_only) {
        // Like the estimated network: an intra-commune access time per node.
        for (std::size_t i = 0; i < n; ++i) loaded.snap.node_access.push_back(Seconds(10.0 * static_cast<double>(rng() % 6)));
    }
    w.network = std::make_unique<TravelNetwork>(std::move(loaded));
    return w;
}

// A point to place demand or a site: anywhere, mid-way (or at a random fraction) along an
// edge, at a node, or at a point already used (same edge, same node).
Point2 random_point(std::mt19937& rng, const RandomWorld& w, const std::vector<Point2>& used) {
    const RoadGraph& g = w.network->graph();
    switch (rng() % 5) {
        case 0:
            return {static_cast<double>(rng() % 2200) - 100.0, static_cast<double>(rng() % 2200) - 100.0};
        case 1:
            return g.node(rng() % g.node_count());
        case 2:
            if (!used.empty()) return used[rng() % used.size()];
            [[fallthrough]];
        default: {
            if (g.edge_count() == 0) return g.node(rng() % g.node_count());
            const EdgeId e = rng() % g.edge_count();
            const double f = rng() % 2 ? 0.5 : std::uniform_real_distribution<double>(0.05, 0.95)(rng);
            Point2 p = along(g.polyline(e), f);
            if (rng() % 2) p.x += 3.0;  // a little off the road
            return p;
        }
    }
}

// A site's attachment: snapped (as attach_site does), or made by hand on any edge (one-way,
// either twin, fraction 0.5 or random) or node, with an access time that is often zero.
Attachment random_attachment(std::mt19937& rng, const RandomWorld& w, Point2 p) {
    const RoadGraph& g = w.network->graph();
    if (rng() % 3 != 0) {
        if (auto a = w.network->try_attach(p)) return *a;
    }
    Attachment a;
    const bool on_edge = !w.network->snap_options().nodes_only && g.edge_count() > 0 && rng() % 2;
    if (on_edge) {
        a.edge = rng() % g.edge_count();
        a.fraction = rng() % 2 ? 0.5 : std::uniform_real_distribution<double>(0.01, 0.99)(rng);
        a.on_network = along(g.polyline(a.edge), a.fraction);
    } else {
        a.node = rng() % g.node_count();
        a.on_network = g.node(a.node);
    }
    a.distance = Metres(static_cast<double>(rng() % 50));
    // Whole tens of seconds tie with the edges' whole times; a fraction of a millisecond
    // off, a site at a unit's node or edge beats the node's (rounded) time only directly.
    static const double offsets[] = {0.0, 0.0, -0.0004, 0.0003};
    a.access = rng() % 3 == 0 ? Seconds(0)
                              : Seconds(static_cast<double>(1 + rng() % 3) * 10.0 + offsets[rng() % 4]);
    return a;
}

// Sites in id order, with the open ones renumbered as compute_coverage would number them.
struct OpenSites {
    AttachedSites sites;
    std::vector<std::uint32_t> renumbered;  // by old id; kNoLabel when closed
};

OpenSites open_sites(const AttachedSites& all, const std::vector<bool>& open) {
    OpenSites o;
    o.renumbered.assign(all.size(), kNoLabel);
    for (std::uint32_t i = 0; i < all.size(); ++i)
        if (open[i]) o.renumbered[i] = o.sites.add(all.sites()[i], all.attachments()[i]).index();
    return o;
}

// The search state of `s` equals a new search over its open sites (labels renumbered),
// and so does every point's evaluation.
std::string compare_search(const TravelNetwork& net, const SiteSearch& s, const std::vector<Attachment>& points) {
    std::vector<Attachment> open;
    std::vector<std::uint32_t> renumbered(s.sites.size(), kNoLabel);
    for (std::uint32_t i = 0; i < s.sites.size(); ++i)
        if (s.open[i]) {
            renumbered[i] = static_cast<std::uint32_t>(open.size());
            open.push_back(s.sites[i]);
        }
    const SiteSearch fresh = s.toward ? net.toward(open, s.limit) : net.from(open, s.limit);
    for (NodeId v = 0; v < s.nodes.size(); ++v) {
        const std::uint32_t l = s.nodes.label(v);
        const std::uint32_t mapped = l == kNoLabel ? kNoLabel : renumbered.at(l);
        if (s.nodes.time(v) != fresh.nodes.time(v) || mapped != fresh.nodes.label(v)) {
            std::ostringstream m;
            m << "node " << v << ": (" << s.nodes.time(v).value() << ", " << mapped << ") vs fresh ("
              << fresh.nodes.time(v).value() << ", " << fresh.nodes.label(v) << ")";
            return m.str();
        }
    }
    for (std::size_t i = 0; i < points.size(); ++i) {
        const Reach got = net.evaluate(s, points[i]);
        const Reach want = net.evaluate(fresh, points[i]);
        const SiteId mapped = got.site.valid() ? SiteId(renumbered.at(got.site.index())) : SiteId();
        if (got.time != want.time || mapped != want.site) {
            std::ostringstream m;
            m << "point " << i << ": (" << got.time.value() << ", site " << (mapped.valid() ? int(mapped.index()) : -1)
              << ") vs fresh (" << want.time.value() << ", site " << (want.site.valid() ? int(want.site.index()) : -1)
              << ")";
            return m.str();
        }
    }
    return {};
}

// snapshot() against compute_coverage over the open sites in id order.
void expect_equal_to_scratch(const TravelNetwork& net, const std::vector<DemandUnit>& demand,
                             const std::vector<std::optional<Attachment>>& attachments, const IncrementalCoverage& inc,
                             const std::string& where) {
    std::vector<bool> open(inc.all_sites().size());
    for (std::uint32_t i = 0; i < open.size(); ++i) open[i] = inc.is_open(SiteId(i));
    OpenSites o = open_sites(inc.all_sites(), open);
    const CoverageResult want = compute_coverage(net, demand, attachments, o.sites);
    const CoverageResult got = inc.snapshot();
    ASSERT_EQ(got.sites.size(), want.sites.size()) << where;
    for (std::uint32_t i = 0; i < got.sites.size(); ++i) {
        EXPECT_EQ(got.sites.sites()[i], want.sites.sites()[i]) << where << " site " << i;
        EXPECT_EQ(got.sites.attachments()[i].edge, want.sites.attachments()[i].edge) << where;
        EXPECT_EQ(got.sites.attachments()[i].node, want.sites.attachments()[i].node) << where;
    }
    ASSERT_EQ(got.units.size(), want.units.size()) << where;
    for (std::size_t i = 0; i < got.units.size(); ++i) {
        EXPECT_EQ(got.units[i], want.units[i])
            << where << " unit " << i << ": got " << got.units[i].time.value() << " s site "
            << (got.units[i].site.valid() ? int(got.units[i].site.index()) : -1) << ", want "
            << want.units[i].time.value() << " s site "
            << (want.units[i].site.valid() ? int(want.units[i].site.index()) : -1);
        // The unit names the same site object either way.
        EXPECT_EQ(got.sites.find(got.units[i].site), want.sites.find(want.units[i].site)) << where << " unit " << i;
        // And units() (original ids) agrees with the snapshot through the renumbering.
        const SiteId orig = inc.units()[i].site;
        EXPECT_EQ(orig.valid() ? inc.all_sites().find(orig) : nullptr, want.sites.find(want.units[i].site))
            << where << " unit " << i;
    }
}

std::vector<std::size_t> differing_units(const std::vector<UnitResult>& a, const std::vector<UnitResult>& b) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i])) out.push_back(i);
    return out;
}

// A bounded IncrementalCoverage against evaluate() on a new bounded search over its open
// sites (compute_coverage has no limit).
std::string compare_bounded(const TravelNetwork& net, const std::vector<std::optional<Attachment>>& attachments,
                            const IncrementalCoverage& inc, Seconds limit) {
    std::vector<Attachment> open;
    std::vector<std::uint32_t> renumbered(inc.all_sites().size(), kNoLabel);
    for (std::uint32_t i = 0; i < renumbered.size(); ++i)
        if (inc.is_open(SiteId(i))) {
            renumbered[i] = static_cast<std::uint32_t>(open.size());
            open.push_back(inc.all_sites().attachments()[i]);
        }
    const SiteSearch fresh = net.toward(open, limit);
    for (std::size_t i = 0; i < attachments.size(); ++i) {
        if (!attachments[i]) continue;
        const Reach want = net.evaluate(fresh, *attachments[i]);
        const UnitResult& got = inc.units()[i];
        const SiteId mapped = got.site.valid() ? SiteId(renumbered.at(got.site.index())) : SiteId();
        if (got.time != want.time || mapped != want.site || got.snap_distance != attachments[i]->distance)
            return "unit " + std::to_string(i) + ": " + std::to_string(got.time.value()) + " s vs fresh " +
                   std::to_string(want.time.value()) + " s";
    }
    return {};
}

void random_rounds(bool nodes_only, std::uint32_t seed, int rounds) {
    std::mt19937 rng(seed);
    for (int round = 0; round < rounds; ++round) {
        RandomWorld w = random_world(rng, nodes_only);
        const TravelNetwork& net = *w.network;
        std::vector<Point2> used;
        std::vector<DemandUnit> demand;
        for (std::size_t i = 0, k = 1 + rng() % 30; i < k; ++i) {
            Point2 p = random_point(rng, w, used);
            used.push_back(p);
            demand.push_back({"u" + std::to_string(i), "86000", p, static_cast<double>(1 + rng() % 100)});
        }
        Diagnostics diagnostics;
        const auto attachments = attach_demand(net, demand, diagnostics);
        std::vector<Attachment> points;  // for the search-level comparison
        for (const auto& a : attachments)
            if (a) points.push_back(*a);

        std::deque<ServiceSite> site_objects;  // stable addresses
        auto new_site = [&]() -> std::pair<const ServiceSite*, Attachment> {
            ServiceSite& s = site_objects.emplace_back();
            s.id = "s" + std::to_string(site_objects.size());
            s.position = random_point(rng, w, used);
            used.push_back(s.position);
            return {&s, random_attachment(rng, w, s.position)};
        };
        AttachedSites initial;
        for (std::size_t i = 0, k = rng() % 5; i < k; ++i) {
            auto [s, a] = new_site();
            initial.add(s, a);
        }
        // The search level alongside, both directions, one of them bounded.
        const Seconds limit = rng() % 2 ? Seconds::infinity() : Seconds(static_cast<double>(rng() % 200));
        SiteSearch toward = net.toward(initial.attachments(), limit);
        SiteSearch from = net.from(initial.attachments());
        IncrementalCoverage inc(net, demand, attachments, initial);
        IncrementalCoverage bounded(net, demand, attachments, initial, limit);
        const std::string start = "round " + std::to_string(round);
        expect_equal_to_scratch(net, demand, attachments, inc, start + " initial");
        if (::testing::Test::HasFatalFailure()) return;

        for (int step = 0; step < 15; ++step) {
            const std::string where = start + " step " + std::to_string(step);
            std::vector<std::uint32_t> open;
            for (std::uint32_t i = 0; i < inc.all_sites().size(); ++i)
                if (inc.is_open(SiteId(i))) open.push_back(i);
            const int op = open.empty() ? 0 : static_cast<int>(rng() % 3);  // 0 add, 1 close, 2 move
            const std::vector<UnitResult> before = inc.units();
            std::vector<NodeId> changed_toward, changed_from;
            if (op == 0) {
                auto [s, a] = new_site();
                SiteId id = inc.add(s, a);
                EXPECT_EQ(bounded.add(s, a), id) << where;
                EXPECT_EQ(net.add_site(toward, a, changed_toward), id) << where;
                EXPECT_EQ(net.add_site(from, a, changed_from), id) << where;
            } else {
                const SiteId victim(open[rng() % open.size()]);
                net.close_site(toward, victim, changed_toward);
                net.close_site(from, victim, changed_from);
                if (op == 1) {
                    inc.close(victim);
                    bounded.close(victim);
                } else {
                    auto [s, a] = new_site();
                    SiteId id = inc.move(victim, s, a);
                    EXPECT_EQ(bounded.move(victim, s, a), id) << where;
                    EXPECT_EQ(net.add_site(toward, a, changed_toward), id) << where;
                    EXPECT_EQ(net.add_site(from, a, changed_from), id) << where;
                }
                EXPECT_THROW(inc.close(victim), std::invalid_argument) << where;
            }
            const char* what[] = {" add", " close", " move"};
            ASSERT_EQ(compare_search(net, toward, points), "") << where << what[op] << " (toward, limit "
                                                               << limit.value() << ")";
            ASSERT_EQ(compare_search(net, from, points), "") << where << what[op] << " (from)";
            ASSERT_EQ(compare_bounded(net, attachments, bounded, limit), "") << where << what[op] << " (limit "
                                                                              << limit.value() << ")";
            expect_equal_to_scratch(net, demand, attachments, inc, where + what[op]);
            if (::testing::Test::HasFatalFailure()) return;
            const auto differing = differing_units(before, inc.units());
            const auto& listed = inc.changed_units();
            if (op == 2) {
                // A move may list a unit that went back to its result.
                for (std::size_t u : differing)
                    EXPECT_TRUE(std::binary_search(listed.begin(), listed.end(), u)) << where << " unit " << u;
            } else {
                EXPECT_EQ(std::vector<std::size_t>(listed.begin(), listed.end()), differing) << where << what[op];
            }
        }
    }
}

}  // namespace

TEST(IncrementalCoverage, RandomGraphsAddCloseMoveEqualComputeCoverage) { random_rounds(false, 17, 200); }

TEST(IncrementalCoverage, RandomGraphsNodesOnlyWithNodeAccess) { random_rounds(true, 91, 200); }

// Two sites at a unit's node whose access times differ by less than a millisecond: the
// node's (rounded) time does not change, the unit's (exact) result does.
TEST(IncrementalCoverage, SubMillisecondSitesAtTheUnitsNode) {
    LoadedGraph loaded;
    loaded.graph = RoadGraph({{0, 0}, {100, 0}}, {{0, 1, Seconds(10), Metres(100), {}}, {1, 0, Seconds(10), Metres(100), {}}});
    TravelNetwork net(std::move(loaded));
    const std::vector<DemandUnit> demand = {{"u0", "86000", {0, 0}, 10}, {"u1", "86000", {100, 0}, 10}};
    Diagnostics d;
    const auto attachments = attach_demand(net, demand, d);
    ASSERT_EQ(attachments[0]->node, 0u);
    ServiceSite a, b;
    Attachment at_a;
    at_a.node = 0;
    at_a.access = Seconds(1.0);
    Attachment at_b = at_a;
    at_b.access = Seconds(0.9996);
    AttachedSites initial;
    initial.add(&a, at_a);
    IncrementalCoverage inc(net, demand, attachments, initial);
    EXPECT_EQ(inc.units()[0].time, Seconds(1.0));
    const SiteId id_b = inc.add(&b, at_b);
    EXPECT_EQ(inc.units()[0].time, Seconds(0.9996));
    EXPECT_EQ(inc.units()[0].site, id_b);
    EXPECT_EQ(inc.units()[1].site, SiteId(0));  // node 1 reads node 0's rounded time: (1.000, A) wins the tie
    EXPECT_EQ(inc.changed_units(), std::vector<std::size_t>{0});
    expect_equal_to_scratch(net, demand, attachments, inc, "b added");
    inc.close(id_b);
    EXPECT_EQ(inc.changed_units(), std::vector<std::size_t>{0});
    expect_equal_to_scratch(net, demand, attachments, inc, "b closed");
    EXPECT_EQ(inc.units()[0].site, SiteId(0));
}

// ---------------------------------------------------------------------------------------
// The real Vienne study

namespace {

fs::path geodata() { return fs::path(MAILLAGE_GEODATA_CACHE).parent_path(); }

struct Vienne {
    Territory territory;
    LoadedServices services;
    std::unique_ptr<TravelNetwork> network;
    std::vector<DemandUnit> demand;
    std::vector<std::optional<Attachment>> attachments;
};

const Vienne& vienne() {
    static Vienne v = [] {
        Vienne v;
        v.territory = load_territory(presets::vienne_territory(geodata()));
        v.services = load_services(presets::vienne_services(geodata()), v.territory);
        Provenance p;
        NetworkOptions o;
        o.territory = &v.territory;
        o.geodata_dir = geodata();
        v.network = std::make_unique<TravelNetwork>(open_network(NetworkSpec::parse("estimated:default"), o, p));
        v.demand = build_demand(v.territory, {});
        Diagnostics d;
        v.attachments = attach_demand(*v.network, v.demand, d);
        return v;
    }();
    return v;
}

void vienne_category(const std::string& category) {
    const Vienne& v = vienne();
    const TravelNetwork& net = *v.network;
    const auto sites = v.services.set.in_category(category);
    ASSERT_GE(sites.size(), 20u) << category;
    Diagnostics d;
    AttachedSites attached = attach_sites(net, sites, d);
    IncrementalCoverage inc(net, v.demand, v.attachments, attached);
    expect_equal_to_scratch(net, v.demand, v.attachments, inc, category + " initial");
    // Close each of the first 20 sites, then add it back (a new id, at the end).
    std::size_t changed_somewhere = 0;
    for (std::uint32_t i = 0; i < 20; ++i) {
        const auto before = inc.units();
        inc.close(SiteId(i));
        expect_equal_to_scratch(net, v.demand, v.attachments, inc, category + " close " + std::to_string(i));
        EXPECT_EQ(inc.changed_units(), differing_units(before, inc.units()));
        changed_somewhere += inc.changed_units().size();
        inc.add(sites[i], attached.attachment(SiteId(i)));
        expect_equal_to_scratch(net, v.demand, v.attachments, inc, category + " re-add " + std::to_string(i));
    }
    EXPECT_GT(changed_somewhere, 0u);
    // New sites at 20 communes' representative points, spread over the département.
    std::deque<ServiceSite> added;
    const auto& communes = v.territory.communes;
    for (std::size_t k = 0; k < 20; ++k) {
        const auto& c = communes[k * communes.size() / 20];
        ServiceSite& s = added.emplace_back();
        s.id = "new-" + c.code.str();
        s.category = category;
        s.position = c.representative;
        s.commune_code = c.code.str();
        const auto before = inc.units();
        inc.add(&s, attach_site(net, s, d));
        expect_equal_to_scratch(net, v.demand, v.attachments, inc, category + " add at " + c.code.str());
        EXPECT_EQ(inc.changed_units(), differing_units(before, inc.units()));
    }
    // Moves: an open site to another commune's point, 20 times.
    std::mt19937 rng(86);
    for (int k = 0; k < 20; ++k) {
        std::vector<std::uint32_t> open;
        for (std::uint32_t i = 0; i < inc.all_sites().size(); ++i)
            if (inc.is_open(SiteId(i))) open.push_back(i);
        const auto& c = communes[rng() % communes.size()];
        ServiceSite& s = added.emplace_back();
        s.id = "moved-" + std::to_string(k);
        s.category = category;
        s.position = c.representative;
        inc.move(SiteId(open[rng() % open.size()]), &s, attach_site(net, s, d));
        expect_equal_to_scratch(net, v.demand, v.attachments, inc, category + " move " + std::to_string(k));
    }
}

}  // namespace

TEST(IncrementalCoverageVienne, GpCloseReaddAddMoveEqualComputeCoverage) { vienne_category("gp"); }

TEST(IncrementalCoverageVienne, FranceServicesCloseReaddAddMoveEqualComputeCoverage) {
    vienne_category("france_services");
}
