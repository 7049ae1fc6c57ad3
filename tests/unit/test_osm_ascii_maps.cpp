// The OSM loader end to end on maps drawn in ASCII (Valhalla gurka style): the drawing
// becomes a real .osm file, read by load_osm with the shipped profiles; expected times are
// worked out by hand from the drawn metres and the tagged speeds. Grid: 100 m.
#include <gtest/gtest.h>

#include <limits>

#include "network/osm_loader.hpp"
#include "network/profile.hpp"
#include "routing/travel_network.hpp"
#include "support/ascii_osm.hpp"
#include "support/cli_runner.hpp"
#include "util/errors.hpp"

using namespace maillage;
using maillage::testing::AsciiOsm;

namespace {

using Tags = std::vector<std::pair<std::string, std::string>>;

// Routes on the loaded graph between drawn letters (attached exactly at their nodes).
class Routed {
public:
    Routed(const AsciiOsm& map, const std::string& profile_name, const std::string& test) : map_(map) {
        auto dir = maillage::testing::fresh_dir("osm_ascii_" + test);
        auto file = dir / "map.osm";
        map.write(file);
        LoadedGraph g = load_osm(file, load_profile(profile_name, std::filesystem::path(MAILLAGE_SOURCE_DIR) / "geodata"));
        warnings_ = g.info.diagnostics.warnings().size();
        net_.emplace(std::move(g));
    }
    [[nodiscard]] double seconds(char from, char to) const { return seconds(map_.lambert(from), to); }
    [[nodiscard]] double seconds(Point2 from, char to) const {
        Attachment site = net_->attach(map_.lambert(to), std::string("site ") + to);
        SiteSearch search = net_->toward(std::span(&site, 1));
        Reach r = net_->evaluate(search, net_->attach(from, "point"));
        return r.reached() ? r.time.value() : std::numeric_limits<double>::infinity();
    }
    [[nodiscard]] const TravelNetwork& net() const { return *net_; }
    [[nodiscard]] std::size_t warnings() const { return warnings_; }

private:
    AsciiOsm map_;
    std::optional<TravelNetwork> net_;
    std::size_t warnings_ = 0;
};

// Integer milliseconds per edge in the search: a path of n edges is within n × 0.5 ms.
constexpr double kTol = 0.01;

}  // namespace

TEST(OsmAsciiMaps, MaxspeedValuesSetEdgeTimes) {
    AsciiOsm map(R"(
A---B---C---D---E---F---G---H---I
)");
    auto primary = [](const char* maxspeed) { return Tags{{"highway", "primary"}, {"maxspeed", maxspeed}}; };
    map.way("AB", primary("36"))         // 400 m at 10 m/s: 40 s
        .way("BC", primary("25 mph"))    // 40.2336 km/h: 35.7909 s
        .way("CD", primary("FR:urban"))  // 50 km/h: 28.8 s
        .way("DE", primary("FR:rural"))  // 80 km/h: 18 s
        .way("EF", primary("walk"))      // 6 km/h: 240 s
        .way("FG", primary("signals"))   // unreadable: primary's 75 km/h, 19.2 s
        .way("GH", primary("none"))      // 130 km/h: 11.0769 s
        .way("HI", primary("200"));      // capped at the profile's 130 km/h
    Routed r(map, "car", "maxspeed");
    EXPECT_NEAR(r.seconds('A', 'B'), 40.0, kTol);
    EXPECT_NEAR(r.seconds('B', 'C'), 400 / (25 * 1.609344 / 3.6), kTol);
    EXPECT_NEAR(r.seconds('C', 'D'), 28.8, kTol);
    EXPECT_NEAR(r.seconds('D', 'E'), 18.0, kTol);
    EXPECT_NEAR(r.seconds('E', 'F'), 240.0, kTol);
    EXPECT_NEAR(r.seconds('F', 'G'), 19.2, kTol);
    EXPECT_NEAR(r.seconds('G', 'H'), 400 / (130 / 3.6), kTol);
    EXPECT_NEAR(r.seconds('H', 'I'), 400 / (130 / 3.6), kTol);
    EXPECT_NEAR(r.seconds('I', 'A'), r.seconds('A', 'I'), kTol);  // all two-way
    // Halfway along E-F (walking pace): 120 s from E, not a length-share of the whole chain.
    Point2 mid{(map.lambert('E').x + map.lambert('F').x) / 2, (map.lambert('E').y + map.lambert('F').y) / 2};
    EXPECT_NEAR(r.seconds(mid, 'E'), 120.0, kTol);
    EXPECT_NEAR(r.seconds(mid, 'I'), 120.0 + 19.2 + 2 * 400 / (130 / 3.6), kTol);
}

TEST(OsmAsciiMaps, OnewayRoundaboutAndMotorway) {
    // 500 m sides, every road at 36 km/h (10 m/s): 50 s a side.
    AsciiOsm map(R"(
A----B----C
|    |    |
|    |    |
|    |    |
|    |    |
D----E----F
)");
    Tags road{{"highway", "primary"}, {"maxspeed", "36"}};
    auto with = [&](Tags extra) {
        Tags t = road;
        t.insert(t.end(), extra.begin(), extra.end());
        return t;
    };
    map.way("AB", with({{"oneway", "yes"}}))                // A→B only
        .way("BC", with({{"oneway", "-1"}}))                // C→B only
        .way("FC", with({{"junction", "roundabout"}}))      // F→C only
        .way("EF", {{"highway", "motorway"}, {"maxspeed", "36"}})                     // implied E→F only
        .way("ED", {{"highway", "motorway"}, {"maxspeed", "36"}, {"oneway", "no"}})  // both ways
        .way("DA", road)
        .way("BE", road);
    Routed r(map, "car", "oneway");
    EXPECT_NEAR(r.seconds('A', 'B'), 50.0, kTol);
    EXPECT_NEAR(r.seconds('B', 'A'), 150.0, kTol);  // B-E-D-A
    EXPECT_NEAR(r.seconds('C', 'B'), 50.0, kTol);
    EXPECT_NEAR(r.seconds('B', 'C'), 150.0, kTol);  // B-E-F-C
    EXPECT_NEAR(r.seconds('F', 'C'), 50.0, kTol);
    EXPECT_NEAR(r.seconds('C', 'F'), 150.0, kTol);  // C-B-E-F
    EXPECT_NEAR(r.seconds('E', 'F'), 50.0, kTol);
    EXPECT_NEAR(r.seconds('F', 'E'), 150.0, kTol);  // F-C-B-E
    EXPECT_NEAR(r.seconds('D', 'E'), 50.0, kTol);
    EXPECT_NEAR(r.seconds('E', 'D'), 50.0, kTol);
    // On foot every one of them is two-way (5 km/h: 360 s a side, speeds are the profile's).
    Routed walk(map, "foot", "oneway_foot");
    EXPECT_NEAR(walk.seconds('B', 'A'), 360.0, kTol);
    EXPECT_NEAR(walk.seconds('C', 'F'), 360.0, kTol);
    EXPECT_EQ(walk.warnings(), 0u);
}

TEST(OsmAsciiMaps, AccessRestrictionsChangeTheRoute) {
    AsciiOsm map(R"(
A----B----C
|         |
|         |
D----E----F
)");
    Tags road{{"highway", "primary"}, {"maxspeed", "36"}};
    map.way("AB", {{"highway", "primary"}, {"maxspeed", "36"}, {"access", "no"}, {"motor_vehicle", "yes"}})
        .way("BC", {{"highway", "primary"}, {"maxspeed", "36"}, {"motor_vehicle", "no"}})
        .way("AD", road)
        .way("DEF", road)
        .way("FC", road);
    Routed car(map, "car", "access_car");
    // Cars may use A-B (the specific motor_vehicle=yes wins) but not B-C: A-D-E-F-C, 1600 m.
    EXPECT_NEAR(car.seconds('A', 'B'), 50.0, kTol);
    EXPECT_NEAR(car.seconds('A', 'C'), 160.0, kTol);
    EXPECT_NEAR(car.seconds('B', 'C'), 210.0, kTol);
    // Bicycles (primary at 15 km/h) may not use A-B (access=no) but may use B-C.
    Routed bike(map, "bicycle", "access_bike");
    const double v = 15 / 3.6;
    EXPECT_NEAR(bike.seconds('A', 'B'), 2100 / v, kTol);
    EXPECT_NEAR(bike.seconds('C', 'B'), 500 / v, kTol);
}

TEST(OsmAsciiMaps, FerryWithDurationOnlyIsRouted) {
    AsciiOsm map(R"(
A----B----------C----D
|                    |
E--------------------F
)");
    Tags road{{"highway", "primary"}, {"maxspeed", "36"}};
    map.way("AB", road)
        .way("BC", {{"route", "ferry"}, {"duration", "00:30"}})  // the crossing: 1800 s
        .way("CD", road)
        .way("AE", road)
        .way("EF", {{"route", "ferry"}})  // no duration: not routed (its time would be a guess)
        .way("FD", road);
    Routed r(map, "car", "ferry");
    EXPECT_NEAR(r.seconds('A', 'D'), 50 + 1800 + 50, kTol);
    EXPECT_NEAR(r.seconds('E', 'F'), 20 + 50 + 1800 + 50 + 20, kTol);  // round by the ferry with a duration
    // Halfway across: the crossing's time is shared along its length.
    Point2 mid{(map.lambert('B').x + map.lambert('C').x) / 2, (map.lambert('B').y + map.lambert('C').y) / 2};
    EXPECT_NEAR(r.seconds(mid, 'C'), 900.0, kTol);
}

TEST(OsmAsciiMaps, WayLeavingTheExtractIsCutNotJoined) {
    // The way A-B-?-C-D references a node missing from the file (outside the extract). B and
    // C must not be joined by a straight road: B→C goes round by E-F, 200 + 500 + 200 m.
    AsciiOsm map(R"(
A----B----C----D
     |    |
     E----F
)");
    Tags road{{"highway", "primary"}, {"maxspeed", "36"}};
    map.way("AB?CD", road).way("BEFC", road);
    Routed r(map, "car", "cut");
    EXPECT_NEAR(r.seconds('B', 'C'), 90.0, kTol);
    EXPECT_NEAR(r.seconds('A', 'D'), 50 + 90 + 50, kTol);
}

TEST(OsmAsciiMaps, SmallComponentsAreDroppedAndReported) {
    AsciiOsm map(R"(
A----B    G----H
|    |
C----D----E
)");
    Tags road{{"highway", "primary"}, {"maxspeed", "36"}};
    map.way("ABDCA", road).way("DE", {{"highway", "primary"}, {"maxspeed", "36"}, {"oneway", "yes"}}).way("GH", road);
    Routed r(map, "car", "components");
    EXPECT_EQ(r.warnings(), 1u);  // E (a one-way dead end) and the island G-H
    EXPECT_NEAR(r.seconds('A', 'D'), 70.0, kTol);  // 500 + 200 m either way round
    // E is not in the network: a point there snaps back onto D (500 m) and is flagged.
    auto e = r.net().attach(map.lambert('E'), "point E");
    EXPECT_NEAR(e.distance.value(), 500.0 * 0.99906, 0.01);  // in the Lambert-93 plane: scale 0.99906 here
    EXPECT_TRUE(e.beside_cut_off_road());
    EXPECT_TRUE(r.net().attach(map.lambert('G'), "point G").beside_cut_off_road());
}

TEST(OsmAsciiMaps, NoRoutableWayIsAClearError) {
    AsciiOsm map(R"(
A----B----C
)");
    map.way("AB", {{"highway", "footway"}}).way("BC", {{"highway", "primary"}, {"access", "private"}});
    auto file = maillage::testing::fresh_dir("osm_none_routable") / "footways.osm.pbf";
    map.write_pbf(file);
    try {
        (void)load_osm(file, load_profile("car", std::filesystem::path(MAILLAGE_SOURCE_DIR) / "geodata"));
        FAIL() << "expected an InputError";
    } catch (const InputError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("footways.osm.pbf"), std::string::npos) << what;
        EXPECT_NE(what.find("no way routable with profile 'car' (2 ways read)"), std::string::npos) << what;
    }
    // The same file is fine on foot.
    LoadedGraph walk = load_osm(file, load_profile("foot", std::filesystem::path(MAILLAGE_SOURCE_DIR) / "geodata"));
    EXPECT_EQ(walk.stats["routable_ways"], 1);  // the footway; the private primary is closed on foot too
}
