// `maillage optimise` end to end on the Vienne default (estimated network).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

// For one new site the greedy answer is optimal: heuristic and CBC agree, and the chosen
// commune is one of the two candidates.
TEST(CliOptimise, OneSiteHeuristicEqualsExact) {
    fs::path out = fresh_dir("opt_k1") / "out";
    auto r = run_cli("optimise --category france_services --problem mclp -k 1 --max-minutes 20 "
                     "--candidate-communes 86015 --candidate-communes 86165 -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = nlohmann::json::parse(read_text(out / "optimise/optimisation/summary.json"));
    EXPECT_EQ(s["heuristic"]["objective"], s["exact"]["objective"]);
    EXPECT_EQ(s["exact"]["proven_optimal"], true);
    ASSERT_EQ(s["sites"].size(), 1u);
    const std::string chosen = s["sites"][0]["candidate"];
    EXPECT_TRUE(chosen == "commune-86015" || chosen == "commune-86165") << chosen;
    // The variant adds it, and its coverage at 20 min is the optimisation's objective.
    auto v = nlohmann::json::parse(read_text(out / "optimisation/coverage/france_services/summary.json"));
    EXPECT_NEAR(v["departement"]["population_within_minutes"]["20"].get<double>(), s["exact"]["objective"].get<double>(), 0.5);
    EXPECT_TRUE(fs::exists(out / "optimise/optimisation/chosen_sites.geojson"));
    EXPECT_TRUE(fs::exists(out / "optimise/optimisation/curve.csv.provenance.json"));
}

// Two candidates cannot put all of Vienne within 15 minutes: the communes out of reach are named
// and the answer covers the rest.
TEST(CliOptimise, LscpNamesTheCommunesNoCandidateCovers) {
    fs::path out = fresh_dir("opt_lscp") / "out";
    auto r = run_cli("optimise --category garage_solidaire --problem lscp --max-minutes 15 "
                     "--candidate-communes 86165 --candidate-communes 86137 -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto s = nlohmann::json::parse(read_text(out / "optimise/optimisation/summary.json"));
    EXPECT_GT(s["uncoverable_communes"].size(), 200u);
    for (const auto& c : s["uncoverable_communes"]) {
        EXPECT_NE(c["code"], "86165");
        EXPECT_NE(c["code"], "86137");
    }
    EXPECT_EQ(s["exact"]["objective"], 2.0);
    EXPECT_NE(r.out.find("cannot be covered within 15 min"), std::string::npos) << r.out;
}

TEST(CliOptimise, BadOptionsAreRefusedBeforeAnyWork) {
    fs::path dir = fresh_dir("opt_bad");
    auto r = run_cli("optimise --category gp --problem lscp -k 2 -o " + (dir / "a").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("remove -k"), std::string::npos) << r.err;
    r = run_cli("optimise --category gp --problem cmclp -k 2 -o " + (dir / "b").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--capacity is required"), std::string::npos) << r.err;
    r = run_cli("optimise --category gp --problem mclp -k 3 --candidate-communes 86165 -o " + (dir / "c").string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("k = 3 but only 1 candidates"), std::string::npos) << r.err;
    r = run_cli("optimise --category gps --problem mclp -k 1 -o " + (dir / "d").string());
    EXPECT_EQ(r.exit_code, 2);  // a usage error, named by its option
    EXPECT_NE(r.err.find("--category 'gps'"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("did you mean 'gp'"), std::string::npos) << r.err;
    for (const char* d : {"a", "b", "c", "d"}) EXPECT_FALSE(fs::exists(dir / d)) << d;
}

// An itinerant tour from a commune that is not in the study: refused by `check` and `run` at the
// item's line, exit 3, nothing written.
TEST(CliOptimise, ItinerantBaseOutsideTheStudyIsRefused) {
    fs::path dir = fresh_dir("opt_itinerant_base");
    write_text(dir / "s.yaml",
               "title: t\n"
               "optimise:\n"
               "  - {id: tour, category: france_services, problem: itinerant, k: 2, base: \"79191\"}\n");
    for (const std::string cmd : {"check ", "run "}) {
        auto r = run_cli(cmd + (dir / "s.yaml").string() + (cmd == "run " ? " -o " + (dir / "out").string() : ""));
        EXPECT_EQ(r.exit_code, 3) << cmd << r.err;
        EXPECT_NE(r.err.find((dir / "s.yaml").string() + ":3:5"), std::string::npos) << r.err;
        EXPECT_NE(r.err.find("unknown commune code '79191'"), std::string::npos) << r.err;
    }
    EXPECT_FALSE(fs::exists(dir / "out"));
}
