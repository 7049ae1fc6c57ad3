// One broken input per validation rule: `maillage info` must exit 3, name the file, the
// feature / line and the field, and print nothing on stdout.
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include "geo/ogr_ptr.hpp"
#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

std::string square(double lon, double lat, double size = 0.05) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "[[[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f],[%.3f,%.3f]]]", lon, lat, lon + size,
                  lat, lon + size, lat + size, lon, lat + size, lon, lat);
    return buf;
}

std::string feature(const std::string& code, const std::string& polygon, const std::string& extra = "") {
    return R"({"type":"Feature","properties":{"code":")" + code + R"(","nom":"Commune )" + code + "\"" + extra +
           R"(},"geometry":{"type":"Polygon","coordinates":)" + polygon + "}}";
}

std::string collection(const std::vector<std::string>& features) {
    std::string s = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) s += (i ? "," : "") + features[i];
    return s + "]}";
}

// Three communes south of Poitiers, 0.05° squares.
std::string good_communes() {
    return collection({feature("86001", square(0.30, 46.50)), feature("86002", square(0.35, 46.50)),
                       feature("86003", square(0.40, 46.50))});
}

const char* kGoodPopulation =
    "code_insee,population,epci_siren,epci_nom\n86001,100,200000001,CC Test\n86002,200,200000001,CC Test\n"
    "86003,300,200000002,CC Autre\n";

struct Fixture {
    fs::path dir;
    fs::path communes, population, sites;
    explicit Fixture(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        population = dir / "population.csv";
        sites = dir / "sites.csv";
        write_text(communes, good_communes());
        write_text(population, kGoodPopulation);
        write_text(sites, "id,name,lon,lat\nS1,Site un,0.32,46.52\n");
    }
    std::string args() const {
        return "info --communes " + communes.string() + " --population " + population.string() + " --sites " +
               sites.string() + " --category france_services";
    }
};

void expect_invalid(const CliResult& r, const std::vector<std::string>& parts) {
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    for (const auto& p : parts) EXPECT_NE(r.err.find(p), std::string::npos) << "missing '" << p << "' in: " << r.err;
}

}  // namespace

TEST(CliInfo, GoodFixtureLoads) {
    Fixture f("info_good");
    auto r = run_cli(f.args() + " --json");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_NE(r.out.find("\"population\": 600"), std::string::npos) << r.out;
}

TEST(CliInfo, SaysWhichTravelNetworkAnalysesUse) {
    Fixture f("info_network");
    // Default: the estimated network, said loudly. A complete graph on the three communes: 3 × 2 arcs.
    auto r = run_cli(f.args());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("Travel network (estimated:default): ESTIMATED network"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("3 nodes, 6 edges, travel_time_source \"estimated\""), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("WARNING: travel times are ESTIMATED"), std::string::npos) << r.out;
    // A road layer: its graph and its loader's warning (the unmapped 'Chemin'), in JSON.
    const std::string net = std::string(MAILLAGE_TEST_DATA) + "/network/";
    auto roads = run_cli(f.args() + " --json --network roads:" + net + "roads_island.geojson --mapping " + net + "round_mapping.json");
    ASSERT_EQ(roads.exit_code, 0) << roads.err;
    auto j = nlohmann::json::parse(roads.out);
    EXPECT_EQ(j["travel_time_source"], "roads");
    EXPECT_EQ(j["network"]["estimated"], false);
    EXPECT_EQ(j["network"]["nodes"], 3);  // A, B, D: C only links B and D at the same speed, so it is contracted
    EXPECT_EQ(j["network"]["graph"]["cut_off_roads"], 1);
    std::string warnings = j["warnings"].dump();
    EXPECT_NE(warnings.find("1 roads of class 'Chemin' not in the mapping"), std::string::npos) << warnings;
    EXPECT_NE(warnings.find("2 nodes in 1 components not reachable both ways"), std::string::npos) << warnings;
    EXPECT_NE(j["inputs"].dump().find("roads_island.geojson"), std::string::npos) << j["inputs"].dump();
}

TEST(CliInfo, InvalidPolygonRepairedWithWarningOrRejectedWhenStrict) {
    Fixture f("info_bowtie");
    std::string bowtie = "[[[0.40,46.50],[0.45,46.55],[0.45,46.50],[0.40,46.55],[0.40,46.50]]]";
    write_text(f.communes, collection({feature("86001", square(0.30, 46.50)), feature("86002", square(0.35, 46.50)),
                                       feature("86003", bowtie)}));
    auto ok = run_cli(f.args());
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.out.find("invalid polygon of commune 86003 repaired"), std::string::npos) << ok.out;
    auto strict = run_cli(f.args() + " --strict");
    expect_invalid(strict, {f.communes.string(), "feature 2", "field 'geometry'", "invalid polygon for commune 86003"});
}

TEST(CliInfo, DuplicateInseeCode) {
    Fixture f("info_dup");
    write_text(f.communes, collection({feature("86001", square(0.30, 46.50)), feature("86001", square(0.35, 46.50))}));
    expect_invalid(run_cli(f.args()), {f.communes.string(), "feature 1", "field 'code'", "duplicate INSEE code 86001"});
}

TEST(CliInfo, MalformedInseeCode) {
    Fixture f("info_malformed");
    write_text(f.communes, collection({feature("8601", square(0.30, 46.50))}));
    expect_invalid(run_cli(f.args()), {"feature 0", "field 'code'", "malformed INSEE code '8601'"});
}

TEST(CliInfo, MissingCodeField) {
    Fixture f("info_nofield");
    write_text(f.communes, collection({R"({"type":"Feature","properties":{"nom":"X"},"geometry":{"type":"Polygon","coordinates":)" +
                                       square(0.3, 46.5) + "}}"}));
    expect_invalid(run_cli(f.args()), {f.communes.string(), "field 'code'", "missing field"});
}

TEST(CliInfo, EmptyLayer) {
    Fixture f("info_empty");
    write_text(f.communes, collection({}));
    expect_invalid(run_cli(f.args()), {f.communes.string(), "empty layer"});
}

TEST(CliInfo, MissingCrs) {
    Fixture f("info_nocrs");
    // A shapefile without .prj: coordinates whose meaning nobody knows.
    maillage::ensure_gdal_initialised();
    fs::path shp = f.dir / "communes.shp";
    {
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
        maillage::DatasetPtr ds(drv->Create(shp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRLayer* l = ds->CreateLayer("communes", nullptr, wkbPolygon, nullptr);
        OGRFieldDefn code("code", OFTString), nom("nom", OFTString);
        ASSERT_EQ(l->CreateField(&code), OGRERR_NONE);
        ASSERT_EQ(l->CreateField(&nom), OGRERR_NONE);
        OGRFeature feat(l->GetLayerDefn());
        feat.SetField("code", "86001");
        feat.SetField("nom", "A");
        OGRGeometry* g = nullptr;
        OGRGeometryFactory::createFromWkt("POLYGON((500000 6600000,501000 6600000,501000 6601000,500000 6600000))", nullptr, &g);
        feat.SetGeometryDirectly(g);
        ASSERT_EQ(l->CreateFeature(&feat), OGRERR_NONE);
    }
    auto r = run_cli("info --communes " + shp.string() + " --sites " + f.sites.string() + " --category france_services");
    expect_invalid(r, {shp.string(), "declares no coordinate reference system"});
}

TEST(CliInfo, UnknownCrsForCsvSites) {
    Fixture f("info_badcrs");
    write_text(f.sites, "id,name,x,y\nS1,Site,500000,6600000\n");
    expect_invalid(run_cli(f.args() + " --crs EPSG:999999"), {f.sites.string(), "field 'crs'", "unknown coordinate reference system"});
}

TEST(CliInfo, PointOutsideStudyAreaSwappedLatLon) {
    Fixture f("info_outside");
    write_text(f.sites, "id,name,lon,lat\nS1,Site un,0.32,46.52\nS2,Site inversé,46.52,0.32\n");
    expect_invalid(run_cli(f.args()), {f.sites.string(), "site S2", "field 'coordinates'", "outside the study area", "swapped"});
}

TEST(CliInfo, UnknownCategory) {
    Fixture f("info_category");
    write_text(f.sites, "id,name,lon,lat,category\nS1,Site un,0.32,46.52,boulangerie\n");
    auto r = run_cli("info --communes " + f.communes.string() + " --sites " + f.sites.string());
    expect_invalid(r, {f.sites.string(), "line 2", "field 'category'", "unknown category 'boulangerie'", "france_services"});
}

TEST(CliInfo, NegativeCapacity) {
    Fixture f("info_negative");
    write_text(f.sites, "id,name,lon,lat,places\nS1,Site un,0.32,46.52,-4\n");
    expect_invalid(run_cli(f.args()), {f.sites.string(), "line 2", "field 'places'", "negative value -4"});
}

TEST(CliInfo, NonNumericCoordinateInCsv) {
    Fixture f("info_abc");
    write_text(f.sites, "id,name,lon,lat\nS1,Site un,0.32,46.52\nS2,Site deux,abc,46.52\n");
    expect_invalid(run_cli(f.args()), {f.sites.string(), "line 3", "field 'lon'", "not a number: 'abc'"});
}

TEST(CliInfo, PopulationWithText) {
    Fixture f("info_poptext");
    write_text(f.population, "code_insee,population,epci_siren\n86001,100,1\n86002,deux cents,1\n");
    expect_invalid(run_cli(f.args()), {f.population.string(), "line 3", "field 'population'", "not an integer: 'deux cents'"});
}

TEST(CliInfo, CommunesWithoutPopulationOrEpciAreReported) {
    Fixture f("info_missingpop");
    write_text(f.population, "code_insee,population,epci_siren\n86001,100,1\n");
    auto r = run_cli(f.args());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("commune 86002: field 'population': no population"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("commune 86003: field 'epci': no EPCI"), std::string::npos) << r.out;
}

TEST(CliInfo, MissingFileAndUsageErrors) {
    auto r = run_cli("info --communes /nonexistent/communes.geojson");
    expect_invalid(r, {"/nonexistent/communes.geojson", "file not found"});
    auto u = run_cli("info --no-such-option");
    EXPECT_EQ(u.exit_code, 2);
    auto c = run_cli("info --category gp");
    EXPECT_EQ(c.exit_code, 2) << c.err;
}

TEST(CliInfo, TerritoriesGivenAsAPolygonLayer) {
    // The 3 arrondissements of Vienne as a stand-in territory layer: every commune joins one
    // by location and the population is conserved.
    std::string layer = std::string(MAILLAGE_GEODATA_CACHE) + "/vienne/boundaries/arrondissements-86-vienne.geojson";
    auto r = run_cli("info --json --territories-layer " + layer);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("\"name\": \"Poitiers\""), std::string::npos);
    EXPECT_NE(r.out.find("\"population\": 266632"), std::string::npos) << r.out.substr(0, 2000);
    EXPECT_NE(r.out.find("\"population\": 107054"), std::string::npos);
    EXPECT_NE(r.out.find("\"population\": 65211"), std::string::npos);  // 107 054 + 65 211 + 266 632 = 438 897
}

TEST(CliInfo, AreaLayerWithLinesIsRejected) {
    Fixture f("info_arealayer");
    write_text(f.dir / "epci.geojson",
               R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"E1","nom":"X"},)"
               R"("geometry":{"type":"LineString","coordinates":[[0.3,46.5],[0.4,46.6]]}}]})");
    auto r = run_cli(f.args() + " --epci-layer " + (f.dir / "epci.geojson").string());
    expect_invalid(r, {"epci.geojson", "feature 0", "field 'geometry'", "area E1 is not a polygon"});
}
