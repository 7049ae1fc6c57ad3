// The real Vienne data from the cache (scripts/fetch-geodata.sh): the numbers the
// Département knows, conservation of population through the dissolves, merger history.
#include <filesystem>
#include <numeric>

#include <gtest/gtest.h>

#include "presets/vienne_preset.hpp"
#include "services/service_loader.hpp"
#include "territory/territory_loader.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {
fs::path geodata() { return fs::path(MAILLAGE_GEODATA_CACHE).parent_path(); }

const Territory& vienne() {
    static Territory t = load_territory(presets::vienne_territory(geodata()));
    return t;
}
}  // namespace

TEST(VienneTerritory, CommunesPopulationEpciTerritories) {
    const Territory& t = vienne();
    EXPECT_EQ(t.communes.size(), 265u);
    EXPECT_EQ(t.total_population(), 438897);
    EXPECT_EQ(t.epcis.size(), 7u);
    EXPECT_EQ(t.territories.size(), 5u);
    auto sum = [](const std::vector<Area>& areas) {
        return std::accumulate(areas.begin(), areas.end(), 0LL, [](long long s, const Area& a) { return s + a.population; });
    };
    EXPECT_EQ(sum(t.epcis), 438897);
    EXPECT_EQ(sum(t.territories), 438897);
    std::size_t communes_in_epcis = 0;
    for (const auto& a : t.epcis) communes_in_epcis += a.communes.size();
    EXPECT_EQ(communes_in_epcis, 265u);
    // Grand Poitiers: 40 communes.
    auto gp = std::find_if(t.epcis.begin(), t.epcis.end(), [](const Area& a) { return a.id == "200069854"; });
    ASSERT_NE(gp, t.epcis.end());
    EXPECT_EQ(gp->communes.size(), 40u);
    // Vienne is about 7 000 km².
    double area = OGR_G_Area(OGRGeometry::ToHandle(t.study_area.get()));
    EXPECT_NEAR(area / 1e6, 7000, 250);
    for (const auto& c : t.communes) EXPECT_TRUE(c.geometry->IsValid()) << c.code.str();
}

TEST(VienneTerritory, FormerCodesResolveToTheAbsorbingCommune) {
    const Territory& t = vienne();
    auto absorbing = t.find_commune("86005");
    auto former = t.find_commune("86215");  // merged into 86005 (anciens_codes)
    ASSERT_TRUE(absorbing && former);
    EXPECT_EQ(*absorbing, *former);
    EXPECT_FALSE(t.find_commune("16015").has_value());  // Charente: outside the study area
}

TEST(VienneTerritory, RepresentativePointsAreInsideTheirCommune) {
    for (const auto& c : vienne().communes) {
        OGRPoint p(c.representative.x, c.representative.y);
        EXPECT_TRUE(c.geometry->Intersects(&p)) << c.code.str();
    }
}

TEST(VienneServices, FranceServicesAndBpeCounts) {
    auto loaded = load_services(presets::vienne_services(geodata()), vienne());
    std::size_t fs_in = 0, fs_margin = 0;
    double gps = 0, gp_sites = 0, pharmacies = 0;
    for (const auto& s : loaded.set.sites) {
        if (s.category == "france_services") (s.in_study_area ? fs_in : fs_margin)++;
        if (s.category == "gp") {
            if (s.in_study_area) gps += s.count;  // the others: neighbouring communes (test_study_edge)
            ++gp_sites;
            EXPECT_EQ(s.precision, LocationPrecision::commune);
        }
        if (s.category == "pharmacie") pharmacies += s.count;
    }
    EXPECT_EQ(fs_in, 26u);           // France Services in Vienne (ANCT, 2024-08-01)
    EXPECT_EQ(fs_in + fs_margin, 62u);  // within Vienne + 20 km
    EXPECT_EQ(gps, 429);             // BPE 2019, D201, communes of 86
    EXPECT_GT(gp_sites, 50);
    EXPECT_GT(pharmacies, 100);
    EXPECT_GT(loaded.bpe.rows_outside, 0);  // neighbouring départements are in the file
}

TEST(VienneServices, Bpe2018UsesOlderCodesMappedThroughMergers) {
    auto sources = presets::vienne_services(geodata());
    sources.france_services.clear();
    sources.bpe = fs::path(MAILLAGE_GEODATA_CACHE) / "vienne/services/bpe/bpe_ens_2018_86_neighbours.csv";
    auto loaded = load_services(sources, vienne());
    double gps = 0;
    for (const auto& s : loaded.set.sites)
        if (s.category == "gp" && s.in_study_area) gps += s.count;
    EXPECT_EQ(gps, 438);  // BPE 2018, D201
    EXPECT_GT(loaded.bpe.rows_mapped_from_old_code, 0);  // 274 communes in 2018, 265 now
}
