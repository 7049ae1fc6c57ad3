// `maillage coverage` end to end: fixture outputs, determinism, validators, bad input
// (nothing written), and the real Vienne default on the estimated network.
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/square_communes.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

struct CoverageFixture {
    fs::path dir;
    fs::path communes, sites, out;
    explicit CoverageFixture(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        sites = dir / "sites.csv";
        out = dir / "out";
        write_text(communes, squares_geojson(three_in_a_row()));
        // Centre of commune A (501000, 6601000) in Lambert-93.
        write_text(sites, "id,name,x,y\nS1,Site A,501000,6601000\n");
    }
    std::string args(const std::string& extra = "") const {
        return "coverage --communes " + communes.string() + " --sites " + sites.string() +
               " --crs EPSG:2154 --category france_services --network estimated:" + MAILLAGE_TEST_DATA +
               "/coverage/round_parameters.json --thresholds 1,3,5 --gap-threshold 3 --cell-size 100 -o " +
               out.string() + " " + extra;
    }
};

std::size_t files_in(const fs::path& d) {
    return fs::exists(d) ? static_cast<std::size_t>(std::distance(fs::directory_iterator(d), {})) : 0;
}

}  // namespace

TEST(CliCoverage, FixtureOutputsByHand) {
    CoverageFixture f("cov_cli");
    auto r = run_cli(f.args());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Warnings go to stderr as well as summary.json: here only the estimate's (estimated; no
    // neighbouring communes given, so less accurate near the study's edge).
    EXPECT_EQ(r.err,
              "warning: travel times are ESTIMATED: no road network was given (--network)\n"
              "warning: estimated network without the communes beyond the study (no neighbouring communes layer, "
              "--neighbour-communes): sites and inhabitants beyond the edge attach to the nearest commune of the "
              "study, so times near the edge are less accurate and depend on the study's extent\n");
    for (const char* name : {"coverage_communes.geojson", "catchments.geojson", "sites.geojson", "gaps.csv",
                             "gaps.csv.provenance.json", "summary.json", "coverage.gpkg", "coverage_communes.qml",
                             "catchments.qml", "sites.qml"})
        EXPECT_TRUE(fs::exists(f.out / name)) << name;
    auto summary = nlohmann::json::parse(read_text(f.out / "summary.json"));
    EXPECT_EQ(summary["travel_time_source"], "estimated");
    EXPECT_EQ(summary["departement"]["population"], 600.0);
    EXPECT_EQ(summary["departement"]["population_within_minutes"]["1"], 100.0);
    EXPECT_EQ(summary["departement"]["population_within_minutes"]["3"], 300.0);
    EXPECT_EQ(summary["metadata"]["travel_time_source"], "estimated");
    EXPECT_EQ(summary["metadata"]["inputs"][0]["role"], "communes");
    EXPECT_EQ(summary["metadata"]["inputs"][0]["sha256"].get<std::string>().size(), 64u);
    EXPECT_EQ(read_text(f.out / "gaps.csv"),
              "rank,cluster,code,nom,population_beyond,minutes,excess_minutes,score_person_minutes,nearest_site_id,"
              "nearest_site_name,travel_time_source\n1,1,86003,Commune 86003,300.0,4.0,1.0,300,S1,Site A,estimated\n");
    auto communes = nlohmann::json::parse(read_text(f.out / "coverage_communes.geojson"));
    ASSERT_EQ(communes["features"].size(), 3u);
    auto& b = communes["features"][1]["properties"];
    EXPECT_EQ(b["code"], "86002");
    EXPECT_EQ(b["mean_minutes"], 2.0);
    EXPECT_EQ(b["band"], "1-3 min");
    EXPECT_EQ(b["covered"], true);
    EXPECT_EQ(communes["features"][2]["properties"]["covered"], false);
    EXPECT_EQ(communes["metadata"]["parameters"]["bands_minutes"], nlohmann::json({1.0, 3.0, 5.0}));
}

TEST(CliCoverage, ByteIdenticalRerunsAndIndependentValidation) {
    CoverageFixture f("cov_det");
    ASSERT_EQ(run_cli(f.args()).exit_code, 0);
    fs::path first = f.dir / "first";
    fs::rename(f.out, first);
    ASSERT_EQ(run_cli(f.args()).exit_code, 0);
    for (const auto& e : fs::directory_iterator(first))
        EXPECT_EQ(read_text(e.path()), read_text(f.out / e.path().filename())) << e.path().filename();
    std::string cmd = "node " + std::string(MAILLAGE_SOURCE_DIR) + "/scripts/check-geojson.js " +
                      (f.out / "coverage_communes.geojson").string() + " " + (f.out / "catchments.geojson").string() +
                      " " + (f.out / "covered.geojson").string() + " " + (f.out / "not_covered.geojson").string() +
                      " " + (f.out / "sites.geojson").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0);
}

TEST(CliCoverage, BadThresholdsAreUsageErrorsAndWriteNothing) {
    CoverageFixture f("cov_thr");
    for (const char* bad : {"20,10", "-5,10", "10,abc"}) {
        std::string a = f.args();
        a.replace(a.find("--thresholds 1,3,5"), 18, std::string("--thresholds ") + bad);
        auto r = run_cli(a);
        EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
        EXPECT_NE(r.err.find("--thresholds"), std::string::npos) << r.err;
        EXPECT_EQ(files_in(f.out), 0u) << bad;
    }
}

TEST(CliCoverage, SiteOutsideStudyAreaIsAnErrorAndWritesNothing) {
    CoverageFixture f("cov_outside");
    write_text(f.sites, "id,name,x,y\nS1,Site A,501000,6601000\nS9,Loin,900000,6601000\n");
    auto r = run_cli(f.args());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("site S9"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("outside the study area"), std::string::npos) << r.err;
    EXPECT_EQ(files_in(f.out), 0u);
}

TEST(CliCoverage, PopulationTextIsAnError) {
    CoverageFixture f("cov_poptext");
    std::string text = read_text(f.communes);
    text.replace(text.find("\"population\":200"), 16, "\"population\":\"deux cents\"");
    write_text(f.communes, text);
    auto r = run_cli(f.args());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("feature 1: field 'population'"), std::string::npos) << r.err;
    EXPECT_EQ(files_in(f.out), 0u);
}

TEST(CliCoverage, CategoryWithoutSiteIsReportedNotACrash) {
    CoverageFixture f("cov_nosite");
    write_text(f.sites, "id,name,x,y\n");  // a site file with no row
    auto r = run_cli("coverage --communes " + f.communes.string() + " --sites " + f.sites.string() +
                     " --crs EPSG:2154 --category mam --network estimated:" + MAILLAGE_TEST_DATA +
                     "/coverage/round_parameters.json -o " + f.out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto summary = nlohmann::json::parse(read_text(f.out / "summary.json"));
    EXPECT_EQ(summary["sites"], 0);
    EXPECT_EQ(summary["departement"]["population_unreachable"], 600.0);
    EXPECT_NE(summary["warnings"].dump().find("no site of category 'mam'"), std::string::npos);
}

TEST(CliCoverage, VienneFranceServicesOnTheEstimatedNetwork) {
    fs::path out = fresh_dir("cov_vienne");
    auto r = run_cli("coverage --category france_services -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_EQ(s["travel_time_source"], "estimated");
    EXPECT_NE(s["travel_time_warning"].get<std::string>().find("ESTIMATED"), std::string::npos);
    EXPECT_EQ(s["departement"]["population"], 438897.0);  // conservation
    EXPECT_EQ(s["sites"], 62);                              // 26 in Vienne + 36 within 20 km
    double share20 = s["departement"]["share_within_minutes"]["20"];
    EXPECT_GT(share20, 0.80);
    EXPECT_LE(share20, 1.0);
    double within = 0;
    for (const auto& t : s["territories"]) within += t["population"].get<double>();
    EXPECT_EQ(within, 438897.0);
    auto communes = nlohmann::json::parse(read_text(out / "coverage_communes.geojson"));
    ASSERT_EQ(communes["features"].size(), 265u);
    for (const auto& f : communes["features"]) {
        EXPECT_EQ(f["properties"]["travel_time_source"], "estimated");
        if (f["properties"]["code"] == "86194") {  // Poitiers has a France Services
            EXPECT_EQ(f["properties"]["covered"], true);
            EXPECT_LT(f["properties"]["mean_minutes"].get<double>(), 10.0);
        }
    }
    // Gaps are ranked by score, descending.
    std::istringstream gaps(read_text(out / "gaps.csv"));
    std::string line;
    std::getline(gaps, line);
    double previous = 1e18;
    int rows = 0;
    while (std::getline(gaps, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
        double score = std::stod(cells[7]);
        EXPECT_LE(score, previous);
        previous = score;
        ++rows;
    }
    EXPECT_EQ(rows, s["gaps"]["communes"].get<int>());
}

// The same inputs in two checkouts give byte-identical outputs: input paths under the working
// directory are written relative to it (the sha256 is the file's identity).
TEST(CliCoverage, TwoCheckoutsOfTheSameInputsGiveIdenticalOutputs) {
    fs::path root = fresh_dir("cov_checkouts");
    for (const char* name : {"a", "b"}) {
        CoverageFixture f(std::string("cov_checkout_") + name);
        fs::path checkout = root / name;
        fs::create_directories(checkout / "data");
        fs::copy_file(f.communes, checkout / "data/communes.geojson");
        fs::copy_file(f.sites, checkout / "data/sites.csv");
        fs::copy_file(fs::path(MAILLAGE_TEST_DATA) / "coverage/round_parameters.json", checkout / "data/params.json");
        // Absolute paths on the command line, run from the checkout's root.
        std::string cmd = "cd " + shell_quote(checkout.string()) + " && " + MAILLAGE_BINARY + " coverage --communes " +
                          (checkout / "data/communes.geojson").string() + " --sites " +
                          (checkout / "data/sites.csv").string() +
                          " --crs EPSG:2154 --category france_services --network estimated:" +
                          (checkout / "data/params.json").string() +
                          " --thresholds 1,3,5 --gap-threshold 3 --cell-size 100 -o " + (checkout / "out").string() +
                          " >/dev/null 2>&1";
        ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    }
    for (const char* file : {"summary.json", "coverage_communes.geojson", "gaps.csv.provenance.json", "catchments.geojson"})
        EXPECT_EQ(read_text(root / "a/out" / file), read_text(root / "b/out" / file)) << file;
    EXPECT_NE(read_text(root / "a/out/summary.json").find("\"path\": \"data/communes.geojson\""), std::string::npos);
}

// Tens of thousands of sites: per-site polygons are left out by default (with a warning), the
// covered / not-covered areas are still drawn; --site-catchments all / none decide otherwise.
TEST(CliCoverage, PerSiteCatchmentsLeftOutAboveTheAutomaticLimit) {
    CoverageFixture f("cov_cli_many_sites");
    std::string sites = "id,name,x,y\n";
    for (int i = 0; i < 2001; ++i)
        sites += "S" + std::to_string(i) + ",Site " + std::to_string(i) + "," + std::to_string(500100 + (i % 45) * 40) +
                 "," + std::to_string(6600100 + (i / 45) * 40) + "\n";
    write_text(f.sites, sites);
    auto features = [](const fs::path& geojson) {
        return nlohmann::json::parse(read_text(geojson))["features"].size();
    };
    auto r = run_cli(f.args());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("per-site catchments left out: 2001 sites, more than 2000"), std::string::npos) << r.err;
    EXPECT_EQ(features(f.out / "catchments.geojson"), 0u);
    auto summary = nlohmann::json::parse(read_text(f.out / "summary.json"));
    EXPECT_EQ(summary["metadata"]["parameters"]["site_catchments"], "left out");
    EXPECT_NE(summary["warnings"].dump().find("per-site catchments left out"), std::string::npos);

    // Asked for: drawn, no warning about them.
    r = run_cli(f.args("--site-catchments all"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("per-site catchments"), std::string::npos) << r.err;
    EXPECT_GE(features(f.out / "catchments.geojson"), 2001u);

    // Few sites but none asked for: nothing per site, no warning either.
    write_text(f.sites, "id,name,x,y\nS1,Site A,501000,6601000\n");
    r = run_cli(f.args("--site-catchments none"));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("per-site catchments"), std::string::npos) << r.err;
    EXPECT_EQ(features(f.out / "catchments.geojson"), 0u);

    r = run_cli(f.args("--site-catchments some"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("expected auto, all or none"), std::string::npos) << r.err;
}
