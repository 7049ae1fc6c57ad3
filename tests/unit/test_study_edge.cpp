// Services beyond the study's edge (issue 12, part 2): BPE counts of neighbouring communes
// placed at their representative point within the margin, on the real Vienne cache; the
// counts in the outputs; a sub-study (one EPCI) gets the same times as the whole département.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "coverage/coverage.hpp"
#include "network/network_spec.hpp"
#include "presets/vienne_preset.hpp"
#include "scenario/scenario_parser.hpp"
#include "services/service_loader.hpp"
#include "support/cli_runner.hpp"
#include "territory/territory_loader.hpp"

namespace fs = std::filesystem;
using namespace maillage;

namespace {

fs::path geodata() { return fs::path(MAILLAGE_GEODATA_CACHE).parent_path(); }

const Territory& vienne() {
    static Territory t = load_territory(presets::vienne_territory(geodata()));
    return t;
}

ServiceSources without_neighbours() {
    auto s = presets::vienne_services(geodata());
    s.neighbour_communes.clear();
    return s;
}

const LoadedServices& services_with() {
    static LoadedServices s = load_services(presets::vienne_services(geodata()), vienne());
    return s;
}
const LoadedServices& services_without() {
    static LoadedServices s = load_services(without_neighbours(), vienne());
    return s;
}

bool any_warning(const Diagnostics& d, const std::string& part) {
    for (const auto& w : d.warnings())
        if (w.text().find(part) != std::string::npos) return true;
    return false;
}

// The default estimate over `t`, with `margin` as its nodes beyond the study (nullptr: none,
// the estimate before issue 12's margin nodes).
TravelNetwork estimated(const Territory& t, const std::vector<Commune>* margin = nullptr) {
    Provenance p;
    NetworkOptions o;
    o.territory = &t;
    o.margin_communes = margin;
    o.geodata_dir = geodata();
    return open_network(NetworkSpec::parse("estimated:default"), o, p);
}

// Minutes to the nearest site of `category` for every commune, by INSEE code.
std::map<std::string, double> nearest_minutes(const TravelNetwork& net, const Territory& t, const LoadedServices& s,
                                              const std::string& category,
                                              const std::function<bool(const ServiceSite&)>& keep = {}) {
    std::vector<const ServiceSite*> sites;
    for (const auto* site : s.set.in_category(category))
        if (!keep || keep(*site)) sites.push_back(site);
    auto demand = build_demand(t, {});
    CoverageResult r = compute_coverage(net, demand, sites);
    std::map<std::string, double> out;
    for (std::size_t i = 0; i < demand.size(); ++i) out[demand[i].commune_code] = r.units[i].time.value() / 60.0;
    return out;
}

double distance_to_study(const Territory& t, Point2 p) {
    OGRPoint point(p.x, p.y);
    return t.study_area->Distance(&point);
}

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("maillage_edge_" + std::to_string(::getpid()) + "_" + name);
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

}  // namespace

TEST(StudyEdge, BpeCountsOfNeighbouringCommunesArePlacedWithinTheMarginOnly) {
    const auto& with = services_with();
    const auto& r = with.bpe;
    EXPECT_GT(r.rows_neighbours, 0);
    EXPECT_GT(r.rows_beyond_margin, 0);  // the buffer file holds communes whose point is beyond 20 km
    EXPECT_GT(r.rows_unplaced, 0);       // the rest of the 7 neighbouring départements
    EXPECT_EQ(r.rows_neighbours + r.rows_beyond_margin + r.rows_unplaced, r.rows_outside);
    EXPECT_EQ(services_without().bpe.rows_in_study_area, r.rows_in_study_area);
    std::set<std::string> departements;
    std::size_t beyond = 0;
    for (const auto& s : with.set.sites) {
        if (s.in_study_area || s.precision != LocationPrecision::commune) continue;
        ++beyond;
        departements.insert(s.commune_code.substr(0, 2));
        EXPECT_FALSE(vienne().find_commune(s.commune_code)) << s.id;
        const double d = distance_to_study(vienne(), s.position);
        EXPECT_GT(d, 0.0) << s.id;
        EXPECT_LE(d, 20000.0) << s.id;
        EXPECT_EQ(s.source, presets::vienne_services(geodata()).bpe.string());
    }
    EXPECT_GT(beyond, 100u);
    // Indre-et-Loire, Deux-Sèvres, Haute-Vienne, Charente, Indre, Maine-et-Loire at least.
    for (const char* dep : {"16", "36", "37", "49", "79", "87"}) EXPECT_TRUE(departements.count(dep)) << dep;
    // Tours (37261) is about 50 km from Vienne: its counts are never placed.
    for (const auto& s : with.set.sites) EXPECT_NE(s.commune_code, "37261") << s.id;
    // Without the neighbouring layer: only the study's BPE counts, and the warning.
    for (const auto& s : services_without().set.sites) {
        if (s.precision == LocationPrecision::commune) { EXPECT_TRUE(s.in_study_area) << s.id; }
    }
    EXPECT_TRUE(any_warning(services_without().set.diagnostics, "the edge effect is not corrected"));
    EXPECT_TRUE(any_warning(with.set.diagnostics, "could not be placed"));
}

TEST(StudyEdge, UnplaceableCodesAreCountedInOneWarning) {
    const fs::path dir = temp_dir("unplaced");
    // 86194 Poitiers; 37072 Chinon (neighbour, within 20 km of Vienne?) is not relied upon:
    // a placed neighbour is taken from the real load; 37999 and 79999 exist nowhere.
    std::string neighbour;
    for (const auto& s : services_with().set.sites)
        if (!s.in_study_area && s.category == "gp" && s.precision == LocationPrecision::commune) {
            neighbour = s.commune_code;
            break;
        }
    ASSERT_FALSE(neighbour.empty());
    {
        std::ofstream f(dir / "bpe.csv");
        f << "DEPCOM,TYPEQU,NB_EQUIP,AN\n"
          << "86194,D201,5,2019\n"
          << neighbour << ",D201,2,2019\n"
          << "37999,D201,3,2019\n"
          << "79999,D201,4,2019\n"
          << "79999,X999,9,2019\n";  // a type outside the catalogue: not counted anywhere
    }
    ServiceSources src = presets::vienne_services(geodata());
    src.france_services.clear();
    src.bpe = dir / "bpe.csv";
    auto loaded = load_services(src, vienne());
    EXPECT_EQ(loaded.bpe.rows_in_study_area, 1);
    EXPECT_EQ(loaded.bpe.rows_neighbours, 1);
    EXPECT_EQ(loaded.bpe.rows_unplaced, 2);
    EXPECT_EQ(loaded.bpe.equipments_unplaced, 7);
    ASSERT_EQ(loaded.set.sites.size(), 2u);
    std::size_t warnings = 0;
    for (const auto& w : loaded.set.diagnostics.warnings())
        if (w.text().find("could not be placed") != std::string::npos) {
            ++warnings;
            EXPECT_NE(w.text().find("2 BPE rows (7 equipments)"), std::string::npos) << w.text();
        }
    EXPECT_EQ(warnings, 1u);
    fs::remove_all(dir);
}

TEST(StudyEdge, MissingNeighbouringDataWarnsAndDoesNotFail) {
    ServiceSources src = presets::vienne_services(geodata());
    src.neighbour_communes = {geodata() / "cache/does_not_exist.geojson"};
    LoadedServices loaded = load_services(src, vienne());
    EXPECT_TRUE(any_warning(loaded.set.diagnostics, "neighbouring communes file not found"));
    EXPECT_TRUE(any_warning(loaded.set.diagnostics, "the edge effect is not corrected"));
    EXPECT_EQ(loaded.bpe.rows_neighbours, 0);
}

TEST(StudyEdge, BorderCommunesGetCloserInteriorOnesUnchanged) {
    const TravelNetwork net = estimated(vienne());
    for (const std::string category : {"gp", "pharmacie"}) {
        auto before = nearest_minutes(net, vienne(), services_without(), category);
        auto after = nearest_minutes(net, vienne(), services_with(), category);
        ASSERT_EQ(before.size(), after.size());
        std::size_t shorter = 0;
        for (const auto& [code, minutes] : before) {
            EXPECT_LE(after[code], minutes + 1e-9) << category << " " << code;
            if (after[code] < minutes - 1e-6) {
                ++shorter;
                // Only communes near the edge gain: within 20 km of the département's boundary.
                const auto& c = vienne().communes[*vienne().find_commune(code)];
                OGRPoint p(c.representative.x, c.representative.y);
                std::unique_ptr<OGRGeometry> boundary(vienne().study_area->Boundary());
                EXPECT_LT(boundary->Distance(&p), 20000.0) << category << " " << code;
            }
        }
        EXPECT_GT(shorter, 0u) << category;
        EXPECT_DOUBLE_EQ(after["86194"], before["86194"]) << "Poitiers, " << category;
        std::printf("[ edge ] %s: %zu communes closer to a site with the neighbouring communes\n", category.c_str(),
                    shorter);
    }
}

TEST(StudyEdge, CoverageSummaryCountsSitesBeyondTheStudyArea) {
    const fs::path out = temp_dir("summary") / "gp";
    auto r = maillage::testing::run_cli("coverage --category gp --thresholds 10,20 --no-catchments -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(out / "summary.json");
    auto j = nlohmann::json::parse(in);
    std::size_t beyond = 0, all = 0;
    for (const auto* s : services_with().set.in_category("gp")) {
        ++all;
        beyond += s->in_study_area ? 0 : 1;
    }
    EXPECT_EQ(j["sites"].get<std::size_t>(), all);
    EXPECT_EQ(j["sites_beyond_study_area"].get<std::size_t>(), beyond);
    EXPECT_GT(beyond, 0u);
    // France Services keep their semantics: in_study_area = inside the communes' union.
    std::size_t fs_beyond = 0;
    for (const auto* s : services_with().set.in_category("france_services")) {
        fs_beyond += s->in_study_area ? 0 : 1;
        EXPECT_EQ(s->in_study_area, distance_to_study(vienne(), s->position) == 0.0) << s->id;
    }
    EXPECT_GT(fs_beyond, 0u);
    fs::remove_all(out.parent_path());
}

namespace {

// The Vienne communes of one EPCI, written from the cache file.
fs::path write_epci_communes(const fs::path& dir, const std::string& siren) {
    const fs::path src = geodata() / "cache/vienne/boundaries/communes-86-vienne_cog2026.geojson";
    const fs::path dst = dir / ("communes_" + siren + ".geojson");
    GDALAllRegister();
    GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    EXPECT_NE(in, nullptr);
    const std::string where = "epci_siren = '" + siren + "'";
    const char* argv[] = {"-f", "GeoJSON", "-where", where.c_str(), nullptr};
    GDALVectorTranslateOptions* o = GDALVectorTranslateOptionsNew(const_cast<char**>(argv), nullptr);
    int usage_error = 0;
    GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, o, &usage_error);
    GDALVectorTranslateOptionsFree(o);
    EXPECT_NE(out, nullptr);
    GDALClose(out);
    GDALClose(in);
    return dst;
}

// A routed fixture: a grid of 72 km/h roads every `step` metres over `env` (Lambert-93), each
// grid segment its own feature so that every crossing is a node.
fs::path write_road_grid(const fs::path& dir, const OGREnvelope& env, double step) {
    const fs::path file = dir / "grid_roads.gpkg";
    GDALAllRegister();
    auto* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    GDALDataset* ds = drv->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    OGRSpatialReference srs;
    srs.importFromEPSG(2154);
    OGRLayer* layer = ds->CreateLayer("roads", &srs, wkbLineString, nullptr);
    OGRFieldDefn cls("VOCATION", OFTString);
    EXPECT_EQ(layer->CreateField(&cls), OGRERR_NONE);
    OGRFieldDefn dir_field("SENS", OFTString);
    EXPECT_EQ(layer->CreateField(&dir_field), OGRERR_NONE);
    const int nx = static_cast<int>(std::ceil((env.MaxX - env.MinX) / step));
    const int ny = static_cast<int>(std::ceil((env.MaxY - env.MinY) / step));
    auto add = [&](double x0, double y0, double x1, double y1) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("VOCATION", "Liaison principale");
        f.SetField("SENS", "Double sens");
        OGRLineString line;
        line.addPoint(x0, y0);
        line.addPoint(x1, y1);
        f.SetGeometry(&line);
        EXPECT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
    };
    EXPECT_EQ(layer->StartTransaction(), OGRERR_NONE);
    for (int i = 0; i <= nx; ++i)
        for (int k = 0; k <= ny; ++k) {
            const double x = env.MinX + i * step, y = env.MinY + k * step;
            if (i < nx) add(x, y, x + step, y);
            if (k < ny) add(x, y, x, y + step);
        }
    EXPECT_EQ(layer->CommitTransaction(), OGRERR_NONE);
    GDALClose(ds);
    return file;
}

}  // namespace

// A sub-study of one EPCI with the rest of Vienne (cog 2026, the full study's polygons, so the
// same representative points) and the neighbouring départements as neighbouring communes: its
// GPs and pharmacies within the margin are the full study's (same ids, same points) and its
// communes get the full study's times exactly, on a routed network (a 72 km/h road grid written
// here) and on the estimate, whose nodes are the study's communes and the communes within the
// margin (issue 12): a site of the rest of Vienne attaches to its own commune in both studies.
// Before the margin nodes, the sub-study attached such a site to the nearest sub-study commune
// point plus an access leg: Vallées du Clain, next to Grand Poitiers, had 4 of 16 communes (GP)
// and 2 of 16 (pharmacy) up to 2.04 min off; measured again here without the margin nodes.
class SubStudy : public ::testing::TestWithParam<std::string> {};

TEST_P(SubStudy, OfOneEpciGetsTheFullStudysTimes) {
    const std::string siren = GetParam();
    const fs::path dir = temp_dir("substudy_" + siren);
    TerritorySources ts = presets::vienne_territory(geodata());
    ts.communes = write_epci_communes(dir, siren);
    const Territory sub = load_territory(ts);
    ASSERT_GE(sub.communes.size(), 10u);
    ASSERT_LT(sub.communes.size(), vienne().communes.size());
    ServiceSources ss = presets::vienne_services(geodata());
    ss.neighbour_communes.insert(ss.neighbour_communes.begin(),
                                 geodata() / "cache/vienne/boundaries/communes-86-vienne_cog2026.geojson");
    const LoadedServices sub_services = load_services(ss, sub);

    // The routed fixture covers the sub-study and its margin; both studies keep the sites of
    // that margin (the sub-study's own rule) so that both attach the same points.
    OGREnvelope env;
    sub.study_area->getEnvelope(&env);
    env.MinX -= 25000, env.MinY -= 25000, env.MaxX += 25000, env.MaxY += 25000;
    const fs::path roads = write_road_grid(dir, env, 2000);
    Provenance p;
    NetworkOptions o;
    o.mapping = fs::path(MAILLAGE_TEST_DATA) / "network/round_mapping.json";
    o.max_snap = Metres(3000);
    o.geodata_dir = geodata();
    const TravelNetwork net = open_network(NetworkSpec::parse("roads:" + roads.string()), o, p);
    auto near_sub = [&](const ServiceSite& s) { return distance_to_study(sub, s.position) <= 20000.0; };

    for (const std::string category : {"gp", "pharmacie"}) {
        std::map<std::string, Point2> full_sites, sub_sites;
        for (const auto* s : services_with().set.in_category(category))
            if (near_sub(*s)) full_sites[s->id] = s->position;
        for (const auto* s : sub_services.set.in_category(category)) sub_sites[s->id] = s->position;
        ASSERT_EQ(full_sites.size(), sub_sites.size()) << category;
        for (const auto& [id, pos] : full_sites) {
            ASSERT_TRUE(sub_sites.count(id)) << category << " " << id;
            EXPECT_EQ(sub_sites[id].x, pos.x) << id;
            EXPECT_EQ(sub_sites[id].y, pos.y) << id;
        }
        auto full = nearest_minutes(net, vienne(), services_with(), category, near_sub);
        auto part = nearest_minutes(net, sub, sub_services, category);
        for (const auto& [code, minutes] : part) {
            ASSERT_TRUE(full.count(code)) << code;
            EXPECT_EQ(minutes, full[code]) << category << " " << code;
            EXPECT_LT(minutes, 60.0) << category << " " << code;
        }
        // The estimate: the same times for every commune of the sub-study (within 1 ms).
        const TravelNetwork est_sub = estimated(sub, &sub_services.margin_communes);
        const TravelNetwork est_full = estimated(vienne(), &services_with().margin_communes);
        auto e_part = nearest_minutes(est_sub, sub, sub_services, category);
        auto e_full = nearest_minutes(est_full, vienne(), services_with(), category);
        ASSERT_EQ(e_part.size(), sub.communes.size());
        std::size_t beyond = 0;
        {
            std::vector<const ServiceSite*> sites = sub_services.set.in_category(category);
            auto demand = build_demand(sub, {});
            CoverageResult r = compute_coverage(est_sub, demand, sites);
            for (const auto& u : r.units) beyond += u.reached() && !r.sites.site(u.site).in_study_area ? 1 : 0;
        }
        for (const auto& [code, minutes] : e_part) {
            ASSERT_TRUE(e_full.count(code)) << code;
            EXPECT_NEAR(minutes * 60.0, e_full[code] * 60.0, 1e-3) << category << " " << code << " (seconds)";
            EXPECT_LT(minutes, 60.0) << category << " " << code;
        }
        // Without the margin nodes (the estimate before): some communes differ, so the equality
        // above is what the margin nodes give, not a property of these communes.
        const TravelNetwork old_sub = estimated(sub);
        auto o_part = nearest_minutes(old_sub, sub, sub_services, category);
        double max_gap = 0;
        std::size_t differ = 0;
        for (const auto& [code, minutes] : o_part) {
            max_gap = std::max(max_gap, std::abs(minutes - e_full[code]));
            differ += std::abs(minutes - e_full[code]) > 1e-6 ? 1 : 0;
        }
        if (siren == "200043628") EXPECT_GT(differ, 0u) << category;
        std::printf("[ edge ] %s, estimate, %s: nearest site beyond the sub-study for %zu communes; all %zu communes "
                    "equal to the full study; without the margin nodes %zu differ, at most %.2f min\n",
                    siren.c_str(), category.c_str(), beyond, e_part.size(), differ, max_gap);
    }
    fs::remove_all(dir);
}

// The Pays Loudunais (borders of Indre-et-Loire, Maine-et-Loire, Deux-Sèvres) and the Vallées du
// Clain (between Grand Poitiers and the Civraisien: sites of the rest of Vienne nearby).
INSTANTIATE_TEST_SUITE_P(StudyEdge, SubStudy, ::testing::Values("248600447", "200043628"));

TEST(StudyEdge, ScenarioKeyAndCliOptionNameNeighbouringCommunes) {
    ScenarioSpec one = parse_scenario_text("title: t\nstudy:\n  neighbour_communes: n.geojson\nanalyses:\n  coverage:\n    - {category: gp}\n", "/tmp/s/inline.yaml");
    ASSERT_EQ(one.study.neighbour_communes.size(), 1u);
    ScenarioSpec two = parse_scenario_text("title: t\nstudy:\n  neighbour_communes: [a.gpkg, /data/b.geojson]\nanalyses:\n  coverage:\n    - {category: gp}\n", "inline.yaml");
    ASSERT_EQ(two.study.neighbour_communes.size(), 2u);
    EXPECT_EQ(two.study.neighbour_communes[1], "/data/b.geojson");

    // The CLI: a study of one EPCI's communes with the BPE and the rest of Vienne as neighbours.
    const fs::path dir = temp_dir("cli");
    const fs::path communes = write_epci_communes(dir, "200043628");
    const fs::path cache = geodata() / "cache/vienne";
    // (Population and EPCI from the commune layer's own fields.)
    const std::string common = "coverage --communes " + communes.string() + " --bpe " +
                               (cache / "services/bpe/bpe_ens_2019_86_neighbours.csv").string() +
                               " --category gp --thresholds 10,20 --no-catchments";
    auto with = maillage::testing::run_cli(common + " --neighbour-communes " +
                                           (cache / "boundaries/communes-86-vienne_cog2026.geojson").string() +
                                           " -o " + (dir / "with").string());
    ASSERT_EQ(with.exit_code, 0) << with.err;
    auto without = maillage::testing::run_cli(common + " -o " + (dir / "without").string());
    ASSERT_EQ(without.exit_code, 0) << without.err;
    EXPECT_NE(without.err.find("the edge effect is not corrected"), std::string::npos) << without.err;
    auto summary = [&](const char* name) {
        std::ifstream in(dir / name / "summary.json");
        return nlohmann::json::parse(in);
    };
    EXPECT_GT(summary("with")["sites_beyond_study_area"].get<int>(), 0);
    EXPECT_EQ(summary("without")["sites_beyond_study_area"].get<int>(), 0);
    EXPECT_GT(summary("with")["sites"].get<int>(), summary("without")["sites"].get<int>());
    fs::remove_all(dir);
}
