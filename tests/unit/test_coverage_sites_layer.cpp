// The `sites` layer of a coverage output set (sites.geojson + coverage.gpkg "sites"): one point
// per site of the result, in SiteId order, with what the site and its attachment really hold.
// On square communes by hand, and on a Vienne scenario whose variant adds and closes a site.
#include <cmath>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "geo/crs.hpp"
#include "geo/ogr_ptr.hpp"
#include "support/square_communes.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> site_ids(const json& geojson) {
    std::vector<std::string> ids;
    for (const auto& f : geojson["features"]) ids.push_back(f["properties"]["site_id"].get<std::string>());
    return ids;
}

}  // namespace

TEST(CoverageSitesLayer, OnePointPerSiteWithItsRealProperties) {
    fs::path dir = fresh_dir("cov_sites_layer");
    write_text(dir / "communes.geojson", squares_geojson(three_in_a_row()));
    // S1 at the centre of A (86001) with 12 places and no commune given; S2 in C (86003), given,
    // 500 m east and north of C's centre.
    write_text(dir / "sites.csv", "id,name,x,y,places,commune\nS2,Site C,505500,6601500,,86003\nS1,Site A,501000,6601000,12,\n");
    fs::path out = dir / "out";
    auto r = run_cli("coverage --communes " + (dir / "communes.geojson").string() + " --sites " +
                     (dir / "sites.csv").string() + " --crs EPSG:2154 --category france_services --network estimated:" +
                     MAILLAGE_TEST_DATA + "/coverage/round_parameters.json --thresholds 1,3,5 --cell-size 100 -o " +
                     out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto summary = json::parse(read_text(out / "summary.json"));
    auto sites = json::parse(read_text(out / "sites.geojson"));
    EXPECT_EQ(sites["name"], "sites");
    ASSERT_EQ(sites["features"].size(), summary["sites"].get<std::size_t>());
    // SiteId order: the study's sites sorted by (category, id).
    EXPECT_EQ(site_ids(sites), (std::vector<std::string>{"S1", "S2"}));
    // The communes layer names the same sites.
    auto communes = json::parse(read_text(out / "coverage_communes.geojson"));
    EXPECT_EQ(communes["features"][0]["properties"]["nearest_site_id"], "S1");
    EXPECT_EQ(communes["features"][2]["properties"]["nearest_site_id"], "S2");

    const json& a = sites["features"][0];
    EXPECT_EQ(a["geometry"]["type"], "Point");
    LonLat ll = lambert93_to_lonlat({501000, 6601000});
    EXPECT_NEAR(a["geometry"]["coordinates"][0].get<double>(), ll.lon, 1e-6);
    EXPECT_NEAR(a["geometry"]["coordinates"][1].get<double>(), ll.lat, 1e-6);
    EXPECT_EQ(a["properties"],
              json::parse(R"({"site_id":"S1","name":"Site A","category":"france_services","commune":"86001",
                 "location_precision":"exact","in_study_area":true,"count":1.0,"capacity_places":12.0,"capacity_fte":null,
                 "attached":true,"snap_distance_m":0.0,"beside_cut_off_road":false})"));
    const json& c = sites["features"][1]["properties"];
    EXPECT_EQ(c["commune"], "86003");
    EXPECT_TRUE(c["capacity_places"].is_null());
    EXPECT_EQ(c["attached"], true);
    // The estimated network joins communes' points: S2 attaches at C's centre, √(500² + 500²) m away.
    EXPECT_EQ(c["snap_distance_m"], 707.1);

    // The same layer in the GeoPackage, declared as points.
    ensure_gdal_initialised();
    DatasetPtr ds(static_cast<GDALDataset*>(
        GDALOpenEx((out / "coverage.gpkg").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayerByName("sites");
    ASSERT_TRUE(layer);
    EXPECT_EQ(layer->GetGeomType(), wkbPoint);
    EXPECT_EQ(layer->GetFeatureCount(), 2);
    std::vector<std::string> ids;
    layer->ResetReading();
    while (OGRFeatureUniquePtr f{layer->GetNextFeature()}) {
        ids.push_back(f->GetFieldAsString("site_id"));
        if (ids.size() == 1) {
            EXPECT_EQ(f->GetFieldAsDouble("capacity_places"), 12.0);
            EXPECT_EQ(f->GetFieldAsInteger("attached"), 1);
            const OGRPoint* p = f->GetGeometryRef()->toPoint();
            EXPECT_NEAR(p->getX(), ll.lon, 1e-9);
            EXPECT_NEAR(p->getY(), ll.lat, 1e-9);
        }
    }
    EXPECT_EQ(ids, (std::vector<std::string>{"S1", "S2"}));
    if (!HasFailure()) fs::remove_all(dir);
}

TEST(CoverageSitesLayer, NoSiteGivesAnEmptyLayer) {
    fs::path dir = fresh_dir("cov_sites_none");
    write_text(dir / "communes.geojson", squares_geojson(three_in_a_row()));
    write_text(dir / "sites.csv", "id,name,x,y\n");
    fs::path out = dir / "out";
    auto r = run_cli("coverage --communes " + (dir / "communes.geojson").string() + " --sites " +
                     (dir / "sites.csv").string() + " --crs EPSG:2154 --category france_services --network estimated:" +
                     MAILLAGE_TEST_DATA + "/coverage/round_parameters.json --thresholds 1,3,5 --no-catchments -o " +
                     out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto sites = json::parse(read_text(out / "sites.geojson"));
    EXPECT_TRUE(sites["features"].empty());
    EXPECT_EQ(json::parse(read_text(out / "summary.json"))["sites"], 0);
    for (const char* qml : {"coverage_communes.qml", "catchments.qml", "sites.qml"})
        EXPECT_TRUE(fs::is_regular_file(out / qml)) << qml;
    if (!HasFailure()) fs::remove_all(dir);
}

// Vienne default (geodata cache): the variant closes Montmorillon's France Services (2525) and
// adds one at Bonnes (86015): its sites.geojson has the new site and not the closed one.
TEST(CoverageSitesLayer, ScenarioVariantHasItsAddedSiteAndNotItsClosedOne) {
    fs::path dir = fresh_dir("scn_sites_layer");
    fs::path file = dir / "scenario.yaml";
    write_text(file,
               "title: \"Sites\"\n"
               "analyses:\n"
               "  coverage:\n"
               "    - {category: france_services, catchments: false}\n"
               "variants:\n"
               "  - id: v\n"
               "    changes:\n"
               "      - close: {category: france_services, id: \"2525\"}\n"
               "      - add: {category: france_services, id: \"fs-bonnes\", name: \"France Services (hypothèse)\", "
               "commune: \"86015\", places: 4}\n");
    fs::path out = dir / "out";
    auto r = run_cli("run " + file.string() + " -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto layer = [&](const std::string& variant) {
        return json::parse(read_text(out / variant / "coverage" / "france_services" / "sites.geojson"));
    };
    auto summary_sites = [&](const std::string& variant) {
        return json::parse(read_text(out / variant / "coverage" / "france_services" / "summary.json"))["sites"].get<std::size_t>();
    };
    json base = layer("baseline"), v = layer("v");
    ASSERT_EQ(base["features"].size(), summary_sites("baseline"));
    ASSERT_EQ(v["features"].size(), summary_sites("v"));
    EXPECT_GT(base["features"].size(), 1u);
    EXPECT_EQ(v["features"].size(), base["features"].size());  // one closed, one added

    auto base_ids = site_ids(base), v_ids = site_ids(v);
    std::set<std::string> base_set(base_ids.begin(), base_ids.end()), v_set(v_ids.begin(), v_ids.end());
    EXPECT_EQ(base_set.size(), base_ids.size()) << "ids are unique";
    EXPECT_TRUE(base_set.count("2525"));
    EXPECT_FALSE(v_set.count("2525"));
    EXPECT_FALSE(base_set.count("fs-bonnes"));
    ASSERT_TRUE(v_set.count("fs-bonnes"));
    for (const auto& f : v["features"]) {
        if (f["properties"]["site_id"] != "fs-bonnes") continue;
        const json& p = f["properties"];
        EXPECT_EQ(p["name"], "France Services (hypothèse)");
        EXPECT_EQ(p["category"], "france_services");
        EXPECT_EQ(p["commune"], "86015");
        EXPECT_EQ(p["location_precision"], "commune");
        EXPECT_EQ(p["capacity_places"], 4.0);
        EXPECT_EQ(p["attached"], true);
    }
    // Every baseline site but the closed one is still there.
    for (const auto& id : base_ids) {
        if (id != "2525") {
            EXPECT_TRUE(v_set.count(id)) << id;
        }
    }
    for (const char* qml : {"coverage_communes.qml", "catchments.qml", "sites.qml"})
        EXPECT_TRUE(fs::is_regular_file(out / "v" / "coverage" / "france_services" / qml)) << qml;
    if (!HasFailure()) fs::remove_all(dir);
}
