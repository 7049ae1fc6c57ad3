// Coverage on hand-drawn communes with round parameters: centres 2 km apart at 60 km/h
// are 2 minutes apart, so every expected number below is worked out by hand.
#include <gtest/gtest.h>

#include "coverage/aggregation.hpp"
#include "coverage/catchment.hpp"
#include "coverage/gaps.hpp"
#include "network/estimated_network.hpp"
#include "network/network_spec.hpp"

#include <numbers>
#include "support/estimated_world.hpp"
#include "territory/territory_loader.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;


TEST(CoverageFixture, TimesBandsAndAggregatesByHand) {
    World w;
    auto demand = build_demand(w.territory, {});
    ASSERT_EQ(demand.size(), 3u);
    auto result = compute_coverage(*w.network, demand, {&w.site});
    // A: 0 min, B: 2 km at 60 km/h = 2 min, C: 4 min.
    EXPECT_NEAR(to_minutes(result.units[0].time), 0.0, 1e-9);
    EXPECT_NEAR(to_minutes(result.units[1].time), 2.0, 1e-9);
    EXPECT_NEAR(to_minutes(result.units[2].time), 4.0, 1e-9);
    EXPECT_EQ(result.units[2].site, SiteId(0));

    auto tables = aggregate_coverage(w.territory, demand, result, {1, 3, 5});
    EXPECT_DOUBLE_EQ(tables.departement.population, 600);
    EXPECT_DOUBLE_EQ(tables.departement.within_band[0], 100);  // A only
    EXPECT_DOUBLE_EQ(tables.departement.within_band[1], 300);  // A + B
    EXPECT_DOUBLE_EQ(tables.departement.within_band[2], 600);  // everybody
    // Population-weighted mean: (100·0 + 200·2 + 300·4) / 600 = 1600/600.
    EXPECT_NEAR(tables.departement.mean_minutes, 1600.0 / 600.0, 1e-9);
    EXPECT_DOUBLE_EQ(tables.departement.max_minutes, 4.0);
    ASSERT_EQ(tables.epcis.size(), 2u);
    EXPECT_DOUBLE_EQ(tables.epcis[0].population, 300);  // A + B
    EXPECT_DOUBLE_EQ(tables.epcis[1].within_band[1], 0);  // C is beyond 3 min

    // Gaps beyond 3 min: only C, 300 inhabitants × 1 excess minute.
    auto gaps = find_gaps(w.territory, demand, result, 3.0);
    ASSERT_EQ(gaps.gaps.size(), 1u);
    EXPECT_EQ(w.territory.communes[gaps.gaps[0].commune].code.str(), "86003");
    EXPECT_NEAR(gaps.gaps[0].score, 300.0, 1e-6);
    EXPECT_NEAR(gaps.gaps[0].excess_minutes, 1.0, 1e-9);
    EXPECT_EQ(gaps.gaps[0].nearest_site, SiteId(0));
}

TEST(CoverageFixture, GapsRankedByPersonMinutesAndClustered) {
    World w;
    auto demand = build_demand(w.territory, {});
    auto result = compute_coverage(*w.network, demand, {&w.site});
    auto gaps = find_gaps(w.territory, demand, result, 1.0);
    // B: 200 × (2−1) = 200; C: 300 × (4−1) = 900 → C first; B and C touch → one cluster.
    ASSERT_EQ(gaps.gaps.size(), 2u);
    EXPECT_EQ(w.territory.communes[gaps.gaps[0].commune].code.str(), "86003");
    EXPECT_NEAR(gaps.gaps[0].score, 900, 1e-6);
    EXPECT_NEAR(gaps.gaps[1].score, 200, 1e-6);
    ASSERT_EQ(gaps.clusters.size(), 1u);
    EXPECT_NEAR(gaps.clusters[0].score, 1100, 1e-6);
}

TEST(CoverageFixture, NoSiteMeansNobodyCoveredNotACrash) {
    World w;
    auto demand = build_demand(w.territory, {});
    auto result = compute_coverage(*w.network, demand, {});
    auto tables = aggregate_coverage(w.territory, demand, result, {10});
    EXPECT_DOUBLE_EQ(tables.departement.unreachable, 600);
    EXPECT_DOUBLE_EQ(tables.departement.within_band[0], 0);
    EXPECT_EQ(find_gaps(w.territory, demand, result, 10).gaps.size(), 3u);
}

TEST(CoverageFixture, IntraCommuneAccessFollowsTheDocumentedFormula) {
    World w;
    EstimateParameters p = EstimateParameters::load(fs::path(MAILLAGE_TEST_DATA) / "coverage/round_parameters.json");
    p.intra_commune_spread_factor = 0.1;
    p.end_penalty_s = 15;
    LoadedGraph g = build_estimated_network(w.territory, p);
    // Disc of 4 km²: R = sqrt(4e6/π); per end 15 s + 0.1 R (detour 1) at 60 km/h.
    double expected = 15 + 0.1 * std::sqrt(4e6 / std::numbers::pi) / (60 / 3.6);
    ASSERT_EQ(g.snap.node_access.size(), 3u);
    EXPECT_NEAR(g.snap.node_access[1].value(), expected, 1e-9);
    EXPECT_EQ(g.info.source, TravelTimeSource::estimated);
    EXPECT_EQ(g.graph.edge_count(), 6u);  // complete graph: A↔B, B↔C and the direct A↔C
}

TEST(CoverageFixture, PopulationConservedByEveryDemandMethod) {
    World w;
    for (double step : {300.0, 700.0, 1999.0, 5000.0}) {
        DemandOptions o;
        o.method = DemandMethod::grid;
        o.grid_step = Metres(step);
        auto units = build_demand(w.territory, o);
        double total = 0, a = 0;
        for (const auto& u : units) {
            total += u.population;
            if (u.commune_code == "86001") a += u.population;
        }
        EXPECT_DOUBLE_EQ(total, 600) << step;
        EXPECT_DOUBLE_EQ(a, 100) << step;
    }
    DemandOptions grid;
    grid.method = DemandMethod::grid;
    grid.grid_step = Metres(500);
    EXPECT_EQ(build_demand(w.territory, grid).size(), 3u * 16u);  // 4 × 4 cells of 500 m per commune
}

TEST(CoverageFixture, CatchmentsValidNestedAndClipped) {
    World w;
    auto demand = build_demand(w.territory, {});
    auto result = compute_coverage(*w.network, demand, {&w.site});
    CatchmentOptions o;
    o.bands = {minutes(1), minutes(3), minutes(6)};
    o.cell_size = Metres(100);
    auto set = build_catchments(*w.network, result.sites, *w.territory.study_area, o);
    ASSERT_EQ(set.per_site_band.features.size(), 3u);
    double previous_area = 0;
    const OGRGeometry* previous = nullptr;
    for (const auto& f : set.per_site_band.features) {
        const OGRGeometry& g = *f.geometry;
        EXPECT_TRUE(g.IsValid());
        double area = OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)));
        EXPECT_GE(area, previous_area);
        // Inside the study area (to a square millimetre of numerical noise).
        GeometryPtr outside(g.Difference(w.territory.study_area.get()));
        EXPECT_LT(outside ? OGR_G_Area(OGRGeometry::ToHandle(outside.get())) : 0.0, 1e-3);
        if (previous) {
            GeometryPtr lost(previous->Difference(&g));
            EXPECT_LT(lost ? OGR_G_Area(OGRGeometry::ToHandle(lost.get())) : 0.0, 1e-3) << "bands must be nested";
        }
        previous = &g;
        previous_area = area;
    }
    // 6 min reaches the whole 12 km² study area; the covered / not covered split is complete.
    EXPECT_NEAR(previous_area / 1e6, 12.0, 1e-6);
    ASSERT_EQ(set.covered.features.size(), 3u);
    for (std::size_t b = 0; b < 3; ++b) {
        double c = set.covered.features[b].properties["area_km2"], n = set.not_covered.features[b].properties["area_km2"];
        EXPECT_NEAR(c + n, 12.0, 1e-3);
    }
    // Within 1 min at 60 km/h: 1 km around the centre of A along the network: less than A's 4 km².
    double one = set.per_site_band.features[0].properties["area_km2"];
    EXPECT_GT(one, 0.5);
    EXPECT_LT(one, 4.0);
}
