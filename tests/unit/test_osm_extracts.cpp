// The OSM pipeline end to end on real extracts (Liechtenstein, Monaco, Andorra).
#include <algorithm>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "network/osm_loader.hpp"
#include "network/graph_tools.hpp"
#include "routing/travel_network.hpp"
#include "geo/crs.hpp"
#include "util/errors.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {
fs::path osm(const std::string& name) { return fs::path(MAILLAGE_GEODATA_CACHE) / "osm" / name; }
fs::path geodata() { return fs::path(MAILLAGE_SOURCE_DIR) / "geodata"; }

const LoadedGraph& liechtenstein() {
    static LoadedGraph g = load_osm(osm("liechtenstein-latest.osm.pbf"), load_profile("car", geodata()));
    return g;
}

double minutes_between(const TravelNetwork& net, LonLat from, LonLat to) {
    Attachment a = net.attach(lonlat_to_lambert93(from), "from");
    Attachment b = net.attach(lonlat_to_lambert93(to), "to");
    auto s = net.toward(std::span(&b, 1));
    return net.evaluate(s, a).time.value() / 60.0;
}
}  // namespace

TEST(OsmExtracts, LiechtensteinGraphIsStronglyConnectedAndContracted) {
    const LoadedGraph& g = liechtenstein();
    EXPECT_EQ(g.info.source, TravelTimeSource::osm);
    EXPECT_GT(g.stats["osm_nodes_read"].get<long>(), 100000);
    EXPECT_GT(g.graph.node_count(), 500u);
    auto comp = strongly_connected_components(g.graph);
    for (auto c : comp) ASSERT_EQ(c, comp[0]) << "the kept graph must be one strongly connected component";
    EXPECT_GT(g.stats["contracted_nodes"].get<long>(), 0);
    EXPECT_LT(g.graph.node_count(), g.stats["graph_nodes_before_cleanup"].get<std::size_t>());
    // Every stored shape is some edge's (those of merged links and dropped roads are gone),
    // and every shape point belongs to a stored shape.
    const auto& c = g.graph.columns();
    std::vector<char> used(c.shape_offsets.size() - 1, 0);
    for (EdgeId e = 0; e < g.graph.edge_count(); ++e) used[g.graph.shape_ref(e).index()] = 1;
    EXPECT_EQ(std::count(used.begin(), used.end(), 0), 0);
    EXPECT_EQ(c.shape_offsets[c.shape_offsets.size() - 1], c.shape_points.size());
}

// Compaction keeps the live shapes' points, in order, and renumbers the references.
TEST(OsmExtracts, ShapeTableCompactionKeepsLiveShapes) {
    ShapeTable t;
    const std::vector<Point2> a = {{1, 1}}, b = {{2, 2}, {3, 3}}, c = {}, d = {{4, 4}, {5, 5}, {6, 6}};
    const ShapeRef ra = t.add(a), rb = t.add(b), rc = t.add(c), rd = t.add(d);
    (void)ra;
    std::vector<ShapeRef> refs = {rd.flipped(), rb, rd, rc};
    t.compact(refs);
    ASSERT_EQ(t.size(), 3u);  // b, c, d
    EXPECT_EQ(t.points, (std::vector<Point2>{{2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}}));
    EXPECT_EQ(t.offsets, (std::vector<std::uint64_t>{0, 2, 2, 5}));
    EXPECT_EQ(refs[0].index(), 2u);
    EXPECT_TRUE(refs[0].reversed());
    EXPECT_EQ(refs[1].index(), 0u);
    EXPECT_EQ(refs[2].index(), 2u);
    EXPECT_FALSE(refs[2].reversed());
    EXPECT_EQ(refs[3].index(), 1u);
}

TEST(OsmExtracts, LiechtensteinDroppedRoadsAreKeptAsideAndFlagged) {
    const LoadedGraph& g = liechtenstein();
    ASSERT_EQ(g.info.diagnostics.warnings().size(), 1u);
    EXPECT_NE(g.info.diagnostics.warnings().front().text().find(
                  "50 nodes in 24 components not reachable both ways from the main network were dropped"),
              std::string::npos)
        << g.info.diagnostics.warnings().front().text();
    EXPECT_EQ(g.stats["cut_off_roads"], 29);
    ASSERT_EQ(g.cut_off_roads.size(), 29u);
    TravelNetwork net(g);
    // The middle of every dropped road that does not touch the network is flagged.
    std::size_t checked = 0;
    for (const auto& road : g.cut_off_roads) {
        std::size_t k = (road.size() - 1) / 2;
        Point2 mid{(road[k].x + road[k + 1].x) / 2, (road[k].y + road[k + 1].y) / 2};
        auto a = net.try_attach(mid);
        ASSERT_TRUE(a);
        if (a->distance.value() < 0.01) continue;
        EXPECT_TRUE(a->beside_cut_off_road()) << mid.x << " " << mid.y;
        EXPECT_LT(a->cut_off_road.value(), 0.01);
        ++checked;
    }
    EXPECT_GE(checked, 20u);
}

TEST(OsmExtracts, LiechtensteinPlausibleCarTimes) {
    const LoadedGraph& g = liechtenstein();
    TravelNetwork net(LoadedGraph{g.graph, g.info, g.snap});
    // Vaduz (town hall) → Schaan (centre): ~4 km by the Landstrasse at 50 km/h: 4–10 min.
    LonLat vaduz{9.5209, 47.1410}, schaan{9.5095, 47.1650}, balzers{9.4996, 47.0664};
    double vs = minutes_between(net, vaduz, schaan);
    EXPECT_GT(vs, 3.0);
    EXPECT_LT(vs, 12.0);
    // Balzers in the south to Schaan: ~13 km, 12–30 min.
    double bs = minutes_between(net, balzers, schaan);
    EXPECT_GT(bs, 10.0);
    EXPECT_LT(bs, 30.0);
    EXPECT_GT(bs, vs);
}

TEST(OsmExtracts, TriangleInequalityAndOneWayAsymmetry) {
    const LoadedGraph& g = liechtenstein();
    std::mt19937 rng(42);
    std::uniform_int_distribution<NodeId> pick(0, static_cast<NodeId>(g.graph.node_count() - 1));
    std::vector<NodeId> nodes;
    for (int i = 0; i < 6; ++i) nodes.push_back(pick(rng));
    std::vector<SearchResult> from;
    for (NodeId n : nodes) {
        SearchSource s{n, Seconds(0), 0};
        from.push_back(shortest_times(g.graph, std::span(&s, 1)));
    }
    for (std::size_t a = 0; a < nodes.size(); ++a)
        for (std::size_t b = 0; b < nodes.size(); ++b)
            for (std::size_t c = 0; c < nodes.size(); ++c)
                EXPECT_LE(from[a].time(nodes[c]).value(),
                          from[a].time(nodes[b]).value() + from[b].time(nodes[c]).value() + 1e-6);
    // Where every edge has a twin the graph is symmetric; Liechtenstein has one-way streets,
    // so some pair must differ while every time stays finite (strongly connected).
    bool asymmetric = false;
    for (std::size_t a = 0; a < nodes.size(); ++a)
        for (std::size_t b = 0; b < nodes.size(); ++b) {
            EXPECT_TRUE(from[a].time(nodes[b]).is_finite());
            if (std::abs(from[a].time(nodes[b]).value() - from[b].time(nodes[a]).value()) > 1.0) asymmetric = true;
        }
    EXPECT_TRUE(asymmetric);
}

TEST(OsmExtracts, MonacoAndAndorraLoadForEveryProfile) {
    for (const char* file : {"monaco.osm.pbf", "andorra.osm.pbf"})
        for (const char* profile : {"car", "bicycle", "foot"}) {
            auto g = load_osm(osm(file), load_profile(profile, geodata()));
            EXPECT_GT(g.graph.node_count(), 50u) << file << " " << profile;
            EXPECT_EQ(g.info.profile, profile);
        }
}

TEST(OsmExtracts, TruncatedPbfIsAClearError) {
    fs::path src = osm("monaco.osm.pbf");
    fs::path cut = fs::temp_directory_path() / "maillage_truncated.osm.pbf";
    fs::copy_file(src, cut, fs::copy_options::overwrite_existing);
    fs::resize_file(cut, fs::file_size(src) / 2);
    try {
        (void)load_osm(cut, load_profile("car", geodata()));
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(cut.string()), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("cannot read OpenStreetMap data"), std::string::npos) << e.what();
    }
    fs::remove(cut);
}
