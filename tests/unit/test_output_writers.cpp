// GeoJSON / GeoPackage / CSV writers: RFC 7946 rules, determinism, types seen by readers.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "geo/ogr_ptr.hpp"
#include "output/csv_writer.hpp"
#include "output/geojson_writer.hpp"
#include "output/gpkg_writer.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

fs::path temp_dir(const std::string& name) {
    fs::path d = fs::temp_directory_path() / ("maillage_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

GeometryPtr wkt(const std::string& text) {
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(text.c_str(), nullptr, &g);
    return GeometryPtr(g);
}

// A square around Poitiers in Lambert-93, outer ring drawn CLOCKWISE and the hole
// COUNTER-CLOCKWISE: the writer must flip both.
FeatureLayer poitiers_layer() {
    FeatureLayer layer{"test", {}};
    Feature f;
    f.geometry = wkt(
        "POLYGON((497000 6615000,497000 6625000,507000 6625000,507000 6615000,497000 6615000),"
        "(500000 6618000,504000 6618000,504000 6622000,500000 6622000,500000 6618000))");
    f.properties["code"] = "86194";
    f.properties["population"] = 88776;
    f.properties["minutes"] = 12.5;
    f.properties["covered"] = true;
    f.properties["nearest"] = nullptr;
    layer.features.push_back(std::move(f));
    Feature g;
    g.geometry = wkt("POINT(497000 6615000)");
    g.properties["code"] = "86001";
    g.properties["population"] = 698;
    g.properties["minutes"] = 3;
    g.properties["covered"] = false;
    g.properties["nearest"] = "FS 12";
    layer.features.push_back(std::move(g));
    return layer;
}

double signed_area(const nlohmann::json& ring) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() - ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return a / 2;
}

}  // namespace

TEST(GeoJsonWriter, Rfc7946WindingPrecisionAndMetadata) {
    auto dir = temp_dir("geojson");
    auto path = dir / "out.geojson";
    write_geojson(path, poitiers_layer(), {{"tool", "maillage test"}, {"travel_time_source", "estimated"}});
    auto doc = nlohmann::json::parse(slurp(path));
    EXPECT_EQ(doc["metadata"]["travel_time_source"], "estimated");
    auto rings = doc["features"][0]["geometry"]["coordinates"];
    EXPECT_GT(signed_area(rings[0]), 0.0) << "outer ring must be counter-clockwise";
    EXPECT_LT(signed_area(rings[1]), 0.0) << "holes must be clockwise";
    // Poitiers is around 0.34°E 46.58°N.
    double lon = rings[0][0][0], lat = rings[0][0][1];
    EXPECT_NEAR(lon, 0.30, 0.1);
    EXPECT_NEAR(lat, 46.55, 0.1);
    std::regex too_precise(R"(\d\.\d{7,})");
    std::string text = slurp(path);
    EXPECT_FALSE(std::regex_search(text, too_precise)) << "coordinates must have at most 6 decimals";
}

TEST(GeoJsonWriter, ByteIdenticalAndReadableByGdalWithTypes) {
    auto dir = temp_dir("geojson2");
    write_geojson(dir / "a.geojson", poitiers_layer(), {{"k", 1}});
    write_geojson(dir / "b.geojson", poitiers_layer(), {{"k", 1}});
    EXPECT_EQ(slurp(dir / "a.geojson"), slurp(dir / "b.geojson"));

    ensure_gdal_initialised();
    DatasetPtr ds(static_cast<GDALDataset*>(
        GDALOpenEx((dir / "a.geojson").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
    ASSERT_TRUE(ds);
    OGRLayer* layer = ds->GetLayer(0);
    EXPECT_EQ(layer->GetFeatureCount(), 2);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("code"))->GetType(), OFTString);  // INSEE stays text
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("population"))->GetType(), OFTInteger);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("minutes"))->GetType(), OFTReal);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("covered"))->GetSubType(), OFSTBoolean);
}

TEST(GeoJsonWriter, AcceptedByIndependentValidator) {
    fs::path checker = fs::path(MAILLAGE_SOURCE_DIR) / "scripts/check-geojson.js";
    fs::path module = fs::path(MAILLAGE_SOURCE_DIR) / "node_modules/@placemarkio/check-geojson";
    ASSERT_TRUE(fs::exists(module)) << "run scripts/setup.sh (npm ci) to install the validator";
    auto dir = temp_dir("geojson3");
    write_geojson(dir / "a.geojson", poitiers_layer(), {{"k", 1}});
    std::string cmd = "node " + checker.string() + " " + (dir / "a.geojson").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    // And the validator does reject a broken ring, so the check above means something.
    std::ofstream(dir / "bad.geojson")
        << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
        << R"("geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}]})";
    cmd = "node " + checker.string() + " " + (dir / "bad.geojson").string() + " 2>/dev/null";
    EXPECT_NE(std::system(cmd.c_str()), 0);
}

TEST(GpkgWriter, TypesAndDeterminism) {
    auto dir = temp_dir("gpkg");
    auto layer = poitiers_layer();
    write_gpkg(dir / "a.gpkg", {&layer}, {{"k", 1}});
    write_gpkg(dir / "b.gpkg", {&layer}, {{"k", 1}});
    EXPECT_EQ(slurp(dir / "a.gpkg"), slurp(dir / "b.gpkg"));
    DatasetPtr ds(static_cast<GDALDataset*>(
        GDALOpenEx((dir / "a.gpkg").c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
    ASSERT_TRUE(ds);
    OGRLayer* l = ds->GetLayerByName("test");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->GetFeatureCount(), 2);
    OGRFeatureDefn* defn = l->GetLayerDefn();
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("code"))->GetType(), OFTString);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("population"))->GetType(), OFTInteger64);
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("minutes"))->GetType(), OFTReal);  // 12.5 and 3 → real
    EXPECT_EQ(defn->GetFieldDefn(defn->GetFieldIndex("covered"))->GetSubType(), OFSTBoolean);
    EXPECT_EQ(l->GetSpatialRef()->GetAuthorityCode(nullptr), std::string("4326"));
    EXPECT_EQ(fs::directory_entry(dir / "a.gpkg").exists(), true);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), {}), 2) << "no temporary left behind";
}

TEST(CsvWriter, EscapingAndFixedPrecision) {
    auto dir = temp_dir("csv");
    write_csv(dir / "a.csv", {"code", "name", "minutes"},
              {{"86194", "Poitiers, \"ville\"", csv_number(12.3456, 1)}, {"86001", "Adriers", csv_number(1.0 / 0.0, 1)}});
    EXPECT_EQ(slurp(dir / "a.csv"), "code,name,minutes\n86194,\"Poitiers, \"\"ville\"\"\",12.3\n86001,Adriers,\n");
    EXPECT_EQ(csv_number(-0.01, 1), "0.0");
}
