// Hand-computed travel times on ASCII maps (grid 100 m, round speeds).
#include <gtest/gtest.h>

#include "routing/travel_network.hpp"
#include "routing/dijkstra.hpp"
#include "support/ascii_map.hpp"
#include "util/errors.hpp"

using namespace maillage;
using maillage::testing::AsciiMap;

namespace {
// 36 km/h = 10 m/s: 100 m = 10 s.
SnapOptions fixture_snap(double max_m) {
    SnapOptions o;
    o.max_distance = Metres(max_m);
    o.access_speed = MetresPerSecond(1.0);
    return o;
}

const char* kLine = R"(
A---B---C---D
    |
    E
)";
}  // namespace

TEST(Dijkstra, OneToAllOnHandDrawnMap) {
    AsciiMap map(kLine);
    map.way("ABCD", 36).way("BE", 18);  // 400 m each between letters; BE 200 m at 5 m/s
    RoadGraph g = map.graph();
    SearchSource src{map.id('A'), Seconds(0), 0};
    auto r = shortest_times(g, std::span(&src, 1));
    EXPECT_DOUBLE_EQ(r.time(map.id('B')).value(), 40.0);
    EXPECT_DOUBLE_EQ(r.time(map.id('D')).value(), 120.0);
    EXPECT_DOUBLE_EQ(r.time(map.id('E')).value(), 40.0 + 40.0);
}

TEST(Dijkstra, OnewayIsRespected) {
    AsciiMap map(kLine);
    map.way("ABCD", 36, /*oneway=*/true);
    RoadGraph g = map.graph();
    SearchSource src{map.id('D'), Seconds(0), 0};
    auto r = shortest_times(g, std::span(&src, 1));
    EXPECT_FALSE(r.reached(map.id('A')));
    EXPECT_DOUBLE_EQ(r.time(map.id('D')).value(), 0.0);
}

TEST(Dijkstra, BoundedSearchStopsAtLimit) {
    AsciiMap map(kLine);
    map.way("ABCD", 36);
    SearchSource src{map.id('A'), Seconds(0), 0};
    auto r = shortest_times(map.graph(), std::span(&src, 1), Seconds(80));
    EXPECT_TRUE(r.reached(map.id('C')));
    EXPECT_FALSE(r.reached(map.id('D')));
}

TEST(Dijkstra, MultiSourceTieGoesToSmallestLabel) {
    AsciiMap map(kLine);
    map.way("ABCD", 36);
    // B and D are both 40 s from C: label 3 (B) vs label 1 (D) → 1 wins, whatever the order given.
    std::vector<SearchSource> s = {{map.id('B'), Seconds(0), 3}, {map.id('D'), Seconds(0), 1}};
    auto r = shortest_times(map.graph(), s);
    EXPECT_EQ(r.label(map.id('C')), 1u);
    EXPECT_EQ(r.label(map.id('A')), 3u);
    std::reverse(s.begin(), s.end());
    EXPECT_EQ(shortest_times(map.graph(), s).label(map.id('C')), 1u);
}

TEST(TravelNetwork, SnapsOntoEdgeMiddleAndAddsAccessLeg) {
    AsciiMap map(kLine);
    map.way("ABCD", 36);
    TravelNetwork net(LoadedGraph{map.graph(), {}, fixture_snap(500)});
    // 100 m right of A, 30 m above the road: on edge A-B at 1/4, access 30 s at 1 m/s.
    Point2 p = map.point('A');
    p.x += 100;
    p.y += 30;
    Attachment a = net.attach(p, "site X");
    EXPECT_NEAR(a.distance.value(), 30.0, 1e-9);
    EXPECT_NEAR(a.access.value(), 30.0, 1e-9);
    // Site at D: from p, 300 m to B (30 s) + 800 m (80 s) + access 30 s.
    Attachment d = net.attach(map.point('D'), "site D");
    auto search = net.toward(std::span(&d, 1));
    Reach r = net.evaluate(search, a);
    EXPECT_NEAR(r.time.value(), 30.0 + 30.0 + 80.0, 1e-9);
    EXPECT_EQ(r.site, SiteId(0));
}

TEST(TravelNetwork, SiteAndPointOnTheSameEdge) {
    AsciiMap map(kLine);
    map.way("ABCD", 36);
    TravelNetwork net(LoadedGraph{map.graph(), {}, fixture_snap(500)});
    Point2 site = map.point('A'), point = map.point('A');
    site.x += 300;   // 3/4 of A-B
    point.x += 100;  // 1/4 of A-B
    Attachment s = net.attach(site, "site"), p = net.attach(point, "point");
    auto search = net.toward(std::span(&s, 1));
    EXPECT_NEAR(net.evaluate(search, p).time.value(), 20.0, 1e-9);  // 200 m at 10 m/s, no access legs
    auto back = net.from(std::span(&s, 1));
    EXPECT_NEAR(net.evaluate(back, p).time.value(), 20.0, 1e-9);
}

TEST(TravelNetwork, OnewayEdgeMiddle) {
    AsciiMap map(kLine);
    map.way("ABCD", 36, /*oneway=*/true);
    TravelNetwork net(LoadedGraph{map.graph(), {}, fixture_snap(500)});
    Point2 mid = map.point('B');
    mid.x += 200;  // middle of B→C
    Attachment site = net.attach(mid, "site");
    auto toward = net.toward(std::span(&site, 1));
    // From A: 400 m + 200 m = 60 s. From D: impossible (oneway).
    EXPECT_NEAR(net.evaluate(toward, net.attach(map.point('A'), "A")).time.value(), 60.0, 1e-9);
    EXPECT_FALSE(net.evaluate(toward, net.attach(map.point('D'), "D")).reached());
}

TEST(TravelNetwork, TooFarSiteIsAnErrorNamingIt) {
    AsciiMap map(kLine);
    map.way("ABCD", 36);
    TravelNetwork net(LoadedGraph{map.graph(), {}, fixture_snap(50)});
    Point2 far = map.point('A');
    far.y += 1000;
    try {
        (void)net.attach(far, "site 'MSAP Adriers'");
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("site 'MSAP Adriers'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("1000 m"), std::string::npos);
    }
}
