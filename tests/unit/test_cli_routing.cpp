// `maillage matrix` / `nearest` on a hand-drawn road layer (Lambert-93, round speeds):
//
//   D(501000,6601000) ---- (502000,6601000)        local roads 10 m/s, main road 20 m/s
//   ^ oneway B→D (main)        |
//   A ------ B(501000,6600000) ---- C(502000,6600000)
//
// A→C = 2000 m at 10 m/s = 200 s; A→D = 100 s + 1000 m at 20 m/s = 150 s;
// D→A: the main road is one-way, so D goes round by the east: 1000 + 1000 + 1000 + 1000 m = 400 s.
#include <gtest/gtest.h>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {
std::string data(const std::string& f) { return std::string(MAILLAGE_TEST_DATA) + "/network/" + f; }
std::string roads() { return "--network roads:" + data("roads_fixture.geojson") + " --mapping " + data("round_mapping.json"); }
}  // namespace

TEST(CliRouting, MatrixOnRoadLayerByHand) {
    fs::path dir = fresh_dir("matrix_roads");
    for (int threads : {1, 2}) {
        fs::path out = dir / ("m" + std::to_string(threads) + ".csv");
        auto r = run_cli("matrix " + roads() + " --crs EPSG:2154 --origins " + data("points.csv") + " --destinations " +
                         data("points.csv") + " --threads " + std::to_string(threads) + " -o " + out.string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
        // The one warning: the unmapped 'Chemin' road (the mapping leaves it out on purpose).
        EXPECT_EQ(r.err, "warning: " + data("roads_fixture.geojson") +
                             ": field 'VOCATION': 1 roads of class 'Chemin' not in the mapping: skipped\n");
    }
    std::string m = read_text(dir / "m1.csv");
    EXPECT_EQ(m, read_text(dir / "m2.csv")) << "threads must not change results";
    EXPECT_NE(m.find("A,C,200.0,3.33,0.0,0.0,roads\n"), std::string::npos) << m;
    EXPECT_NE(m.find("A,D,150.0,2.50,0.0,0.0,roads\n"), std::string::npos) << m;
    EXPECT_NE(m.find("D,A,400.0,6.67,0.0,0.0,roads\n"), std::string::npos) << m;
    EXPECT_NE(m.find("A,A,0.0,0.00"), std::string::npos) << m;
    EXPECT_TRUE(fs::exists(dir / "m1.csv.provenance.json"));
    std::string prov = read_text(dir / "m1.csv.provenance.json");
    EXPECT_NE(prov.find("\"travel_time_source\": \"roads\""), std::string::npos);
    EXPECT_NE(prov.find("1 roads of class 'Chemin' not in the mapping: skipped"), std::string::npos) << prov;
}

TEST(CliRouting, NearestSnapsOntoEdgeMiddle) {
    fs::path dir = fresh_dir("nearest_roads");
    write_text(dir / "sites.csv", "id,x,y\nS-C,502000,6600000\nS-D,501000,6601000\n");
    // P is 30 m north of the middle of A-B: snapped at 500500, access 30 m × 1.3 at 20 km/h (car profile).
    write_text(dir / "points.csv", "id,x,y\nP,500500,6600030\n");
    auto r = run_cli("nearest " + roads() + " --crs EPSG:2154 --sites " + (dir / "sites.csv").string() + " --points " +
                     (dir / "points.csv").string() + " -o " + (dir / "n.csv").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // P→D: access 39 m / 5.556 m/s = 7.02 s, then 500 m (50 s) + 1000 m main (50 s) = 107.0 s; P→C = 7.0 + 150 s.
    EXPECT_EQ(read_text(dir / "n.csv"),
              "point_id,nearest_site_id,seconds,minutes,snap_m,travel_time_source\nP,S-D,107.0,1.78,30.0,roads\n");
}

// roads_island.geojson = the fixture above plus a two-way road 1.5 km east of C, connected to
// nothing: (503500,6600000)-(503500,6600500). It is dropped as a small component, so a point
// standing on it is attached to the main network (x = 502000, 1510 m away) and flagged.
TEST(CliRouting, NearestRefusesDisconnectedIsland) {
    fs::path dir = fresh_dir("nearest_island");
    write_text(dir / "sites.csv", "id,x,y\nS-C,502000,6600000\n");
    write_text(dir / "points.csv", "id,x,y\nI,503510,6600250\nD,501000,6601000\n");
    std::string common = "nearest --network roads:" + data("roads_island.geojson") + " --mapping " + data("round_mapping.json") +
                         " --crs EPSG:2154 --sites " + (dir / "sites.csv").string() + " --points " + (dir / "points.csv").string();
    auto r = run_cli(common + " -o " + (dir / "n.csv").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // I: access 1510 m × 1.3 at 20 km/h = 353.3 s, then 250 m south to C at 10 m/s = 25 s.
    // D: 1000 m east + 1000 m south at 10 m/s = 200 s. Rows are sorted by point id.
    EXPECT_EQ(read_text(dir / "n.csv"), "point_id,nearest_site_id,seconds,minutes,snap_m,travel_time_source\n"
                                        "D,S-C,200.0,3.33,0.0,roads\nI,S-C,378.3,6.31,1510.0,roads\n");
    EXPECT_NE(r.err.find("warning: " + data("roads_island.geojson") +
                         ": 2 nodes in 1 components not reachable both ways from the main network were dropped\n"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("warning: " + (dir / "points.csv").string() +
                         ": point I: its nearest road (10 m) is cut off from the network (dropped as disconnected): "
                         "attached to the network 1510 m away instead\n"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("point D"), std::string::npos) << r.err;
    EXPECT_NE(read_text(dir / "n.csv.provenance.json").find("point I: its nearest road (10 m) is cut off"), std::string::npos);

    // Within a 1 km snap limit, I has no road it may use: an error naming it, and no output.
    auto far = run_cli(common + " --max-snap 1000 -o " + (dir / "far.csv").string());
    EXPECT_EQ(far.exit_code, 3);
    EXPECT_NE(far.err.find("point I"), std::string::npos) << far.err;
    EXPECT_NE(far.err.find("is 1510 m from the nearest road of the network (maximum 1000 m); the road beside it is cut off"),
              std::string::npos)
        << far.err;
    EXPECT_FALSE(fs::exists(dir / "far.csv"));
}

TEST(CliRouting, BadInputs) {
    fs::path dir = fresh_dir("routing_bad");
    const std::string out = " -o " + (dir / "out.csv").string();
    // Refused with this exit code, every expected piece of message on stderr, and no output.
    auto expect_refused = [&](const std::string& args, int code, const std::vector<std::string>& messages) {
        auto r = run_cli(args + out);
        EXPECT_EQ(r.exit_code, code) << args;
        for (const auto& m : messages) EXPECT_NE(r.err.find(m), std::string::npos) << "missing '" << m << "' in: " << r.err;
        EXPECT_FALSE(fs::exists(dir / "out.csv")) << args;
    };
    write_text(dir / "nan.csv", "id,x,y\nA,nan,6600000\n");
    expect_refused("matrix " + roads() + " --crs EPSG:2154 --origins " + (dir / "nan.csv").string() + " --destinations " +
                       data("points.csv"),
                   3, {"nan.csv: line 2: field 'x': not a number: 'nan'"});
    write_text(dir / "empty.csv", "id,x,y\n");
    expect_refused("nearest " + roads() + " --crs EPSG:2154 --sites " + (dir / "empty.csv").string() + " --points " +
                       data("points.csv"),
                   3, {"empty.csv: no point in the file"});
    expect_refused("matrix " + roads() + " --crs EPSG:2154 --origins " + data("points.csv") + " --destinations " +
                       data("points.csv") + " --threads 0",
                   2, {"--threads", "not in range 1 to 1024"});
    expect_refused("matrix " + roads() + " --max-snap -5 --origins a --destinations b", 2,
                   {"--max-snap: expected a number > 0, got '-5'"});
    write_text(dir / "bad_direction.json", R"({"class_field":"VOCATION","speeds_kmh":{"Liaison locale":50},"default_direction":"sideways"})");
    expect_refused("matrix --network roads:" + data("roads_fixture.geojson") + " --mapping " + (dir / "bad_direction.json").string() +
                       " --crs EPSG:2154 --origins " + data("points.csv") + " --destinations " + data("points.csv"),
                   3, {"bad_direction.json", "default_direction", "invalid direction 'sideways'"});

    auto spec = run_cli("matrix --network ftp:x --origins a --destinations b -o " + (dir / "out.csv").string());
    EXPECT_EQ(spec.exit_code, 2);
    EXPECT_NE(spec.err.find("unknown kind 'ftp'"), std::string::npos) << spec.err;

    write_text(dir / "mapping.json", R"({"class_field":"NATURE","speeds_kmh":{"Route":50}})");
    auto field = run_cli("matrix --network roads:" + data("roads_fixture.geojson") + " --mapping " +
                         (dir / "mapping.json").string() + " --crs EPSG:2154 --origins " + data("points.csv") +
                         " --destinations " + data("points.csv") + " -o " + (dir / "out.csv").string());
    EXPECT_EQ(field.exit_code, 3);
    EXPECT_NE(field.err.find("field 'NATURE': missing field"), std::string::npos) << field.err;

    write_text(dir / "bad_profile.json", R"({"name":"x","highway_speeds_kmh":{"primary":-5},"max_speed_kmh":50,"access_speed_kmh":5,"max_snap_distance_m":100})");
    auto profile = run_cli("matrix --network osm:" + std::string(MAILLAGE_GEODATA_CACHE) + "/osm/monaco.osm.pbf --profile " +
                           (dir / "bad_profile.json").string() + " --crs EPSG:2154 --origins " + data("points.csv") + " --destinations " +
                           data("points.csv") + " -o " + (dir / "out.csv").string());
    EXPECT_EQ(profile.exit_code, 3);
    EXPECT_NE(profile.err.find("/highway_speeds_kmh/primary"), std::string::npos) << profile.err;
    EXPECT_NE(profile.err.find("speed must be positive"), std::string::npos) << profile.err;

    write_text(dir / "unknown_key.json", R"({"name":"x","highway_speeds_kmh":{"primary":50},"max_speed_kmh":50,"access_speed_kmh":5,"max_snap_distance_m":100,"turbo":true})");
    auto key = run_cli("matrix --network osm:" + std::string(MAILLAGE_GEODATA_CACHE) + "/osm/monaco.osm.pbf --profile " +
                       (dir / "unknown_key.json").string() + " --crs EPSG:2154 --origins " + data("points.csv") + " --destinations " +
                       data("points.csv") + " -o " + (dir / "out.csv").string());
    EXPECT_EQ(key.exit_code, 3);
    EXPECT_NE(key.err.find("/turbo: field 'turbo': unknown key"), std::string::npos) << key.err;
    EXPECT_FALSE(fs::exists(dir / "out.csv"));
}

TEST(CliRouting, TimeMatrixSourceMissingPairsAndNegativeTimes) {
    fs::path dir = fresh_dir("routing_matrix");
    write_text(dir / "pts.csv", "id,lon,lat\nPoitiers,0.3404,46.5802\nChatellerault,0.5461,46.8178\n");
    write_text(dir / "m.csv", "origin,destination,seconds\n86194,86066,1800\n86066,86194,1750\n");
    auto ok = run_cli("matrix --network matrix:" + (dir / "m.csv").string() + " --origins " + (dir / "pts.csv").string() +
                      " --destinations " + (dir / "pts.csv").string() + " -o " + (dir / "out.csv").string());
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    std::string out = read_text(dir / "out.csv");
    // Matrix time + the access legs from each point to its commune's representative point
    // (crow-fly × 1.3 at 50 km/h): 1800 + 2568.8·1.3/13.889 + 658.2·1.3/13.889 = 2102.0 s.
    EXPECT_NE(out.find("Poitiers,Chatellerault,2102.0,35.03,2568.8,658.2,matrix\n"), std::string::npos) << out;
    EXPECT_NE(out.find(",matrix\n"), std::string::npos) << out;

    write_text(dir / "missing.csv", "origin,destination,seconds\n86194,86066,1800\n86066,86001,1750\n");
    auto missing = run_cli("matrix --network matrix:" + (dir / "missing.csv").string() + " --origins " +
                           (dir / "pts.csv").string() + " --destinations " + (dir / "pts.csv").string() + " -o " +
                           (dir / "out2.csv").string());
    EXPECT_EQ(missing.exit_code, 3);
    EXPECT_NE(missing.err.find("missing pair"), std::string::npos) << missing.err;

    write_text(dir / "negative.csv", "origin,destination,seconds\n86194,86066,-3\n86066,86194,1750\n");
    auto negative = run_cli("matrix --network matrix:" + (dir / "negative.csv").string() + " --origins " +
                            (dir / "pts.csv").string() + " --destinations " + (dir / "pts.csv").string() + " -o " +
                            (dir / "out3.csv").string());
    EXPECT_EQ(negative.exit_code, 3);
    EXPECT_NE(negative.err.find("negative.csv: line 2: field 'seconds': negative travel time -3"), std::string::npos)
        << negative.err;
    EXPECT_FALSE(fs::exists(dir / "out2.csv"));
    EXPECT_FALSE(fs::exists(dir / "out3.csv"));
}
