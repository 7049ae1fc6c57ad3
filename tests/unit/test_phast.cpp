// PHAST on a contraction hierarchy gives exactly what Dijkstra gives: every node's time and
// label, for single and multi-source searches, with and without a limit, on hand-drawn
// graphs, random strongly connected graphs and a real OSM extract.
#include <algorithm>
#include <filesystem>
#include <numeric>
#include <random>

#include <gtest/gtest.h>

#include "network/osm_loader.hpp"
#include "network/profile.hpp"
#include "routing/contraction_hierarchy.hpp"
#include "routing/dijkstra.hpp"
#include "routing/phast.hpp"

using namespace maillage;

namespace {

RoadGraph graph_of(std::size_t n, const std::vector<std::tuple<NodeId, NodeId, double>>& arcs) {
    std::vector<Point2> nodes;
    for (std::size_t i = 0; i < n; ++i) nodes.push_back({100.0 * static_cast<double>(i), 0.0});
    std::vector<GraphEdgeInput> edges;
    for (auto [a, b, s] : arcs) edges.push_back({a, b, Seconds(s), Metres(100), {}});
    return RoadGraph(std::move(nodes), std::move(edges));
}

// Every node: same reached flag, same time, same label. Backward: PHAST on the same
// hierarchy against Dijkstra on the reversed graph.
void expect_same_one_way(const RoadGraph& g, const ContractionHierarchy& ch, PhastDirection direction,
                         const std::vector<SearchSource>& sources, Seconds limit) {
    const RoadGraph searched = direction == PhastDirection::forward ? g : g.reversed();
    Dijkstra d(searched);
    Phast p(ch, direction);
    const SearchResult& want = d.run(sources, limit);
    const SearchResult& got = p.run(sources, limit);
    ASSERT_EQ(got.size(), want.size());
    std::size_t wrong = 0;
    for (NodeId v = 0; v < g.node_count(); ++v) {
        if (got.reached(v) == want.reached(v) && got.time(v).value() == want.time(v).value() &&
            got.label(v) == want.label(v))
            continue;
        if (++wrong <= 5)
            ADD_FAILURE() << "node " << v << ": PHAST " << got.time(v).value() << " s label " << got.label(v)
                          << ", Dijkstra " << want.time(v).value() << " s label " << want.label(v);
    }
    EXPECT_EQ(wrong, 0u) << (direction == PhastDirection::forward ? "forward" : "backward");
}

void expect_same(const RoadGraph& g, const ContractionHierarchy& ch, const std::vector<SearchSource>& sources,
                 Seconds limit = Seconds::infinity()) {
    expect_same_one_way(g, ch, PhastDirection::forward, sources, limit);
    expect_same_one_way(g, ch, PhastDirection::backward, sources, limit);
}

void expect_same_from_every_node(const RoadGraph& g, const ContractionHierarchy& ch) {
    for (NodeId s = 0; s < g.node_count(); ++s) expect_same(g, ch, {{s, Seconds(0), s}});
}

}  // namespace

TEST(Phast, EmptyGraphAndSingleNode) {
    const RoadGraph empty = graph_of(0, {});
    const ContractionHierarchy ch0 = build_contraction_hierarchy(empty);
    EXPECT_EQ(ch0.node_count(), 0u);
    Phast p0(ch0);
    EXPECT_EQ(p0.run({}).size(), 0u);

    const RoadGraph one = graph_of(1, {{0, 0, 5.0}});  // a self-loop is never useful
    const ContractionHierarchy ch1 = build_contraction_hierarchy(one);
    Phast p1(ch1);
    const std::vector<SearchSource> s{{0, Seconds(1.5), 7}};
    EXPECT_EQ(p1.run(s).time(0).value(), 1.5);
    EXPECT_EQ(p1.result().label(0), 7u);
    EXPECT_FALSE(p1.run({}).reached(0));
    expect_same(one, ch1, s);
}

TEST(Phast, InvalidSourcesThrowAsDijkstra) {
    const RoadGraph g = graph_of(2, {{0, 1, 1.0}, {1, 0, 1.0}});
    const ContractionHierarchy ch = build_contraction_hierarchy(g);
    Phast p(ch);
    const std::vector<std::vector<SearchSource>> bad{{{2, Seconds(0), 0}},
                                                     {{0, Seconds(-1), 0}},
                                                     {{0, Seconds::infinity(), 0}},
                                                     {{0, Seconds(0), kNoLabel}}};
    for (const auto& s : bad) EXPECT_THROW(p.run(s), std::invalid_argument);
}

// One-way streets: 0 → 1 → 2 → 3 one way round a block, 3 ↔ 0 two-way, and a slow
// one-way shortcut 0 → 2 whose reverse does not exist; parallel arcs 1 → 2 (slow and fast).
TEST(Phast, OneWayAndParallelArcs) {
    const RoadGraph g = graph_of(5, {{0, 1, 10}, {1, 2, 30}, {1, 2, 10}, {2, 3, 10}, {3, 0, 10}, {0, 3, 50},
                                     {0, 2, 25}, {2, 4, 5}, {4, 2, 5}});
    const ContractionHierarchy ch = build_contraction_hierarchy(g);
    expect_same_from_every_node(g, ch);
    Phast p(ch);
    const SearchSource s{3, Seconds(0), 0};
    const SearchResult& r = p.run(std::span(&s, 1));
    EXPECT_EQ(r.time(0).value(), 10.0);
    EXPECT_EQ(r.time(1).value(), 20.0);
    EXPECT_EQ(r.time(2).value(), 30.0);  // 3 → 0 → 1 → 2 by the fast parallel arc
    EXPECT_EQ(r.time(4).value(), 35.0);
    // From 0 to 3: the two-way road back (50 s) loses to going round the block one way (30 s).
    const SearchSource s0{0, Seconds(0), 0};
    EXPECT_EQ(p.run(std::span(&s0, 1)).time(3).value(), 30.0);
}

// Zero-time arcs, a path longer than the largest bound (unreached, as Dijkstra leaves it)
// and arcs whose sum overflows 32 bits: nothing wraps round.
TEST(Phast, ZeroArcsAndTimesBeyondTheLargestBound) {
    const double huge = 3.0e6;  // 3e9 ms: one arc fits in Millis, two do not
    const RoadGraph g = graph_of(6, {{0, 1, 0}, {1, 0, 0}, {1, 2, huge}, {2, 1, huge}, {2, 3, huge}, {3, 2, huge},
                                     {3, 4, 1}, {4, 3, 1}, {4, 5, 1e7}, {5, 4, 1e7}});
    const ContractionHierarchy ch = build_contraction_hierarchy(g);
    expect_same_from_every_node(g, ch);
    Phast p(ch);
    const SearchSource s{0, Seconds(0), 0};
    const SearchResult& r = p.run(std::span(&s, 1));
    EXPECT_EQ(r.time(1).value(), 0.0);
    EXPECT_EQ(r.time(2).value(), huge);
    EXPECT_FALSE(r.reached(3));
    EXPECT_FALSE(r.reached(5));
    expect_same(g, ch, {{0, Seconds(0), 0}, {4, Seconds(0), 1}});
}

// Random strongly connected graphs: a random cycle through every node, plus random one- and
// two-way arcs; times in whole seconds from a small range, so many paths tie and the
// smallest-label rule decides. Witness searches cut to one settled node must still be exact.
TEST(Phast, RandomStronglyConnectedGraphs) {
    for (std::uint32_t seed : {1u, 2u, 3u, 4u, 5u}) {
        std::mt19937 rng(seed);
        const std::size_t n = 200 + 50 * seed;
        std::vector<NodeId> cycle(n);
        std::iota(cycle.begin(), cycle.end(), 0);
        std::shuffle(cycle.begin(), cycle.end(), rng);
        std::uniform_int_distribution<int> secs(0, 6);
        std::uniform_int_distribution<NodeId> pick(0, static_cast<NodeId>(n - 1));
        std::vector<std::tuple<NodeId, NodeId, double>> arcs;
        for (std::size_t i = 0; i < n; ++i) arcs.emplace_back(cycle[i], cycle[(i + 1) % n], secs(rng) + 0.25);
        for (std::size_t i = 0; i < 2 * n; ++i) {
            const NodeId a = pick(rng), b = pick(rng);
            const double t = secs(rng) + (i % 3 == 0 ? 0.5 : 0.0);
            arcs.emplace_back(a, b, t);
            if (i % 2 == 0) arcs.emplace_back(b, a, t);
        }
        const RoadGraph g = graph_of(n, arcs);
        ChOptions two_threads;
        two_threads.threads = 2;
        for (const ChOptions options : {ChOptions{}, ChOptions{1, 1}, two_threads}) {
            SCOPED_TRACE("seed " + std::to_string(seed) + ", witness limit " +
                         std::to_string(options.witness_settle_limit));
            const ContractionHierarchy ch = build_contraction_hierarchy(g, options);
            for (NodeId s = 0; s < n; s += 7) expect_same(g, ch, {{s, Seconds(0), 0}});
            // Multi-source with labels: equal initial times, a node given twice with two
            // labels, labels not in node order; bounded and unbounded.
            std::vector<SearchSource> sources;
            for (std::uint32_t l = 0; l < 12; ++l)
                sources.push_back({pick(rng), Seconds(static_cast<double>(l % 3)), 40 - 3 * l});
            sources.push_back({sources[0].node, sources[0].initial, 1});
            expect_same(g, ch, sources);
            expect_same(g, ch, sources, Seconds(4.5));
            expect_same(g, ch, sources, Seconds(0));
        }
    }
}

TEST(Phast, MonacoTwentySources) {
    const LoadedGraph loaded = load_osm(MAILLAGE_GEODATA_CACHE "/osm/monaco.osm.pbf",
                                        load_profile("car", MAILLAGE_SOURCE_DIR "/geodata"));
    const RoadGraph& g = loaded.graph;
    ASSERT_GT(g.node_count(), 100u);
    const ContractionHierarchy ch = build_contraction_hierarchy(g);
    std::mt19937 rng(15);
    std::uniform_int_distribution<NodeId> pick(0, static_cast<NodeId>(g.node_count() - 1));
    std::vector<SearchSource> sources;
    for (std::uint32_t i = 0; i < 20; ++i) {
        sources.push_back({pick(rng), Seconds(0), i});
        expect_same(g, ch, {sources.back()});
    }
    expect_same(g, ch, sources);
    expect_same(g, ch, sources, Seconds(60));
}

// Rounds are cut into fixed chunks and joined in chunk order: the thread count changes
// nothing in the arrays (and so nothing in a cache that stores them).
TEST(Phast, SameHierarchyWhateverTheThreads) {
    const LoadedGraph loaded = load_osm(MAILLAGE_GEODATA_CACHE "/osm/monaco.osm.pbf",
                                        load_profile("car", MAILLAGE_SOURCE_DIR "/geodata"));
    const ContractionHierarchy one = build_contraction_hierarchy(loaded.graph);
    for (unsigned threads : {2u, 3u}) {
        ChOptions options;
        options.threads = threads;
        const ContractionHierarchy many = build_contraction_hierarchy(loaded.graph, options);
        EXPECT_TRUE(std::ranges::equal(many.node_of, one.node_of));
        EXPECT_TRUE(std::ranges::equal(many.up_first, one.up_first));
        EXPECT_TRUE(std::ranges::equal(many.down_first, one.down_first));
        ASSERT_EQ(many.up_arcs.size(), one.up_arcs.size());
        ASSERT_EQ(many.down_arcs.size(), one.down_arcs.size());
        for (std::size_t i = 0; i < one.up_arcs.size(); ++i) {
            EXPECT_EQ(many.up_arcs[i].other, one.up_arcs[i].other);
            EXPECT_EQ(many.up_arcs[i].duration.count(), one.up_arcs[i].duration.count());
        }
        for (std::size_t i = 0; i < one.down_arcs.size(); ++i) {
            EXPECT_EQ(many.down_arcs[i].other, one.down_arcs[i].other);
            EXPECT_EQ(many.down_arcs[i].duration.count(), one.down_arcs[i].duration.count());
        }
        EXPECT_EQ(many.shortcut_count, one.shortcut_count);
    }
}

// What a graph cache reads back is checked before any sweep trusts it.
TEST(Phast, HierarchyArraysAreCheckedWhenReadBack) {
    const RoadGraph g = graph_of(4, {{0, 1, 1.0}, {1, 0, 1.0}, {1, 2, 2.0}, {2, 1, 2.0}, {2, 3, 1.0}, {3, 2, 1.0}});
    const ContractionHierarchy ch = build_contraction_hierarchy(g);
    EXPECT_NO_THROW(ContractionHierarchy::from_columns(ch, 4));
    EXPECT_THROW(ContractionHierarchy::from_columns(ch, 5), std::invalid_argument);
    const auto copy = [](const auto& column) { return std::vector(column.begin(), column.end()); };
    {
        ContractionHierarchy bad = ch;
        auto order = copy(ch.node_of);
        std::swap(order[0], order[1]);  // no longer the inverse of position_of
        bad.node_of = Column<NodeId>(order);
        EXPECT_THROW(ContractionHierarchy::from_columns(bad, 4), std::invalid_argument);
    }
    {
        ContractionHierarchy bad = ch;
        auto arcs = copy(ch.up_arcs);
        ASSERT_FALSE(arcs.empty());
        arcs[0].other = 3;  // towards the last position: a lower rank
        bad.up_arcs = Column<ChArc>(arcs);
        EXPECT_THROW(ContractionHierarchy::from_columns(bad, 4), std::invalid_argument);
    }
    {
        ContractionHierarchy bad = ch;
        auto first = copy(ch.down_first);
        first.back() += 1;  // past the arcs
        bad.down_first = Column<std::uint32_t>(first);
        EXPECT_THROW(ContractionHierarchy::from_columns(bad, 4), std::invalid_argument);
    }
}
