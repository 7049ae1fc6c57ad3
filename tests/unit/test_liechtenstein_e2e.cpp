// The real Liechtenstein extract end to end: municipalities from its OSM admin relations,
// pharmacies and kindergartens from its OSM tags, the OSM car network, coverage and
// catchments through the CLI. (The reduced extract has no amenity=doctors.)
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {
std::string extract() { return std::string(MAILLAGE_GEODATA_CACHE) + "/osm/liechtenstein-latest.osm.pbf"; }
std::string population() { return std::string(MAILLAGE_TEST_DATA) + "/liechtenstein/population.csv"; }
}  // namespace

TEST(LiechtensteinE2E, ElevenMunicipalitiesFromOsmBoundaries) {
    auto r = run_cli("info --json --communes " + extract() + " --population " + population());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["communes"]["count"], 11);
    EXPECT_EQ(j["communes"]["population"], 39318);
}

TEST(LiechtensteinE2E, PharmacyCoverageOnTheOsmCarNetwork) {
    fs::path out = fresh_dir("li_pharmacy");
    auto r = run_cli("coverage --communes " + extract() + " --population " + population() + " --sites " + extract() +
                     " --category pharmacie --network osm:" + extract() + " --thresholds 5,10,15,30 --cell-size 100 -o " +
                     out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_EQ(s["travel_time_source"], "osm");
    EXPECT_EQ(s["sites"], 3);
    EXPECT_EQ(s["departement"]["population"], 39318.0);
    // The country is 25 km long: every municipality is within 30 min of a pharmacy by car,
    // but not all within 5 min (3 pharmacies for 11 municipalities).
    EXPECT_EQ(s["departement"]["population_within_minutes"]["30"], 39318.0);
    EXPECT_LT(s["departement"]["population_within_minutes"]["5"].get<double>(), 39318.0);
    EXPECT_GT(s["departement"]["population_within_minutes"]["5"].get<double>(), 0.0);
    auto catchments = nlohmann::json::parse(read_text(out / "catchments.geojson"));
    EXPECT_GE(catchments["features"].size(), 3u * 3u);  // 3 sites × at least 3 non-empty bands
    EXPECT_EQ(catchments["metadata"]["profile"], "car");
    std::string cmd = "node " + std::string(MAILLAGE_SOURCE_DIR) + "/scripts/check-geojson.js " + (out / "catchments.geojson").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0);
}

TEST(LiechtensteinE2E, DoctorsAbsentFromTheExtractMeansNoCoverageNotACrash) {
    fs::path out = fresh_dir("li_gp");
    auto r = run_cli("coverage --communes " + extract() + " --population " + population() + " --sites " + extract() +
                     " --category gp --network osm:" + extract() + " --no-catchments -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_EQ(s["sites"], 0);
    EXPECT_EQ(s["departement"]["population_unreachable"], 39318.0);
}
