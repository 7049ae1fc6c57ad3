// The estimated network beyond the study's edge (issue 12): the communes of the neighbouring
// layer within the margin are nodes too, and a point attaches to the commune that contains it
// (else to the nearest commune point). Hand-made squares with round parameters (no detour,
// 60 km/h, no end penalty or spread: 1 km = 60 s) for the rules, the Vienne cache for the counts.
#include <cmath>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>
#include <ogr_geometry.h>

#include "analysis/access_analysis.hpp"
#include "analysis/workspace.hpp"
#include "network/estimated_network.hpp"
#include "network/network_spec.hpp"
#include "presets/vienne_preset.hpp"
#include "services/neighbour_demand.hpp"
#include "support/cli_runner.hpp"
#include "support/square_communes.hpp"
#include "territory/commune_reader.hpp"
#include "territory/territory_loader.hpp"

namespace fs = std::filesystem;
using namespace maillage;
using maillage::testing::Square;

namespace {

fs::path geodata() { return fs::path(MAILLAGE_GEODATA_CACHE).parent_path(); }
fs::path round_parameters() { return fs::path(MAILLAGE_TEST_DATA) / "coverage/round_parameters.json"; }

Territory squares(const fs::path& dir, const std::string& name, const std::vector<Square>& list) {
    maillage::testing::write_text(dir / name, maillage::testing::squares_geojson(list));
    TerritorySources s;
    s.communes = dir / name;
    return load_territory(s);
}

std::vector<Commune> layer(const fs::path& dir, const std::string& name, const std::vector<Square>& list) {
    maillage::testing::write_text(dir / name, maillage::testing::squares_geojson(list));
    TerritorySources s;
    s.communes = dir / name;
    Diagnostics d;
    return read_communes(s, d);
}

bool any_warning(const Diagnostics& d, const std::string& part) {
    for (const auto& w : d.warnings())
        if (w.text().find(part) != std::string::npos) return true;
    return false;
}

const char* kNoMarginWarning = "times near the edge are less accurate";

}  // namespace

// A: a 4 km square, its point at (502000, 6602000); B: a 1 km square on A's east side, its
// point at (504500, 6602000). (503800, 6602000) is in A, 1.8 km from A's point and 0.7 km from
// B's: it attaches to A, with its 1.8 km leg.
TEST(EstimateMargin, APointAttachesToTheCommuneContainingItNotTheNearestPoint) {
    const fs::path dir = maillage::testing::fresh_dir("estimate_contains");
    const Territory t = squares(dir, "ab.geojson",
                                {{"86001", 500000, 6600000, 4000, 100}, {"86002", 504000, 6601500, 1000, 100}});
    ASSERT_EQ(t.communes.size(), 2u);
    ASSERT_NEAR(t.communes[0].representative.x, 502000, 1e-6);
    ASSERT_NEAR(t.communes[1].representative.x, 504500, 1e-6);
    const std::vector<Commune> none;
    TravelNetwork net(build_estimated_network(t, EstimateParameters::load(round_parameters()), &none));

    const Point2 in_a{503800, 6602000};
    ASSERT_LT(distance(in_a, t.communes[1].representative).value(), distance(in_a, t.communes[0].representative).value());
    const Attachment a = net.attach(in_a, "point in A");
    EXPECT_EQ(a.node, 0u);
    EXPECT_NEAR(a.distance.value(), 1800.0, 1e-6);
    EXPECT_NEAR(a.access.value(), 108.0, 1e-9);  // 1.8 km at 60 km/h, no end access

    // A point of B attaches to B.
    EXPECT_EQ(net.attach({504900, 6601600}, "point in B").node, 1u);
    // Outside every polygon: the nearest point, with its leg, as before.
    const Attachment out = net.attach({506000, 6602000}, "point outside");
    EXPECT_EQ(out.node, 1u);
    EXPECT_NEAR(out.distance.value(), 1500.0, 1e-6);
    // Just south of A, outside: B's point (2.18 km) is nearer than A's (2.83 km).
    EXPECT_EQ(net.attach({503900, 6599900}, "point south").node, 1u);
    // On A's side of the shared edge and on B's side, a metre apart: A then B.
    EXPECT_EQ(net.attach({503999.5, 6602000}, "west of the edge").node, 0u);
    EXPECT_EQ(net.attach({504000.5, 6602000}, "east of the edge").node, 1u);

    // A site in A and a demand point in A: the same commune, its access once (evaluate).
    const Attachment site = net.attach(t.communes[0].representative, "site at A's point");
    SiteSearch s = net.toward(std::span<const Attachment>(&site, 1));
    EXPECT_NEAR(net.evaluate(s, a).time.value(), 108.0, 1e-9);
    fs::remove_all(dir);
}

// A commune with a hole (an enclave): a point in the hole is in the enclave, not in the ring
// around it, although the ring's point is nearer.
TEST(EstimateMargin, AHoleIsNotPartOfItsCommune) {
    const fs::path dir = maillage::testing::fresh_dir("estimate_hole");
    const std::string text =
        R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[)"
        R"({"type":"Feature","properties":{"code":"86001","nom":"Ring","population":10},"geometry":{"type":"Polygon","coordinates":[)"
        R"([[500000,6600000],[506000,6600000],[506000,6606000],[500000,6606000],[500000,6600000]],)"
        R"([[504000,6602000],[505000,6602000],[505000,6603000],[504000,6603000],[504000,6602000]]]}},)"
        R"({"type":"Feature","properties":{"code":"86002","nom":"Enclave","population":10},"geometry":{"type":"Polygon","coordinates":[)"
        R"([[504000,6602000],[505000,6602000],[505000,6603000],[504000,6603000],[504000,6602000]]]}}]})";
    maillage::testing::write_text(dir / "hole.geojson", text);
    TerritorySources src;
    src.communes = dir / "hole.geojson";
    const Territory t = load_territory(src);
    ASSERT_EQ(t.communes.size(), 2u);
    const std::vector<Commune> none;
    TravelNetwork net(build_estimated_network(t, EstimateParameters::load(round_parameters()), &none));
    // The enclave's point is its centre (504500, 6602500); a point in the enclave's corner may
    // be nearer the ring's point, wherever GEOS puts it: the answer does not depend on it.
    EXPECT_EQ(net.attach({504050, 6602050}, "in the enclave").node, 1u);
    EXPECT_EQ(net.attach({503950, 6602050}, "in the ring beside it").node, 0u);
    fs::remove_all(dir);
}

// The communes of the neighbouring layer within the margin are nodes after the study's; a point
// in one of them attaches to it, not to the nearest study commune; the layer's communes of the
// study and beyond the margin are not nodes.
TEST(EstimateMargin, MarginCommunesAreNodesAndHoldTheirPoints) {
    const fs::path dir = maillage::testing::fresh_dir("estimate_margin");
    const Territory t = squares(dir, "study.geojson", {{"86001", 500000, 6600000, 2000, 100}});
    // The layer: the study commune again, one neighbour touching it, one 5 km away, one 30 km away.
    std::vector<Commune> l = layer(dir, "layer.geojson",
                                   {{"86001", 500000, 6600000, 2000, 100},
                                    {"79001", 502000, 6600000, 2000, 100},
                                    {"79002", 507000, 6600000, 2000, 100},
                                    {"79003", 532000, 6600000, 2000, 100}});
    const std::vector<Commune> margin = communes_within_margin(std::move(l), t, 20000);
    ASSERT_EQ(margin.size(), 2u);
    EXPECT_EQ(margin[0].code.str(), "79001");
    EXPECT_EQ(margin[1].code.str(), "79002");
    LoadedGraph g = build_estimated_network(t, EstimateParameters::load(round_parameters()), &margin);
    EXPECT_EQ(g.graph.node_count(), 3u);
    EXPECT_EQ(g.stats["margin_communes"], 2);
    EXPECT_EQ(g.stats["study_communes"], 1);
    EXPECT_EQ(g.graph.edge_count(), 6u);  // complete: 3 × 2
    EXPECT_TRUE(g.info.diagnostics.empty());
    TravelNetwork net(std::move(g));
    // 79002's point (508000, 6601000): a site there is at node 2, 7 km from the study's point.
    const Attachment site = net.attach({508000, 6601000}, "site in 79002");
    EXPECT_EQ(site.node, 2u);
    EXPECT_NEAR(site.distance.value(), 0.0, 1e-6);
    const Attachment home = net.attach(t.communes[0].representative, "study commune");
    SiteSearch s = net.toward(std::span<const Attachment>(&site, 1));
    EXPECT_NEAR(net.evaluate(s, home).time.value(), 420.0, 1e-6);  // 7 km at 60 km/h, no leg
    // Without the margin nodes the site would attach to the study's point through a 7 km leg.
    const std::vector<Commune> none;
    TravelNetwork old(build_estimated_network(t, EstimateParameters::load(round_parameters()), &none));
    const auto far = old.try_attach({508000, 6601000});
    ASSERT_TRUE(far);
    EXPECT_EQ(far->node, 0u);
    EXPECT_NEAR(far->distance.value(), 7000.0, 1e-6);
    fs::remove_all(dir);
}

TEST(EstimateMargin, WithoutTheNeighbouringLayerTheEstimateWarns) {
    const fs::path dir = maillage::testing::fresh_dir("estimate_warn");
    const Territory t = squares(dir, "study.geojson", {{"86001", 500000, 6600000, 2000, 100}});
    const EstimateParameters p = EstimateParameters::load(round_parameters());
    const LoadedGraph without = build_estimated_network(t, p, nullptr);
    EXPECT_TRUE(any_warning(without.info.diagnostics, kNoMarginWarning));
    EXPECT_EQ(without.graph.node_count(), 1u);
    const std::vector<Commune> none;  // a layer with no commune within the margin: no warning
    EXPECT_FALSE(any_warning(build_estimated_network(t, p, &none).info.diagnostics, kNoMarginWarning));

    // Through the Workspace: a study without neighbouring communes warns, with them it does not.
    WorkspaceOptions wo;
    wo.network = NetworkSpec::parse("estimated:" + round_parameters().string());
    StudySources with{presets::vienne_territory(geodata()), presets::vienne_services(geodata())};
    StudySources bare = with;
    bare.services.neighbour_communes.clear();
    bare.services.neighbour_population.clear();
    const Workspace a(load_study(bare), wo);
    const Workspace b(load_study(with), wo);
    auto warned = [](const Workspace& w) {
        for (const auto& s : w.warnings())
            if (s.find(kNoMarginWarning) != std::string::npos) return true;
        return false;
    };
    EXPECT_TRUE(warned(a));
    EXPECT_FALSE(warned(b));
    EXPECT_EQ(a.network().graph().node_count(), a.territory().communes.size());
    EXPECT_EQ(b.network().graph().node_count(),
              b.territory().communes.size() + b.study().services.margin_communes.size());
    // A missing layer file is the same as none (and the loader says the file is missing).
    StudySources missing = with;
    missing.services.neighbour_communes = {geodata() / "cache/does_not_exist.geojson"};
    const Workspace c(load_study(missing), wo);
    EXPECT_TRUE(warned(c));
    fs::remove_all(dir);
}

// On Vienne: every commune of the 20 km layer whose polygon comes within 20 km of the
// département, beyond it, is a node; every BPE count placed beyond Vienne sits exactly on its
// commune's node.
TEST(EstimateMargin, VienneMarginCommunesAreNodes) {
    StudySources sources{presets::vienne_territory(geodata()), presets::vienne_services(geodata())};
    WorkspaceOptions wo;
    wo.network_options.geodata_dir = geodata();
    const Workspace ws(load_study(sources), wo);
    const auto& margin = ws.study().services.margin_communes;
    const std::size_t study = ws.territory().communes.size();
    EXPECT_EQ(study, 265u);
    // Measured: 503 of the layer's communes beyond Vienne come within 20 km (394 of them have
    // their point within 20 km: those whose inhabitants and BPE counts count).
    EXPECT_EQ(margin.size(), 503u);
    EXPECT_EQ(ws.network().graph().node_count(), study + margin.size());
    std::set<std::string> codes;
    for (const auto& c : margin) {
        EXPECT_FALSE(ws.territory().find_commune(c.code.str())) << c.code.str();
        EXPECT_TRUE(codes.insert(c.code.str()).second) << c.code.str();
        GeometryPtr g(c.geometry->clone());
        EXPECT_LE(ws.territory().study_area->Distance(g.get()), 20000.0 + 1e-6) << c.code.str();
    }
    std::size_t placed = 0;
    for (const auto& s : ws.services().sites) {
        if (s.in_study_area || s.precision != LocationPrecision::commune) continue;
        ++placed;
        const Attachment a = ws.network().attach(s.position, s.id);
        ASSERT_GE(a.node, study) << s.id;
        EXPECT_EQ(margin[a.node - study].code.str(), s.commune_code) << s.id;
        EXPECT_EQ(a.distance.value(), 0.0) << s.id;
    }
    EXPECT_GT(placed, 100u);
    // A France Services beyond Vienne (exact coordinates) attaches to the commune holding it.
    std::size_t fs_beyond = 0;
    for (const auto* s : ws.services().in_category("france_services")) {
        if (s->in_study_area) continue;
        const Attachment a = ws.network().attach(s->position, s->id);
        ASSERT_GE(a.node, study) << s->id;
        OGRPoint p(s->position.x, s->position.y);
        EXPECT_TRUE(margin[a.node - study].geometry->Contains(&p)) << s->id;
        ++fs_beyond;
    }
    EXPECT_GT(fs_beyond, 10u);
}

// The access index on Vienne: the GPs and pharmacies beyond the edge reach the inhabitants of
// their own commune. Before the margin nodes (measured here with an empty margin), they attached
// to the nearest Vienne commune point through a long leg and many reached nobody within the
// decay's 20 min: GP 52 sites (supply 220 of 715), pharmacies 58 (108 of 311).
TEST(EstimateMargin, VienneSitesBeyondTheEdgeReachDemand) {
    const fs::path table = presets::vienne_neighbour_population(geodata());
    if (!fs::exists(table)) GTEST_SKIP() << table << " is not built (optional: scripts/fetch-geodata.sh with npm)";
    StudySources sources{presets::vienne_territory(geodata()), presets::vienne_services(geodata())};
    WorkspaceOptions wo;
    wo.network_options.geodata_dir = geodata();
    const Workspace now(load_study(sources), wo);
    const std::vector<Commune> none;
    WorkspaceOptions old_options = wo;
    old_options.network_options.margin_communes = &none;
    const Workspace before(load_study(sources), old_options);
    ASSERT_EQ(before.network().graph().node_count(), 265u);
    for (const std::string category : {"gp", "pharmacie"}) {
        AccessParameters p;
        const AccessAnalysis a = run_access(now, p, now.services().in_category(category), now.provenance());
        const AccessAnalysis b = run_access(before, p, before.services().in_category(category), before.provenance());
        std::printf("[ margin ] %s: sites reaching no demand %zu (supply %.1f) before the margin nodes, %zu (%.1f) "
                    "after; supply to demand beyond the edge %.1f -> %.1f of %.1f\n",
                    category.c_str(), b.sites_reaching_no_demand, b.supply_reaching_no_demand, a.sites_reaching_no_demand,
                    a.supply_reaching_no_demand, b.supply_to_demand_beyond_study_area,
                    a.supply_to_demand_beyond_study_area, a.total_supply);
        EXPECT_GT(b.sites_reaching_no_demand, 40u) << category;
        // Every site beyond the edge is in a margin commune whose inhabitants count (the same
        // point rule for BPE counts and population): none reaches nobody.
        EXPECT_EQ(a.sites_reaching_no_demand, 0u) << category;
        EXPECT_EQ(a.supply_reaching_no_demand, 0.0) << category;
        EXPECT_EQ(a.total_supply, b.total_supply) << category;
    }
}
