// Small disconnected components are dropped from the graph, but their roads are kept aside so
// that a point standing on one is not silently attached far away (issue: "refuse snaps into
// small disconnected components").
#include <gtest/gtest.h>

#include "coverage/coverage.hpp"
#include "network/graph_tools.hpp"
#include "routing/travel_network.hpp"
#include "support/ascii_map.hpp"
#include "util/errors.hpp"

using namespace maillage;
using maillage::testing::AsciiMap;

namespace {
// A-B-C-E is the main network; F-G a two-way island 500 m east of C; C→H a one-way spur
// (H cannot come back, so it is not strongly connected to the rest).
const char* kIsland = R"(
A---B---C----F---G
    |   |
    E   H
)";

AsciiMap island_map() {
    AsciiMap map(kIsland);
    map.way("ABC", 36).way("BE", 36).way("FG", 36).way("CH", 36, /*oneway=*/true);
    return map;
}

SnapOptions snap(double max_m) {
    SnapOptions o;
    o.max_distance = Metres(max_m);
    o.access_speed = MetresPerSecond(1.0);
    return o;
}

// The main network of the map, with its dropped roads kept aside as the loaders do.
TravelNetwork island_network(const AsciiMap& map, double max_snap_m) {
    Diagnostics diagnostics;
    nlohmann::json stats = nlohmann::json::object();
    MainComponent main = keep_largest_scc(map.graph(), diagnostics, stats);
    return TravelNetwork(LoadedGraph{std::move(main.graph), {}, snap(max_snap_m), main.cut_off_roads});
}
}  // namespace

TEST(CutOffRoads, LargestComponentKeptAndDroppedRoadsListedOnce) {
    AsciiMap map = island_map();
    Diagnostics diagnostics;
    nlohmann::json stats = nlohmann::json::object();
    MainComponent main = keep_largest_scc(map.graph(), diagnostics, stats);
    EXPECT_EQ(main.graph.node_count(), 4u);  // A, B, C, E
    EXPECT_EQ(main.graph.edge_count(), 6u);  // AB, BC, BE both ways
    // F-G once (a two-way road is one road), C→H once.
    ASSERT_EQ(main.cut_off_roads.size(), 2u);
    EXPECT_EQ(stats["cut_off_roads"], 2);
    std::vector<std::pair<Point2, Point2>> ends;
    for (const auto& road : main.cut_off_roads) {
        ASSERT_GE(road.size(), 2u);
        Point2 a = road.front(), b = road.back();
        if (b.x < a.x || (b.x == a.x && b.y < a.y)) std::swap(a, b);
        ends.emplace_back(a, b);
    }
    std::sort(ends.begin(), ends.end(), [](const auto& l, const auto& r) { return l.first.x < r.first.x; });
    EXPECT_EQ(ends[0].first.x, map.point('C').x);  // C-H
    EXPECT_EQ(ends[0].second.y, map.point('C').y);
    EXPECT_EQ(ends[0].first.y, map.point('H').y);
    EXPECT_EQ(ends[1].first.x, map.point('F').x);  // F-G
    EXPECT_EQ(ends[1].second.x, map.point('G').x);
    ASSERT_EQ(diagnostics.warnings().size(), 1u);
    EXPECT_EQ(diagnostics.warnings().front().message,
              "3 nodes in 2 components not reachable both ways from the main network were dropped");
}

TEST(CutOffRoads, PointOnAnIslandIsAttachedToTheNetworkAndFlagged) {
    AsciiMap map = island_map();
    TravelNetwork net = island_network(map, 2000);

    // 20 m north of the middle of F-G: the island road is 20 m away, the network (C) 720 m.
    Point2 p = map.point('F');
    p.x += 200;
    p.y += 20;
    Attachment a = net.attach(p, "point P");
    EXPECT_TRUE(a.beside_cut_off_road());
    EXPECT_NEAR(a.cut_off_road.value(), 20.0, 1e-9);
    EXPECT_NEAR(a.distance.value(), std::hypot(700.0, 20.0), 1e-9);
    EXPECT_NEAR(a.on_network.x, map.point('C').x, 1e-9);
    EXPECT_EQ(cut_off_note(a),
              "its nearest road (20 m) is cut off from the network (dropped as disconnected): attached to the network "
              "700 m away instead");

    // Beside the main network: nothing to say, even with the spur C→H 100 m away.
    Point2 q = map.point('B');
    q.x += 50;
    q.y += 10;
    Attachment b = net.attach(q, "point Q");
    EXPECT_FALSE(b.beside_cut_off_road());
    EXPECT_TRUE(cut_off_note(b).empty());

    // With a 500 m limit the island point is an error that says why.
    TravelNetwork strict = island_network(map, 500);
    try {
        (void)strict.attach(p, "point P");
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("point P"), std::string::npos) << what;
        EXPECT_NE(what.find("is 700 m from the nearest road of the network (maximum 500 m); the road beside it is cut off"),
                  std::string::npos)
            << what;
    }
}

TEST(CutOffRoads, CoverageNamesSitesAndCountsPeopleBesideThem) {
    AsciiMap map = island_map();
    TravelNetwork net = island_network(map, 2000);
    ServiceSite site;
    site.id = "S1";
    site.name = "Maison France Services";
    site.source = "sites.csv";
    site.position = map.point('G');  // on the island
    Point2 near_f = map.point('F'), near_a = map.point('A');
    near_f.y += 10;
    std::vector<DemandUnit> demand = {{"u1", "86001", near_f, 120}, {"u2", "86001", near_a, 80}, {"u3", "86001", map.point('H'), 5}};
    CoverageResult r = compute_coverage(net, demand, {&site});
    std::vector<std::string> texts;
    for (const auto& w : r.diagnostics.warnings()) texts.push_back(w.text());
    ASSERT_EQ(texts.size(), 2u);
    EXPECT_EQ(texts[0],
              "sites.csv: site S1 (Maison France Services): its nearest road (0 m) is cut off from the network (dropped as "
              "disconnected): attached to the network 900 m away instead");
    // u1 beside the island, u3 at the end of the one-way spur; u2 on the network.
    EXPECT_EQ(texts[1], "2 demand points (125 inhabitants) are nearer to a road cut off from the network than to the network: "
                        "attached to the network further away");
}
