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
    // BPE 2019 GPs: 429 in Vienne and 286 in the neighbouring communes within 20 km (82 sites),
    // counted with the 342 709 inhabitants of the 394 neighbouring communes within 20 km.
    EXPECT_EQ(s["total_supply"], 715.0);
    EXPECT_EQ(s["sites_beyond_study_area"], 82);
    EXPECT_EQ(s["neighbour_counts_left_out"], 0);
    EXPECT_EQ(s["neighbour_communes_in_demand"], 394);
    EXPECT_EQ(s["demand_beyond_study_area"], 342709);
    EXPECT_EQ(s["travel_time_source"], "estimated");
    // The index shares the supply, it does not create it: the population-weighted mean over
    // Vienne is what the inhabitants of Vienne get, total supply minus the part given beyond the
    // edge and the supply of the sites reaching nobody within 20 min, per 100 000 of 438 897.
    const double to_vienne = s["total_supply"].get<double>() - s["supply_to_demand_beyond_study_area"].get<double>() -
                             s["supply_reaching_no_demand"].get<double>();
    EXPECT_NEAR(s["variants"][0]["mean_per_100k"].get<double>(), to_vienne / 438897 * 1e5, 0.01);
    EXPECT_GT(s["supply_to_demand_beyond_study_area"].get<double>(), 0.0);
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
