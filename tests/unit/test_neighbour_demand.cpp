// The demand beyond the study's edge in the access index (issue 12, part 2): the inhabitants of
// neighbouring communes compete for the same practitioners.
//
// Fixture (Lambert-93, 2 km squares in a row, one 72 km/h road through their centres: 100 s
// between neighbouring centres; decay: weight 1 up to 2 min, 0.5 up to 4 min):
//
//        P (79003, merged into N)
//   A ── B ── N               M (79002, 1 000 inh., 5 km from the study: beyond the 3 km margin)
//        Q (79004, no population row)
//   A 86001 (100 inh., 1 GP)   B 86002 (200 inh.)   study
//   N 79001 (300 inh., 2 GPs: a BPE count of a neighbouring commune, 1 km from the study)
//
// Without N's inhabitants (old behaviour: N's GPs left out) only A's GP counts:
//   R_A = 1 / (100 + 200) → index of A = index of B = 1/300 = 333.33 per 100 000.
// With them, both GPs count and compete for A, B and N:
//   R_A = 1 / (100·1 + 200·1 + 300·0.5) = 1/450,  R_N = 2 / (100·0.5 + 200·1 + 300·1) = 2/550
//   A: 1/450 + 0.5·2/550 = 20/4950 = 404.04     B: 1/450 + 2/550 = 29/4950 = 585.86
//   N: 0.5/450 + 2/550 (not written: not a commune of the study)
//   Σ P·A = 100·20/4950 + 200·29/4950 + 300·(0.5/450 + 2/550) = 0.4040 + 1.1717 + 1.4242 = 3 = supply.
// N's GPs counted WITHOUT N's inhabitants would give B 1/300 + 2/250 = 1133.33: N's demand alone
// takes 547.47 points off the border commune B (the E2SFCA-level test).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "analysis/access_analysis.hpp"
#include "analysis/study.hpp"
#include "analysis/workspace.hpp"
#include "coverage/coverage.hpp"
#include "presets/vienne_preset.hpp"
#include "scenario/optimise_runner.hpp"
#include "scenario/scenario_parser.hpp"
#include "scenario/scenario_runner.hpp"
#include "services/neighbour_demand.hpp"
#include "support/cli_runner.hpp"
#include "support/square_communes.hpp"
#include "territory/commune_reader.hpp"
#include "territory/territory_loader.hpp"
#include "util/errors.hpp"

namespace fs = std::filesystem;
using namespace maillage;
using namespace maillage::testing;

namespace {

const fs::path kSourceGeodata = fs::path(MAILLAGE_SOURCE_DIR) / "geodata";

std::string road(double x0, double x1, double y) {
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  R"({"type":"Feature","properties":{"VOCATION":"Liaison principale","SENS":"Double sens"},)"
                  R"("geometry":{"type":"LineString","coordinates":[[%.1f,%.1f],[%.1f,%.1f]]}})",
                  x0, y, x1, y);
    return buf;
}

struct EdgeFixture {
    fs::path dir = fresh_dir("neighbour_demand");
    EdgeFixture() {
        write_text(dir / "study.geojson",
                   squares_geojson({{"86001", 500000, 6600000, 2000, 100}, {"86002", 502000, 6600000, 2000, 200}}));
        // The layer beyond the edge holds B too (like the cache's layer holds Vienne): a commune
        // of the study is never a neighbour.
        write_text(dir / "neighbours.geojson",
                   squares_geojson({{"86002", 502000, 6600000, 2000, 0},
                                    {"79001", 504000, 6600000, 2000, 0},
                                    {"79002", 508000, 6600000, 2000, 0},
                                    {"79003", 504000, 6602000, 2000, 0},
                                    {"79004", 504000, 6598000, 2000, 0}}));
        // 86001: the study's own commune (its population is the study's); 79003: absorbed by 79001.
        write_text(dir / "neighbour_population.csv",
                   "code_insee,nom,departement,population,anciens_codes\n"
                   "79001,Commune N,79,300,79001 79003\n"
                   "79002,Commune M,79,1000,\n"
                   "86001,Commune A,86,99999,\n");
        write_text(dir / "bpe.csv", "DEPCOM,TYPEQU,NB_EQUIP,AN\n86001,D201,1,2019\n79001,D201,2,2019\n");
        write_text(dir / "decay.csv", "max_minutes,weight\n2,1\n4,0.5\n");
        write_text(dir / "roads.geojson",
                   R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[)" +
                       road(501000, 503000, 6601000) + "," + road(503000, 505000, 6601000) + "]}");
    }
    StudySources sources(bool with_population) const {
        StudySources s;
        s.territory.communes = dir / "study.geojson";
        s.services.catalogue = kSourceGeodata / "service_catalogue.csv";
        s.services.bpe = dir / "bpe.csv";
        s.services.neighbour_communes = {dir / "neighbours.geojson"};
        s.services.neighbour_population = {with_population ? dir / "neighbour_population.csv"
                                                           : dir / "no_such_population.csv"};
        s.services.margin_m = 3000;
        return s;
    }
    WorkspaceOptions workspace_options() const {
        WorkspaceOptions o;
        o.network = NetworkSpec::parse("roads:" + (dir / "roads.geojson").string());
        o.network_options.mapping = fs::path(MAILLAGE_TEST_DATA) / "network/round_mapping.json";
        o.network_options.geodata_dir = kSourceGeodata;
        return o;
    }
    AccessParameters parameters() const {
        AccessParameters p;
        p.category = "gp";
        p.decay = dir / "decay.csv";
        return p;
    }
};

double per_100k(const AccessAnalysis& a, const Workspace& ws, const std::string& code) {
    return a.commune_access[0][*ws.territory().find_commune(code)] * 1e5;
}

bool any_of(const std::vector<std::string>& warnings, const std::string& part) {
    for (const auto& w : warnings)
        if (w.find(part) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST(NeighbourDemand, PlacedAtTheLayersPointWithinTheMarginFormerCodesCovered) {
    EdgeFixture f;
    const Study study = load_study(f.sources(true));
    const NeighbourDemand& d = study.services.neighbour_demand;
    ASSERT_TRUE(d.counted());
    // N only: A's row is the study's, M is beyond the margin, P is part of N, Q has no row.
    ASSERT_EQ(d.communes.size(), 1u);
    EXPECT_EQ(d.communes[0].commune_code, "79001");
    EXPECT_EQ(d.communes[0].population, 300);
    EXPECT_DOUBLE_EQ(d.communes[0].position.x, 505000.0);
    EXPECT_DOUBLE_EQ(d.communes[0].position.y, 6601000.0);
    EXPECT_EQ(d.population(), 300);
    EXPECT_EQ(d.without_population, std::vector<std::string>{"79004"});
    // N's GPs sit at the same point.
    bool found = false;
    for (const auto& s : study.services.set.sites)
        if (s.commune_code == "79001") {
            found = true;
            EXPECT_FALSE(s.in_study_area);
            EXPECT_DOUBLE_EQ(s.position.x, d.communes[0].position.x);
            EXPECT_DOUBLE_EQ(s.position.y, d.communes[0].position.y);
        }
    EXPECT_TRUE(found);
}

TEST(NeighbourDemand, HandComputedE2sfcaANeighboursDemandLowersTheBorderCommune) {
    EdgeFixture f;
    const Workspace ws(load_study(f.sources(true)), f.workspace_options());
    const auto sites = ws.services().in_category("gp");
    ASSERT_EQ(sites.size(), 2u);  // A's GP and N's 2 GPs
    const AccessDemand inputs = access_demand(ws, sites);
    ASSERT_EQ(inputs.study_units, 2u);
    ASSERT_EQ(inputs.units.size(), 3u);
    EXPECT_EQ(inputs.units[2].commune_code, "79001");
    const DecayTable decay = DecayTable::load(f.dir / "decay.csv");
    Diagnostics diagnostics;
    const AttachedSites attached = attach_sites(ws.network(), inputs.sites, diagnostics);
    // The same sites, without then with N's inhabitants.
    const std::vector<DemandUnit> study_only(inputs.units.begin(), inputs.units.begin() + 2);
    const auto without = compute_e2sfca(ws.network(), study_only, attached, decay, {});
    const auto with = compute_e2sfca(ws.network(), inputs.units, attached, decay, {});
    EXPECT_NEAR(without.unit_access[1] * 1e5, 100000.0 * (1.0 / 300 + 2.0 / 250), 1e-9);  // 1133.33
    EXPECT_NEAR(with.unit_access[1] * 1e5, 100000.0 * 29 / 4950, 1e-9);                    // 585.86
    EXPECT_NEAR((without.unit_access[1] - with.unit_access[1]) * 1e5, 547.4747, 1e-3);
    EXPECT_NEAR(with.unit_access[0] * 1e5, 100000.0 * 20 / 4950, 1e-9);                    // 404.04
    EXPECT_NEAR(with.unit_access[2], 0.5 / 450 + 2.0 / 550, 1e-15);
}

TEST(NeighbourDemand, AccessIndexCountsThemAndWritesTheStudysCommunesOnly) {
    EdgeFixture f;
    const Workspace ws(load_study(f.sources(true)), f.workspace_options());
    const AccessAnalysis a = run_access(ws, f.parameters(), ws.services().in_category("gp"), ws.provenance());
    EXPECT_NEAR(per_100k(a, ws, "86001"), 100000.0 * 20 / 4950, 1e-9);
    EXPECT_NEAR(per_100k(a, ws, "86002"), 100000.0 * 29 / 4950, 1e-9);
    EXPECT_EQ(a.sites, 2u);
    EXPECT_DOUBLE_EQ(a.total_supply, 3.0);
    EXPECT_EQ(a.sites_beyond_study_area, 1u);
    EXPECT_EQ(a.neighbour_counts_left_out, 0u);
    EXPECT_EQ(a.neighbour_communes_in_demand, 1u);
    EXPECT_EQ(a.demand_beyond_study_area, 300);
    EXPECT_NEAR(a.supply_to_demand_beyond_study_area, 300 * (0.5 / 450 + 2.0 / 550), 1e-12);  // 1.4242
    EXPECT_EQ(a.sites_reaching_no_demand, 0u);
    EXPECT_TRUE(any_of(a.warnings, "1 neighbouring communes within the margin have no population")) << a.warnings[0];
    EXPECT_TRUE(any_of(a.warnings, "(79004)"));
    EXPECT_FALSE(any_of(a.warnings, "edge effect is not corrected"));

    const fs::path out = f.dir / "out";
    fs::create_directories(out);
    write_access_outputs(out, a, ws.territory());
    const auto summary = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_EQ(summary["sites_beyond_study_area"], 1);
    EXPECT_EQ(summary["demand_beyond_study_area"], 300);
    EXPECT_EQ(summary["neighbour_communes_in_demand"], 1);
    EXPECT_EQ(summary["neighbour_counts_left_out"], 0);
    EXPECT_EQ(summary["supply_to_demand_beyond_study_area"], 1.42);
    const auto& edge = summary["metadata"]["parameters"]["beyond_study_area"];
    EXPECT_EQ(edge["sites"], 1);
    EXPECT_EQ(edge["demand"], 300);
    // Study-wide mean: (Σ supply − the part given beyond the edge) / population = 1.5758 / 300.
    EXPECT_NEAR(summary["variants"][0]["mean_per_100k"].get<double>(), 100000.0 * (3 - 300 * (0.5 / 450 + 2.0 / 550)) / 300,
                0.005);
    const auto geo = nlohmann::json::parse(read_text(out / "access_communes.geojson"));
    ASSERT_EQ(geo["features"].size(), 2u);
    EXPECT_EQ(geo["features"][0]["properties"]["code"], "86001");
    EXPECT_EQ(geo["features"][1]["properties"]["code"], "86002");
    EXPECT_EQ(geo["features"][1]["properties"]["access_per_100k_all"], 585.86);
    const std::string csv = read_text(out / "access.csv");
    EXPECT_EQ(csv.find("79001"), std::string::npos) << csv;
    const auto provenance = nlohmann::json::parse(read_text(out / "access.csv.provenance.json"));
    EXPECT_NE(provenance.dump().find("neighbour_population.csv"), std::string::npos);
}

TEST(NeighbourDemand, MissingPopulationWarnsAndKeepsTheOldIndex) {
    EdgeFixture f;
    const Workspace ws(load_study(f.sources(false)), f.workspace_options());
    EXPECT_FALSE(ws.study().services.neighbour_demand.counted());
    const AccessAnalysis a = run_access(ws, f.parameters(), ws.services().in_category("gp"), ws.provenance());
    // N's GPs left out, A's GP shared by A and B: 1/300 each.
    EXPECT_NEAR(per_100k(a, ws, "86001"), 100000.0 / 300, 1e-9);
    EXPECT_NEAR(per_100k(a, ws, "86002"), 100000.0 / 300, 1e-9);
    EXPECT_EQ(a.sites, 1u);
    EXPECT_DOUBLE_EQ(a.total_supply, 1.0);
    EXPECT_EQ(a.sites_beyond_study_area, 0u);
    EXPECT_EQ(a.neighbour_counts_left_out, 1u);
    EXPECT_EQ(a.demand_beyond_study_area, 0);
    EXPECT_EQ(a.neighbour_communes_in_demand, 0u);
    std::string warning;
    for (const auto& w : a.warnings)
        if (w.find("BPE counts of neighbouring communes are left out") != std::string::npos) warning = w;
    ASSERT_FALSE(warning.empty());
    EXPECT_NE(warning.find("1 BPE counts"), std::string::npos) << warning;
    EXPECT_NE(warning.find("no_such_population.csv"), std::string::npos) << warning;
    EXPECT_NE(warning.find("the edge effect is not corrected"), std::string::npos) << warning;

    // No population file named at all: the same index, the warning says which option.
    StudySources none = f.sources(false);
    none.services.neighbour_population.clear();
    const Workspace ws2(load_study(none), f.workspace_options());
    const AccessAnalysis b = run_access(ws2, f.parameters(), ws2.services().in_category("gp"), ws2.provenance());
    EXPECT_EQ(b.commune_access, a.commune_access);
    EXPECT_TRUE(any_of(b.warnings, "no population of neighbouring communes was given (--neighbour-population)"));
    EXPECT_FALSE(any_of(b.warnings, "sites beyond the study area are counted"));  // none: N's GPs are a BPE count
}

// A practice at its address beyond the edge (a sites file) always counted: without the
// inhabitants around it, a warning says the border communes look better served than they are.
TEST(NeighbourDemand, SitesAtTheirAddressBeyondTheEdgeWarnWithoutTheDemand) {
    EdgeFixture f;
    write_text(f.dir / "cabinets.csv", "id,name,x,y\nCAB1,Cabinet N,505000,6601000\n");
    for (bool with_population : {false, true}) {
        StudySources s = f.sources(with_population);
        s.services.bpe.clear();
        s.services.site_files.push_back({f.dir / "cabinets.csv", "gp", "EPSG:2154", ""});
        const Workspace ws(load_study(s), f.workspace_options());
        const AccessAnalysis a = run_access(ws, f.parameters(), ws.services().in_category("gp"), ws.provenance());
        EXPECT_EQ(a.sites_beyond_study_area, 1u);
        EXPECT_EQ(any_of(a.warnings, "1 sites beyond the study area are counted in the access index without the "
                                     "inhabitants of the neighbouring communes"),
                  !with_population);
        // At N: A weighs 0.5, B and N 1. Shared by A and B alone: 1/(50 + 200); with N too: 1/(50 + 200 + 300).
        EXPECT_NEAR(per_100k(a, ws, "86002"), with_population ? 100000.0 / 550 : 100000.0 / 250, 1e-9);
    }
}

TEST(NeighbourDemand, PopulationWithoutNeighbouringCommunesIsWarned) {
    EdgeFixture f;
    StudySources s = f.sources(true);
    s.services.neighbour_communes.clear();  // nowhere to place N's inhabitants (nor its GPs)
    const Workspace ws(load_study(s), f.workspace_options());
    const AccessAnalysis a = run_access(ws, f.parameters(), ws.services().in_category("gp"), ws.provenance());
    EXPECT_EQ(a.demand_beyond_study_area, 0);
    EXPECT_EQ(a.sites, 1u);
    EXPECT_TRUE(any_of(a.warnings, "but no neighbouring commune lies within the margin (--neighbour-communes"));
}

// The installation priorities of an `optimise: {problem: access}` item use the same index. With
// the real decay table (weight 1 up to 10 min) every pair of the fixture weighs 1: R_A = 1/600,
// R_N = 2/600, every index 3/600 = 500 per 100 000 (333.33 without N: 1/300). One more half FTE
// anywhere is shared by A, B and N: +0.5/600 = 83.33, so A and B stay below 600 (they would reach
// 666.67 if N's inhabitants were left out of the new practitioner's denominator).
TEST(NeighbourDemand, InstallationPrioritiesShareTheNewPractitionerBeyondTheEdge) {
    EdgeFixture f;
    const Workspace ws(load_study(f.sources(true)), f.workspace_options());
    const SitesByCategory baseline{{"gp", ws.services().in_category("gp")}};
    OptimiseSpec spec;
    spec.id = "gp-priorities";
    spec.category = "gp";
    spec.problem = "access";
    spec.k = 1;
    spec.fte = 0.5;
    OptimiseOutcome mean = run_optimise(ws, spec, baseline);
    EXPECT_NEAR(mean.threshold_per_100k, 500.0, 1e-9);
    spec.threshold_per_100k = 600;
    OptimiseOutcome o = run_optimise(ws, spec, baseline);
    EXPECT_DOUBLE_EQ(o.population_below_before, 300.0);
    EXPECT_DOUBLE_EQ(o.population_below_after, 300.0);
    ASSERT_EQ(o.ranked.size(), 1u);
}

TEST(NeighbourDemand, MalformedPopulationFileNamesFileLineAndField) {
    const fs::path dir = fresh_dir("neighbour_population_bad");
    auto message = [&](const std::string& name, const std::string& text) {
        write_text(dir / name, text);
        try {
            (void)read_neighbour_population(dir / name);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    std::string m = message("text.csv", "code_insee,population\n79001,300\n79002,beaucoup\n");
    EXPECT_NE(m.find("text.csv: line 3: field 'population'"), std::string::npos) << m;
    EXPECT_NE(m.find("'beaucoup'"), std::string::npos) << m;
    m = message("negative.csv", "code_insee,population\n79001,-3\n");
    EXPECT_NE(m.find("negative.csv: line 2: field 'population'"), std::string::npos) << m;
    m = message("huge.csv", "code_insee,population\n79001,5000000000\n");
    EXPECT_NE(m.find("huge.csv: line 2: field 'population'"), std::string::npos) << m;
    m = message("code.csv", "code_insee,population\n7901,300\n790011,3\n");
    EXPECT_NE(m.find("code.csv: line 3: field 'code_insee'"), std::string::npos) << m;
    EXPECT_NE(m.find("malformed INSEE code '790011'"), std::string::npos) << m;
    m = message("duplicate.csv", "code_insee,population\n79001,300\n79001,3\n");
    EXPECT_NE(m.find("duplicate.csv: line 3: field 'code_insee'"), std::string::npos) << m;
    m = message("former.csv", "code_insee,population,anciens_codes\n79001,300,79003 7x\n");
    EXPECT_NE(m.find("former.csv: line 2: field 'anciens_codes'"), std::string::npos) << m;
    m = message("no_column.csv", "code_insee,habitants\n79001,300\n");
    EXPECT_NE(m.find("no_column.csv"), std::string::npos) << m;
    EXPECT_NE(m.find("population"), std::string::npos) << m;
    // Empty cell: unknown, not zero.
    write_text(dir / "empty.csv", "code_insee,population\n79001,\n");
    const auto rows = read_neighbour_population(dir / "empty.csv");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_FALSE(rows[0].population.has_value());
    fs::remove_all(dir);
}

TEST(NeighbourDemand, MalformedPopulationFileIsExit3ThroughTheCliAndWritesNothing) {
    const fs::path dir = fresh_dir("neighbour_population_cli");
    write_text(dir / "neighbour_population.csv", "code_insee,population\n79001,300\n79002,beaucoup\n");
    const auto r = run_cli("access --category gp --neighbour-population " + (dir / "neighbour_population.csv").string() +
                           " -o " + (dir / "out").string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("neighbour_population.csv: line 3: field 'population'"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
    fs::remove_all(dir);
}

TEST(NeighbourDemand, ScenarioKeyTakesAFileOrAList) {
    ScenarioSpec one = parse_scenario_text(
        "title: t\nstudy:\n  neighbour_population: p.csv\nanalyses:\n  access:\n    - {category: gp}\n", "/tmp/s/inline.yaml");
    ASSERT_EQ(one.study.neighbour_population.size(), 1u);
    EXPECT_TRUE(one.study.neighbour_population[0].ends_with("p.csv")) << one.study.neighbour_population[0];
    ScenarioSpec two = parse_scenario_text(
        "title: t\nstudy:\n  neighbour_population: [a.csv, /data/b.csv]\nanalyses:\n  access:\n    - {category: gp}\n",
        "inline.yaml");
    ASSERT_EQ(two.study.neighbour_population.size(), 2u);
    EXPECT_EQ(two.study.neighbour_population[1], "/data/b.csv");
    // The scenario's study: the Vienne default with the file in place of the preset's.
    ScenarioContext context;
    context.default_study = [] {
        StudySources d;
        d.services.neighbour_population = {"/cache/preset.csv"};
        return d;
    };
    const StudySources s = scenario_study_sources(two, context);
    ASSERT_EQ(s.services.neighbour_population.size(), 2u);
    EXPECT_EQ(s.services.neighbour_population[1], fs::path("/data/b.csv"));
    EXPECT_EQ(scenario_study_sources(parse_scenario_text("title: t\nanalyses:\n  access:\n    - {category: gp}\n",
                                                         "inline.yaml"),
                                     context)
                  .services.neighbour_population,
              std::vector<fs::path>{"/cache/preset.csv"});
}

// ---------------------------------------------------------------------------------------------
// The real cache: Vienne's GP index now counts the inhabitants of the neighbouring communes.

namespace {

fs::path geodata() { return fs::path(MAILLAGE_GEODATA_CACHE).parent_path(); }

}  // namespace

TEST(NeighbourDemandVienne, BuiltTableCoversTheLayerWithTheStudysVintage) {
    const fs::path table = presets::vienne_neighbour_population(geodata());
    if (!fs::exists(table)) GTEST_SKIP() << table << " is not built (optional: scripts/fetch-geodata.sh with npm)";
    const auto rows = read_neighbour_population(table);
    EXPECT_EQ(rows.size(), 731u);
    // The same population vintage as the study: every Vienne commune has its study population.
    const Territory vienne = load_territory(presets::vienne_territory(geodata()));
    std::size_t vienne_rows = 0;
    for (const auto& r : rows) {
        ASSERT_TRUE(r.population) << r.code;
        if (auto i = vienne.find_commune(r.code); i && r.code.starts_with("86")) {
            ++vienne_rows;
            EXPECT_EQ(vienne.communes[*i].population, r.population) << r.code;
        }
    }
    EXPECT_EQ(vienne_rows, 265u);
    // Every commune of the 20 km layer is a row or a former code of one.
    Diagnostics d;
    TerritorySources layer;
    layer.communes = presets::vienne_neighbour_communes(geodata());
    std::set<std::string> covered;
    for (const auto& r : rows) {
        covered.insert(r.code);
        covered.insert(r.former_codes.begin(), r.former_codes.end());
    }
    for (const auto& c : read_communes(layer, d)) EXPECT_TRUE(covered.count(c.code.str())) << c.code.str();
}

TEST(NeighbourDemandVienne, GpIndexCountsNeighbouringDemand) {
    const fs::path table = presets::vienne_neighbour_population(geodata());
    if (!fs::exists(table)) GTEST_SKIP() << table << " is not built (optional: scripts/fetch-geodata.sh with npm)";
    WorkspaceOptions wo;
    wo.network_options.geodata_dir = geodata();
    StudySources with_sources{presets::vienne_territory(geodata()), presets::vienne_services(geodata())};
    StudySources without_sources = with_sources;
    without_sources.services.neighbour_population.clear();
    const Workspace with(load_study(with_sources), wo);
    const Workspace without(load_study(without_sources), wo);
    AccessParameters p;
    const AccessAnalysis a = run_access(with, p, with.services().in_category("gp"), with.provenance());
    const AccessAnalysis b = run_access(without, p, without.services().in_category("gp"), without.provenance());

    EXPECT_GT(a.demand_beyond_study_area, 0);
    EXPECT_GT(a.neighbour_communes_in_demand, 100u);
    EXPECT_GT(a.sites_beyond_study_area, 0u);
    EXPECT_EQ(a.neighbour_counts_left_out, 0u);
    EXPECT_EQ(b.demand_beyond_study_area, 0);
    EXPECT_EQ(b.neighbour_counts_left_out, a.sites_beyond_study_area);  // GP sites beyond Vienne are BPE counts
    EXPECT_TRUE(any_of(b.warnings, "the edge effect is not corrected"));
    EXPECT_FALSE(any_of(a.warnings, "the edge effect is not corrected"));
    EXPECT_EQ(a.sites, b.sites + a.sites_beyond_study_area);
    // The supply is shared, not created: the study's Σ P·A, the part beyond the edge and the
    // supply of the sites reaching nobody make the total supply.
    double study_share = 0;
    for (std::size_t c = 0; c < a.commune_population.size(); ++c) study_share += a.commune_population[c] * a.commune_access[0][c];
    EXPECT_NEAR(study_share + a.supply_to_demand_beyond_study_area + a.supply_reaching_no_demand, a.total_supply, 1e-6);
    EXPECT_GT(a.supply_to_demand_beyond_study_area, 0.0);
    std::printf("[ edge ] gp: total supply %.1f = %.1f to Vienne + %.1f beyond its edge + %.1f reaching nobody (%zu "
                "sites)\n",
                a.total_supply, study_share, a.supply_to_demand_beyond_study_area, a.supply_reaching_no_demand,
                a.sites_reaching_no_demand);
    // Border communes change, in both directions.
    const Territory& t = with.territory();
    std::unique_ptr<OGRGeometry> boundary(t.study_area->Boundary());
    std::size_t changed = 0, up = 0, down = 0;
    for (std::size_t c = 0; c < t.communes.size(); ++c) {
        const double before = b.commune_access[0][c], after = a.commune_access[0][c];
        if (std::abs(after - before) <= 1e-12) continue;
        ++changed;
        (after > before ? up : down) += 1;
    }
    EXPECT_GT(changed, 10u);
    EXPECT_GT(up, 0u);
    EXPECT_GT(down, 0u);
    std::printf("[ edge ] gp: %lld inhabitants of %zu neighbouring communes, %zu sites beyond Vienne; %zu communes "
                "change (%zu up, %zu down)\n",
                a.demand_beyond_study_area, a.neighbour_communes_in_demand, a.sites_beyond_study_area, changed, up, down);
}
