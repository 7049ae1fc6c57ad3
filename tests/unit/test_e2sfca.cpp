// E2SFCA arithmetic on three communes in a row (A 100 inh., B 200, C 300; 2 min apart).
// Decay: weight 1 up to 1 min, 0.5 up to 3 min, 0 beyond.
//   S1 at A, supply 2: weighted demand 100·1 + 200·0.5 = 200 → R1 = 2/200 = 0.01
//   S2 at C, supply 1 (GP aged 64): 200·0.5 + 300·1 = 400 → R2 = 1/400 = 0.0025
//   A_A = 0.01; A_B = 0.01·0.5 + 0.0025·0.5 = 0.00625; A_C = 0.0025
//   Identity: Σ P·A = 1 + 1.25 + 0.75 = 3 = total supply.
#include <gtest/gtest.h>

#include "coverage/coverage.hpp"
#include "coverage/e2sfca.hpp"
#include "coverage/equipment_rate.hpp"
#include "support/estimated_world.hpp"
#include "util/errors.hpp"

using namespace maillage;
using namespace maillage::testing;

namespace {
struct TwoSites {
    World w;
    ServiceSite s2;
    std::vector<DemandUnit> demand;
    CoverageResult attached;
    DecayTable decay{{{1, 1.0}, {3, 0.5}}};
    TwoSites() {
        w.site.count = 2;
        w.site.practitioner_age = 45;
        s2 = w.site;
        s2.id = "S2";
        s2.count = 1;
        s2.practitioner_age = 64;
        s2.position = w.territory.communes[2].representative;
        demand = build_demand(w.territory, {});
        attached = compute_coverage(*w.network, {}, {&w.site, &s2});
    }
};
}  // namespace

TEST(E2sfca, HandComputedIndex) {
    TwoSites s;
    auto r = compute_e2sfca(*s.w.network, s.demand, s.attached.sites, s.decay, {});
    EXPECT_NEAR(r.site_ratio[0], 0.01, 1e-12);
    EXPECT_NEAR(r.site_ratio[1], 0.0025, 1e-12);
    EXPECT_NEAR(r.unit_access[0], 0.01, 1e-12);
    EXPECT_NEAR(r.unit_access[1], 0.00625, 1e-12);
    EXPECT_NEAR(r.unit_access[2], 0.0025, 1e-12);
    double redistributed = 0;
    for (std::size_t i = 0; i < 3; ++i) redistributed += s.demand[i].population * r.unit_access[i];
    EXPECT_NEAR(redistributed, 3.0, 1e-9);
}

TEST(E2sfca, RetirementVariantDropsOlderPractitioners) {
    TwoSites s;
    E2sfcaOptions o;
    o.max_practitioner_age = 62;
    auto r = compute_e2sfca(*s.w.network, s.demand, s.attached.sites, s.decay, o);
    EXPECT_EQ(r.sites_excluded_by_age, 1u);
    EXPECT_NEAR(r.unit_access[2], 0.0, 1e-12);
    EXPECT_NEAR(r.unit_access[1], 0.005, 1e-12);
    o.max_practitioner_age = 65;
    EXPECT_EQ(compute_e2sfca(*s.w.network, s.demand, s.attached.sites, s.decay, o)
                  .sites_excluded_by_age,
              0u);
}

TEST(E2sfca, FlatWeightsGiveSupplyPerInhabitantEverywhere) {
    // Independent identity: with W = 1 over the whole area, every unit gets total supply / total population.
    TwoSites s;
    DecayTable flat({{60, 1.0}});
    auto r = compute_e2sfca(*s.w.network, s.demand, s.attached.sites, flat, {});
    for (double a : r.unit_access) EXPECT_NEAR(a, 3.0 / 600.0, 1e-12);
}

TEST(E2sfca, DecayTableValidation) {
    auto dir = fresh_dir("decay");
    write_text(dir / "up.csv", "max_minutes,weight\n10,0.5\n20,0.8\n");
    write_text(dir / "range.csv", "max_minutes,weight\n10,1.5\n");
    write_text(dir / "order.csv", "max_minutes,weight\n20,1\n10,0.5\n");
    auto message = [&](const char* f) {
        try {
            (void)DecayTable::load(dir / f);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    EXPECT_NE(message("up.csv").find("line 3: field 'weight': weight increases"), std::string::npos) << message("up.csv");
    EXPECT_NE(message("range.csv").find("weight 1.5 outside [0, 1]"), std::string::npos);
    EXPECT_NE(message("order.csv").find("line 3: field 'max_minutes'"), std::string::npos);
    auto real = DecayTable::load(std::string(MAILLAGE_SOURCE_DIR) + "/geodata/e2sfca_decay.csv");
    EXPECT_DOUBLE_EQ(real.weight(9.9), 1.0);
    EXPECT_DOUBLE_EQ(real.weight(20.5), 0.0);
}

TEST(EquipmentRate, PerThousandByArea) {
    World w;
    ServiceSite a = w.site, c = w.site;
    a.commune_code = "86001";
    a.places = 30;
    c.id = "S2";
    c.commune_code = "86003";
    c.places = 12;
    auto t = equipment_rates(w.territory, {&a, &c}, {}, "75+");
    EXPECT_EQ(t.capacity_measure, "places");
    ASSERT_EQ(t.rows.size(), 3u);  // 2 EPCI + département (no territory table)
    EXPECT_NEAR(t.rows[0].per_1000, 1000.0 * 30 / 300, 1e-9);  // EPCI 1: A + B
    EXPECT_NEAR(t.rows[1].per_1000, 1000.0 * 12 / 300, 1e-9);  // EPCI 2: C
    EXPECT_NEAR(t.rows[2].per_1000, 1000.0 * 42 / 600, 1e-9);
    auto targeted = equipment_rates(w.territory, {&a, &c}, {{"86001", 20}, {"86002", 30}, {"86003", 50}}, "75+");
    EXPECT_NEAR(targeted.rows[2].per_1000, 1000.0 * 42 / 100, 1e-9);
    EXPECT_EQ(targeted.denominator, "population 75+");
}
