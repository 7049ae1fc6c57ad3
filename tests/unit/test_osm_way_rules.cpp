// How the shipped profiles (geodata/profiles/*.json) read the tags of one OSM way.
#include <gtest/gtest.h>

#include <osmium/builder/attr.hpp>
#include <osmium/memory/buffer.hpp>
#include <osmium/osm/way.hpp>

#include "network/osm_way_rules.hpp"
#include "network/profile.hpp"

using namespace maillage;

namespace {
using Tags = std::initializer_list<std::pair<const char*, const char*>>;

const Profile& profile(const std::string& name) {
    static std::map<std::string, Profile> loaded;
    auto it = loaded.find(name);
    if (it == loaded.end())
        it = loaded.emplace(name, load_profile(name, std::filesystem::path(MAILLAGE_SOURCE_DIR) / "geodata")).first;
    return it->second;
}

std::optional<WayRule> rule(const std::string& profile_name, Tags tags) {
    using namespace osmium::builder::attr;
    osmium::memory::Buffer buffer{1024, osmium::memory::Buffer::auto_grow::yes};
    auto offset = osmium::builder::add_way(buffer, _id(1), _tags(tags));
    return evaluate_way(buffer.get<osmium::Way>(offset).tags(), profile(profile_name));
}

double car_speed(Tags tags) {
    auto r = rule("car", tags);
    return r ? r->speed_kmh : -1.0;
}
}  // namespace

TEST(OsmWayRules, MaxspeedForms) {
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}}), 75.0);  // the class default
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "90"}}), 90.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "50 km/h"}}), 50.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "30 mph"}}), 30 * 1.609344);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "10 knots"}}), 18.52);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "FR:urban"}}), 50.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "FR:rural"}}), 80.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "residential"}, {"maxspeed", "FR:zone30"}}), 30.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "living_street"}, {"maxspeed", "walk"}}), 6.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "motorway"}, {"maxspeed", "none"}}), 130.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "50;70"}}), 50.0);  // the first value
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "motorway"}, {"maxspeed", "250"}}), 130.0);  // the profile's cap
    // Unreadable or nonsensical: the class default stands.
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "signals"}}), 75.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "0"}}), 75.0);
    EXPECT_DOUBLE_EQ(car_speed({{"highway", "primary"}, {"maxspeed", "50 furlongs"}}), 75.0);
    // The bicycle profile ignores maxspeed (its own pace), within its cap.
    EXPECT_DOUBLE_EQ(rule("bicycle", {{"highway", "primary"}, {"maxspeed", "90"}})->speed_kmh, 15.0);
}

TEST(OsmWayRules, Oneway) {
    auto dir = [](const std::string& p, Tags tags) {
        auto r = rule(p, tags);
        if (!r) return std::string("none");
        return std::string(r->forward ? "F" : "") + (r->backward ? "B" : "");
    };
    EXPECT_EQ(dir("car", {{"highway", "primary"}}), "FB");
    EXPECT_EQ(dir("car", {{"highway", "primary"}, {"oneway", "yes"}}), "F");
    EXPECT_EQ(dir("car", {{"highway", "primary"}, {"oneway", "1"}}), "F");
    EXPECT_EQ(dir("car", {{"highway", "primary"}, {"oneway", "-1"}}), "B");
    EXPECT_EQ(dir("car", {{"highway", "primary"}, {"oneway", "no"}}), "FB");
    EXPECT_EQ(dir("car", {{"highway", "primary"}, {"junction", "roundabout"}}), "F");
    EXPECT_EQ(dir("car", {{"highway", "primary"}, {"junction", "circular"}}), "F");
    EXPECT_EQ(dir("car", {{"highway", "motorway"}}), "F");
    EXPECT_EQ(dir("car", {{"highway", "motorway_link"}}), "F");
    EXPECT_EQ(dir("car", {{"highway", "motorway"}, {"oneway", "no"}}), "FB");
    EXPECT_EQ(dir("car", {{"highway", "trunk"}}), "FB");
    // Cyclists may ride against a one-way street where oneway:bicycle=no says so; cars may not.
    EXPECT_EQ(dir("car", {{"highway", "residential"}, {"oneway", "yes"}, {"oneway:bicycle", "no"}}), "F");
    EXPECT_EQ(dir("bicycle", {{"highway", "residential"}, {"oneway", "yes"}, {"oneway:bicycle", "no"}}), "FB");
    EXPECT_EQ(dir("bicycle", {{"highway", "residential"}, {"oneway", "yes"}}), "F");
    // Pedestrians walk both ways, roundabouts included.
    EXPECT_EQ(dir("foot", {{"highway", "residential"}, {"oneway", "yes"}}), "FB");
    EXPECT_EQ(dir("foot", {{"highway", "primary"}, {"junction", "roundabout"}}), "FB");
}

TEST(OsmWayRules, AccessRestrictions) {
    auto routable = [](const std::string& p, Tags tags) { return rule(p, tags).has_value(); };
    EXPECT_FALSE(routable("car", {{"highway", "footway"}}));          // not a car class
    EXPECT_FALSE(routable("car", {{"highway", "primary"}, {"area", "yes"}}));
    EXPECT_FALSE(routable("car", {{"highway", "primary"}, {"access", "no"}}));
    EXPECT_FALSE(routable("car", {{"highway", "service"}, {"access", "private"}}));
    EXPECT_FALSE(routable("car", {{"highway", "service"}, {"motor_vehicle", "agricultural"}}));
    EXPECT_FALSE(routable("car", {{"highway", "primary"}, {"motor_vehicle", "no"}}));
    EXPECT_TRUE(routable("car", {{"highway", "primary"}, {"access", "no"}, {"motor_vehicle", "yes"}}));  // specific wins
    EXPECT_TRUE(routable("car", {{"highway", "primary"}, {"access", "destination"}}));
    EXPECT_TRUE(routable("car", {{"highway", "primary"}, {"bicycle", "no"}}));
    EXPECT_FALSE(routable("bicycle", {{"highway", "primary"}, {"bicycle", "no"}}));
    EXPECT_FALSE(routable("bicycle", {{"highway", "primary"}, {"access", "no"}}));
    EXPECT_TRUE(routable("bicycle", {{"highway", "primary"}, {"motor_vehicle", "no"}}));
    EXPECT_FALSE(routable("bicycle", {{"highway", "motorway"}}));  // not a bicycle class
    EXPECT_FALSE(routable("bicycle", {{"highway", "cycleway"}, {"bicycle", "use_sidepath"}}));
    EXPECT_TRUE(routable("foot", {{"highway", "footway"}}));
    EXPECT_FALSE(routable("foot", {{"highway", "footway"}, {"foot", "no"}}));
    EXPECT_TRUE(routable("foot", {{"highway", "primary"}, {"access", "no"}, {"foot", "yes"}}));
    EXPECT_FALSE(routable("car", {{"building", "yes"}}));
}

TEST(OsmWayRules, FerryNeedsADuration) {
    auto ferry = rule("car", {{"route", "ferry"}, {"duration", "00:45"}});
    ASSERT_TRUE(ferry);
    EXPECT_DOUBLE_EQ(*ferry->ferry_seconds, 2700.0);
    EXPECT_TRUE(ferry->forward && ferry->backward);
    EXPECT_DOUBLE_EQ(*rule("foot", {{"route", "ferry"}, {"duration", "1:02:03"}})->ferry_seconds, 3723.0);
    EXPECT_DOUBLE_EQ(*rule("car", {{"route", "ferry"}, {"duration", "20"}})->ferry_seconds, 1200.0);  // minutes
    EXPECT_FALSE(rule("car", {{"route", "ferry"}}));  // no duration: its time would be a guess
    EXPECT_FALSE(rule("car", {{"route", "ferry"}, {"duration", "about an hour"}}));
    EXPECT_FALSE(rule("car", {{"route", "ferry"}, {"duration", "00:45"}, {"motor_vehicle", "no"}}));
    EXPECT_TRUE(rule("foot", {{"route", "ferry"}, {"duration", "00:45"}, {"motor_vehicle", "no"}}));
}

TEST(OsmWayRules, OsmDurations) {
    EXPECT_EQ(parse_osm_duration("01:30"), 5400.0);
    EXPECT_EQ(parse_osm_duration("00:00:42"), 42.0);
    EXPECT_EQ(parse_osm_duration("90"), 5400.0);
    EXPECT_FALSE(parse_osm_duration(""));
    EXPECT_FALSE(parse_osm_duration(nullptr));
    EXPECT_FALSE(parse_osm_duration("1h30"));
    EXPECT_FALSE(parse_osm_duration("-5"));
}
