// `maillage access` on the Vienne default (BPE GPs on the estimated network) and bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

TEST(CliAccess, VienneGpIndexRedistributesSupply) {
    fs::path out = fresh_dir("access_vienne");
    auto r = run_cli("access --category gp --max-ages 65,60 -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_EQ(s["total_supply"], 429.0);  // BPE 2019 GPs of Vienne
    EXPECT_EQ(s["travel_time_source"], "estimated");
    // Every inhabitant is within 20 min of some GP on the estimate, so the population-weighted
    // mean is total supply / population = 429 / 438 897 per 100 000 = 97.75.
    EXPECT_NEAR(s["variants"][0]["mean_per_100k"].get<double>(), 97.75, 0.01);
    EXPECT_GT(s["variants"][0]["max_per_100k"].get<double>(), s["variants"][0]["min_per_100k"].get<double>());
    EXPECT_NE(s["warnings"].dump().find("no practitioner age"), std::string::npos);
    EXPECT_NE(r.err.find("warning: no practitioner age"), std::string::npos) << r.err;
    auto geo = nlohmann::json::parse(read_text(out / "access_communes.geojson"));
    EXPECT_EQ(geo["features"].size(), 265u);
    EXPECT_TRUE(fs::exists(out / "access.csv.provenance.json"));
}

TEST(CliAccess, RatesPerEpciAndTerritory) {
    fs::path out = fresh_dir("access_rate");
    auto r = run_cli("access --rate --category hebergement_personnes_agees -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string csv = read_text(out / "rates.csv");
    EXPECT_NE(csv.find("departement,departement,Département,68,107.0,438897,0.244\n"), std::string::npos) << csv;
    auto s = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_NE(s["warnings"].dump().find("establishments, not places"), std::string::npos);
    EXPECT_EQ(s["rates"].back()["per_1000"], 0.244);
    EXPECT_TRUE(fs::exists(out / "rates.csv.provenance.json"));
}

TEST(CliAccess, BadDecayTableWritesNothing) {
    fs::path dir = fresh_dir("access_bad");
    write_text(dir / "decay.csv", "max_minutes,weight\n10,0.4\n20,0.9\n");
    auto r = run_cli("access --decay " + (dir / "decay.csv").string() + " -o " + (dir / "out").string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("decay.csv: line 3: field 'weight'"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
}
