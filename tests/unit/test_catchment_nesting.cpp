// Catchment bands strictly nested and valid in the WRITTEN files (issue 12 part 3): the
// GeoJSON (WGS84 rounded to 1e-6°) and the GeoPackage are read back with GDAL/OGR alone and
// checked with GEOS (OGR's IsValid / Within): every polygon valid; per site, band k within
// band k+1; covered k within covered k+1; not_covered k+1 within not_covered k. On the
// Vienne default (estimated network), on a small study with slanted borders, and on
// hand-made layers that only the writers' rebuild on the output grid can make nested.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "geo/ogr_ptr.hpp"
#include "output/geojson_writer.hpp"
#include "output/gpkg_writer.hpp"
#include "output/nested_layers.hpp"
#include "support/cli_runner.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

// ---- The check: GDAL/OGR + GEOS only, nothing of maillage ----------------------------

struct NestingReport {
    int features = 0;    // with a geometry
    int invalid = 0;
    int pairs = 0;       // consecutive (smaller, larger) pairs checked
    int not_within = 0;
    std::vector<std::string> failures;
};

// Layer `layer` of `path`: features grouped by site_id (when the layer has it), ordered by
// band_minutes; `grows`: the polygon grows with the band (false for not_covered).
NestingReport check_nesting(const fs::path& path, const std::string& layer, bool grows) {
    NestingReport r;
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(
        static_cast<GDALDataset*>(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!ds) {
        r.failures.push_back("cannot open " + path.string());
        return r;
    }
    OGRLayer* l = ds->GetLayerByName(layer.c_str());
    if (!l && ds->GetLayerCount() == 1) l = ds->GetLayer(0);
    if (!l) {
        r.failures.push_back("no layer " + layer);
        return r;
    }
    std::map<std::string, std::map<double, std::unique_ptr<OGRGeometry>>> families;
    l->ResetReading();
    for (auto& f : *l) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        ++r.features;
        const int site = f->GetFieldIndex("site_id");
        const std::string key = site >= 0 ? f->GetFieldAsString(site) : "";
        const double band = f->GetFieldAsDouble("band_minutes");
        if (!g->IsValid()) {
            ++r.invalid;
            r.failures.push_back(layer + " " + key + " " + std::to_string(band) + ": invalid");
        }
        families[key][band].reset(g->clone());
    }
    for (const auto& [key, bands] : families) {
        const OGRGeometry* previous = nullptr;
        double previous_band = 0;
        for (const auto& [band, g] : bands) {
            if (previous) {
                ++r.pairs;
                const bool ok = grows ? previous->Within(g.get()) : g->Within(previous);
                if (!ok) {
                    ++r.not_within;
                    char buf[160];
                    std::snprintf(buf, sizeof buf, "%s %s: %g / %g not nested", layer.c_str(), key.c_str(), previous_band,
                                  band);
                    r.failures.push_back(buf);
                }
            }
            previous = g.get();
            previous_band = band;
        }
    }
    return r;
}

std::string first_failures(const NestingReport& r) {
    std::string s;
    for (std::size_t i = 0; i < r.failures.size() && i < 5; ++i) s += r.failures[i] + "\n";
    return s;
}

// Every catchment layer of an output directory: the three GeoJSON files and the GeoPackage.
struct OutputCheck {
    NestingReport catchments_json, covered_json, not_covered_json, catchments_gpkg, covered_gpkg, not_covered_gpkg;
};

OutputCheck check_outputs(const fs::path& dir) {
    OutputCheck c;
    c.catchments_json = check_nesting(dir / "catchments.geojson", "catchments", true);
    c.covered_json = check_nesting(dir / "covered.geojson", "covered", true);
    c.not_covered_json = check_nesting(dir / "not_covered.geojson", "not_covered", false);
    c.catchments_gpkg = check_nesting(dir / "coverage.gpkg", "catchments", true);
    c.covered_gpkg = check_nesting(dir / "coverage.gpkg", "covered", true);
    c.not_covered_gpkg = check_nesting(dir / "coverage.gpkg", "not_covered", false);
    return c;
}

void expect_nested_and_valid(const NestingReport& r, const std::string& what) {
    EXPECT_TRUE(r.failures.empty()) << what << ":\n" << first_failures(r);
    EXPECT_EQ(r.invalid, 0) << what;
    EXPECT_EQ(r.not_within, 0) << what;
}

void expect_all_nested(const OutputCheck& c) {
    expect_nested_and_valid(c.catchments_json, "catchments.geojson");
    expect_nested_and_valid(c.covered_json, "covered.geojson");
    expect_nested_and_valid(c.not_covered_json, "not_covered.geojson");
    expect_nested_and_valid(c.catchments_gpkg, "coverage.gpkg catchments");
    expect_nested_and_valid(c.covered_gpkg, "coverage.gpkg covered");
    expect_nested_and_valid(c.not_covered_gpkg, "coverage.gpkg not_covered");
    // Both formats hold the same features.
    EXPECT_EQ(c.catchments_json.features, c.catchments_gpkg.features);
    EXPECT_EQ(c.catchments_json.pairs, c.catchments_gpkg.pairs);
    EXPECT_EQ(c.covered_json.pairs, c.covered_gpkg.pairs);
    EXPECT_EQ(c.not_covered_json.pairs, c.not_covered_gpkg.pairs);
}

// A copy of a GeoJSON file with feature `index` moved by (dx, dy) degrees.
fs::path shifted_copy(const fs::path& from, const fs::path& to, std::size_t index, double dx, double dy) {
    auto j = nlohmann::json::parse(read_text(from));
    std::function<void(nlohmann::json&)> shift = [&](nlohmann::json& c) {
        if (c.is_array() && c.size() == 2 && c[0].is_number()) {
            c[0] = c[0].get<double>() + dx;
            c[1] = c[1].get<double>() + dy;
        } else if (c.is_array()) {
            for (auto& x : c) shift(x);
        }
    };
    shift(j["features"][index]["geometry"]["coordinates"]);
    write_text(to, j.dump());
    return to;
}

std::size_t feature_with_band(const fs::path& geojson, double band) {
    auto j = nlohmann::json::parse(read_text(geojson));
    for (std::size_t i = 0; i < j["features"].size(); ++i)
        if (j["features"][i]["properties"]["band_minutes"].get<double>() == band) return i;
    ADD_FAILURE() << "no band " << band << " in " << geojson;
    return 0;
}

void expect_same_bytes(const fs::path& a, const fs::path& b) {
    for (const char* name : {"catchments.geojson", "covered.geojson", "not_covered.geojson", "coverage.gpkg"})
        EXPECT_TRUE(read_text(a / name) == read_text(b / name)) << name << " differs between two runs";
}

// ---- A small study with slanted borders ----------------------------------------------

// Three communes (Lambert-93) whose borders cut the 100 m grid at odd angles, two sites.
struct SlantedStudy {
    fs::path dir, communes, sites;
    explicit SlantedStudy(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        sites = dir / "sites.csv";
        const std::vector<std::pair<std::string, std::string>> polygons = {
            {"86001", "[500000,6600000],[502300,6600700],[502900,6603100],[500600,6603900],[499500,6602100],[500000,6600000]"},
            {"86002", "[502300,6600700],[505100,6601300],[505600,6603800],[502900,6603100],[502300,6600700]"},
            {"86003", "[500600,6603900],[502900,6603100],[505600,6603800],[503700,6605900],[500900,6605400],[500600,6603900]"},
        };
        std::string s = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},"features":[)";
        for (std::size_t i = 0; i < polygons.size(); ++i) {
            nlohmann::ordered_json f = {{"type", "Feature"},
                                        {"properties",
                                         {{"code", polygons[i].first},
                                          {"nom", "Commune " + polygons[i].first},
                                          {"population", 100 * (i + 1)},
                                          {"epci_siren", "200000001"}}},
                                        {"geometry", {{"type", "Polygon"}, {"coordinates", {nlohmann::json::parse("[" + polygons[i].second + "]")}}}}};
            if (i) s += ",";
            s += f.dump();
        }
        write_text(communes, s + "]}");
        write_text(sites, "id,name,x,y\nS1,Site A,501200,6602000\nS2,Site C,503500,6604800\n");
    }
    std::string args(const fs::path& out) const {
        return "coverage --communes " + communes.string() + " --sites " + sites.string() +
               " --crs EPSG:2154 --category france_services --network estimated:" + MAILLAGE_TEST_DATA +
               "/coverage/round_parameters.json --thresholds 1,2,3,4,5 --gap-threshold 3 --cell-size 100 -o " +
               out.string();
    }
};

// ---- Hand-made layers ------------------------------------------------------------------

GeometryPtr wkt(const std::string& text) {
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(text.c_str(), nullptr, &g);
    return GeometryPtr(g);
}

Feature band_feature(GeometryPtr g, double band, const std::string& site = "") {
    Feature f;
    if (!site.empty()) f.properties["site_id"] = site;
    f.properties["band_minutes"] = band;
    f.geometry = std::move(g);
    return f;
}

// Near Poitiers: a slanted study border, and grid-like contours cut by it separately (the
// bug of issue 12: each band clipped on its own leaves slivers centimetres wide).
FeatureLayer separately_clipped(const std::string& name) {
    const GeometryPtr area = wkt("POLYGON((496000 6600000,503000 6600000,503000 6603000,496000 6606370.123,496000 6600000))");
    FeatureLayer layer{name, {}};
    const double x0 = 497000, y0 = 6601000;
    for (int k = 1; k <= 4; ++k) {
        const double s = 1000.0 * k;
        char buf[256];
        std::snprintf(buf, sizeof buf, "POLYGON((%f %f,%f %f,%f %f,%f %f,%f %f))", x0, y0, x0 + s, y0, x0 + s, y0 + s + 700,
                      x0, y0 + s + 700, x0, y0);
        GeometryPtr clipped(wkt(buf)->Intersection(area.get()));
        layer.features.push_back(band_feature(std::move(clipped), 10.0 * k, name == "catchments" ? "S1" : ""));
    }
    return layer;
}

}  // namespace

// The real default: France Services on the estimated network over the whole Vienne.
TEST(CatchmentNesting, VienneFranceServicesWrittenFilesAreNestedAndValid) {
    fs::path out = fresh_dir("nest_vienne");
    auto r = run_cli("coverage --category france_services -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    OutputCheck c = check_outputs(out);
    expect_all_nested(c);
    // Real counts: a catchment per site and band reaching the area, most sites with all
    // five bands; one covered / not_covered polygon per band (10, 15, 20, 30, 45 min).
    EXPECT_GT(c.catchments_json.features, 150);
    EXPECT_GT(c.catchments_json.pairs, 100);
    EXPECT_EQ(c.covered_json.features, 5);
    EXPECT_EQ(c.covered_json.pairs, 4);
    EXPECT_EQ(c.not_covered_json.pairs, c.not_covered_json.features - 1);

    // The check can fail: a covered band moved by 1e-6° (the GeoJSON grid) leaves the next
    // band where they share the study border, east or west.
    const fs::path covered = out / "covered.geojson";
    const std::size_t band30 = feature_with_band(covered, 30);
    for (double dx : {1e-6, -1e-6}) {
        NestingReport moved = check_nesting(shifted_copy(covered, out / "moved.geojson", band30, dx, 0), "covered", true);
        EXPECT_EQ(moved.invalid, 0);
        EXPECT_GE(moved.not_within, 1) << "a 30-min polygon moved by " << dx << "° still passes";
    }
    // And a not_covered band moved likewise is caught too (the order is the other way).
    const fs::path rest = out / "not_covered.geojson";
    NestingReport moved = check_nesting(shifted_copy(rest, out / "moved.geojson", feature_with_band(rest, 20), 1e-6, 1e-6),
                                        "not_covered", false);
    EXPECT_GE(moved.not_within, 1);
    fs::remove(out / "moved.geojson");

    // Same input, byte-identical files.
    fs::path again = fresh_dir("nest_vienne_again");
    ASSERT_EQ(run_cli("coverage --category france_services -o " + again.string()).exit_code, 0);
    expect_same_bytes(out, again);
}

// Slanted borders cut every band: the clipped parts are where separate clipping and rounding
// used to break the nesting.
TEST(CatchmentNesting, SlantedFixtureWrittenFilesAreNestedAndValid) {
    SlantedStudy study("nest_slanted");
    const fs::path out = study.dir / "out";
    auto r = run_cli(study.args(out));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    OutputCheck c = check_outputs(out);
    expect_all_nested(c);
    // Two sites, five bands; every band of every site reaches some cell.
    EXPECT_EQ(c.catchments_json.features, 10);
    EXPECT_EQ(c.catchments_json.pairs, 8);
    EXPECT_EQ(c.covered_json.pairs, 4);
    EXPECT_EQ(c.not_covered_json.pairs, 4);
    // The bands meet the slanted borders (else this fixture would test nothing: clipped
    // separately, they were not nested here): something lies beyond 2 min, and the 2-min
    // covered area is more than a few cells.
    auto covered = nlohmann::json::parse(read_text(out / "covered.geojson"));
    auto rest = nlohmann::json::parse(read_text(out / "not_covered.geojson"));
    EXPECT_TRUE(rest["features"][1]["geometry"].is_object());  // something beyond 2 min
    EXPECT_GT(covered["features"][1]["properties"]["area_km2"].get<double>(), 0.5);

    const fs::path again = study.dir / "again";
    ASSERT_EQ(run_cli(study.args(again)).exit_code, 0);
    expect_same_bytes(out, again);
}

// Layers made the old way (each band clipped on its own, floating point): the writers see
// that rounding vertex by vertex could break them and rebuild them on their output grid.
TEST(CatchmentNesting, WritersRebuildFamiliesThatRoundingWouldBreak) {
    ensure_gdal_initialised();
    FeatureLayer catchments = separately_clipped("catchments");
    FeatureLayer covered = separately_clipped("covered");
    std::vector<const OGRGeometry*> family;
    for (const auto& f : covered.features) family.push_back(f.geometry.get());
    EXPECT_FALSE(rounding_keeps_topology(family, 0.08));
    ASSERT_NE(nested_layer_rule(covered), nullptr);

    // not_covered: the same polygons in the other order (a larger band, a smaller polygon).
    FeatureLayer not_covered{"not_covered", {}};
    for (auto& f : separately_clipped("not_covered").features) {
        f.properties["band_minutes"] = 100.0 - f.properties["band_minutes"].get<double>();
        not_covered.features.push_back(std::move(f));
    }

    fs::path dir = fresh_dir("nest_writers");
    const nlohmann::json metadata = {{"test", true}};
    write_geojson(dir / "catchments.geojson", catchments, metadata);
    write_geojson(dir / "covered.geojson", covered, metadata);
    write_geojson(dir / "not_covered.geojson", not_covered, metadata);
    write_gpkg(dir / "coverage.gpkg", {&catchments, &covered, &not_covered}, metadata);
    OutputCheck c = check_outputs(dir);
    expect_all_nested(c);
    EXPECT_EQ(c.catchments_json.pairs, 3);
    EXPECT_EQ(c.covered_json.pairs, 3);
    EXPECT_EQ(c.not_covered_json.pairs, 3);

    // Rebuilt polygons keep their shape (area within 0.1 %) and RFC 7946 orientation.
    auto j = nlohmann::json::parse(read_text(dir / "covered.geojson"));
    for (std::size_t i = 0; i < covered.features.size(); ++i) {
        OGRGeometry* g = nullptr;
        const std::string text = j["features"][i]["geometry"].dump();
        g = OGRGeometryFactory::createFromGeoJson(text.c_str());
        ASSERT_NE(g, nullptr);
        GeometryPtr back(g);
        GeometryPtr lambert(covered.features[i].geometry->clone());
        OGRSpatialReference l93, wgs;
        l93.importFromEPSG(2154);
        wgs.importFromEPSG(4326);
        l93.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        lambert->assignSpatialReference(&l93);
        back->assignSpatialReference(&wgs);
        ASSERT_EQ(back->transformTo(&l93), OGRERR_NONE);
        const double a = OGR_G_Area(OGRGeometry::ToHandle(lambert.get()));
        EXPECT_NEAR(OGR_G_Area(OGRGeometry::ToHandle(back.get())), a, 1e-3 * a);
        for (const auto& poly : j["features"][i]["geometry"]["coordinates"]) {
            double twice = 0;  // shoelace: outer ring counter-clockwise
            const auto& ring = poly[0];
            for (std::size_t k = 0; k + 1 < ring.size(); ++k)
                twice += ring[k][0].get<double>() * ring[k + 1][1].get<double>() - ring[k + 1][0].get<double>() * ring[k][1].get<double>();
            EXPECT_GT(twice, 0);
        }
    }

    // Deterministic: the same layers, the same bytes.
    fs::path again = fresh_dir("nest_writers_again");
    write_geojson(again / "catchments.geojson", catchments, metadata);
    write_geojson(again / "covered.geojson", covered, metadata);
    write_geojson(again / "not_covered.geojson", not_covered, metadata);
    write_gpkg(again / "coverage.gpkg", {&catchments, &covered, &not_covered}, metadata);
    expect_same_bytes(dir, again);
}

// The Lambert-93 test the writers rely on: separated boundaries pass, a vertex of one band
// on (or within centimetres of) another band's edge does not.
TEST(CatchmentNesting, RoundingCheckSeesVerticesNearEdges) {
    GeometryPtr outer = wkt("POLYGON((500000 6600000,501000 6600000,501000 6601000,500000 6601000,500000 6600000))");
    GeometryPtr inner = wkt("POLYGON((500000 6600000,500500 6600000,500500 6600500,500000 6600500,500000 6600000))");
    // Shared edges with the same vertices (the outer's bottom edge cut at 500500): passes.
    GeometryPtr outer_cut = wkt("POLYGON((500000 6600000,500500 6600000,501000 6600000,501000 6601000,500000 6601000,500000 6600000))");
    GeometryPtr outer_cut_left = wkt("POLYGON((500000 6600000,500500 6600000,501000 6600000,501000 6601000,500000 6601000,500000 6600500,500000 6600000))");
    EXPECT_TRUE(rounding_keeps_topology({inner.get(), outer_cut_left.get()}, 0.08));
    // The inner's corner lies inside the outer's uncut edges: fails.
    EXPECT_FALSE(rounding_keeps_topology({inner.get(), outer.get()}, 0.08));
    EXPECT_FALSE(rounding_keeps_topology({inner.get(), outer_cut.get()}, 0.08));
    // A vertex 5 cm from an edge fails for the GeoJSON's rounding, passes at full precision.
    GeometryPtr near = wkt("POLYGON((500100 6600100,500400 6600100,500400 6600499.95,500100 6600400,500100 6600100))");
    GeometryPtr box = wkt("POLYGON((500000 6600000,500500 6600000,500500 6600500,500000 6600500,500000 6600000))");
    EXPECT_FALSE(rounding_keeps_topology({near.get(), box.get()}, 0.08));
    EXPECT_TRUE(rounding_keeps_topology({near.get(), box.get()}, 1e-3));
}
