// The shipped road-layer mappings (geodata/road_mappings/) on small layers shaped like the
// IGN products: BD TOPO v3 as delivered in GeoPackage (long field names, 3D lines) and
// ROUTE 500. Lambert-93 coordinates, so lengths are exact and times are worked by hand.
//
//   BD TOPO fixture                      A (500000,6600000)  B (501000,6600000)
//        D                               C (502000,6600000)  D (501000,6601000)
//      / |  \                            A-B  72 km/h from vitesse_moyenne_vl: 50 s
//     /  |   \                           B→C  one way, no speed given: "Route à 1 chaussée" 65 km/h
//    A---B--->C                          C-D  speed 0 = not given: "Route à 2 chaussées" 90 km/h
//                                        D-B  36 km/h: 100 s
//   A-D "Physiquement impossible" and the C…A loop "En projet" exist but may not be used;
//   the Sentier is not a class of the mapping; the stone track at C is "Sans objet".
#include <gtest/gtest.h>

#include <cmath>

#include "network/profile.hpp"
#include "network/roads_loader.hpp"
#include "routing/travel_network.hpp"
#include "support/cli_runner.hpp"
#include "util/errors.hpp"

using namespace maillage;

namespace {
const std::filesystem::path kGeodata = std::filesystem::path(MAILLAGE_SOURCE_DIR) / "geodata";
std::string data(const std::string& f) { return std::string(MAILLAGE_TEST_DATA) + "/network/" + f; }

struct Layer {
    LoadedGraph loaded;
    std::optional<TravelNetwork> net;

    Layer(const std::string& file, const std::string& mapping) {
        loaded = load_road_layer(data(file), "", RoadMapping::load(kGeodata / "road_mappings" / mapping), load_profile("car", kGeodata));
        net.emplace(loaded);
    }
    double seconds(Point2 from, Point2 to) const {
        Attachment site = net->attach(to, "site");
        SiteSearch s = net->toward(std::span(&site, 1));
        Reach r = net->evaluate(s, net->attach(from, "point"));
        return r.reached() ? r.time.value() : INFINITY;
    }
};

constexpr Point2 A{500000, 6600000}, B{501000, 6600000}, C{502000, 6600000}, D{501000, 6601000};
constexpr double kTol = 0.005;
}  // namespace

TEST(RoadLayerMappings, BdTopoGeoPackageNames) {
    Layer l("bdtopo_v3_fixture.geojson", "bdtopo.json");
    const double bc = 1000 / (65 / 3.6), cd = std::sqrt(2.0) * 1000 / 25.0;
    EXPECT_NEAR(l.seconds(A, B), 50.0, kTol);
    EXPECT_NEAR(l.seconds(B, A), 50.0, kTol);
    EXPECT_NEAR(l.seconds(A, C), 50.0 + bc, kTol);
    EXPECT_NEAR(l.seconds(C, B), cd + 100.0, kTol);       // not against the one-way B→C
    EXPECT_NEAR(l.seconds(A, D), 50.0 + 100.0, kTol);     // not by the impossible A-D
    EXPECT_NEAR(l.seconds(C, A), cd + 100.0 + 50.0, kTol);  // not by the loop still "En projet"
    // The stone track at C ("Sans objet") is not a road: a point at its end is 100 m from C.
    EXPECT_NEAR(l.net->attach({502100, 6600000}, "end of the track").distance.value(), 100.0, 1e-6);
    const auto& stats = l.loaded.stats;
    EXPECT_EQ(stats["speed_from_field"], 2);  // A-B and D-B; C-D says 0, B-C nothing
    EXPECT_EQ(stats["excluded"]["acces_vehicule_leger = Physiquement impossible"], 1);
    EXPECT_EQ(stats["excluded"]["etat_de_l_objet = En projet"], 1);
    EXPECT_EQ(stats["unmapped_classes"]["Sentier"], 1);
    ASSERT_EQ(l.loaded.info.diagnostics.warnings().size(), 1u);
    EXPECT_NE(l.loaded.info.diagnostics.warnings().front().text().find("field 'nature': 1 roads of class 'Sentier' not in the mapping"),
              std::string::npos)
        << l.loaded.info.diagnostics.warnings().front().text();
}

TEST(RoadLayerMappings, Route500) {
    // A-B "Liaison régionale" 70 km/h both ways; B→D "Type autoroutier" one way at 120;
    // A-D "Liaison locale" 55 km/h, drawn A→D but "Sens inverse": D→A only.
    Layer l("route500_fixture.geojson", "route500.json");
    const double ab = 1000 / (70 / 3.6), bd = 1000 / (120 / 3.6), da = std::sqrt(2.0) * 1000 / (55 / 3.6);
    EXPECT_NEAR(l.seconds(A, D), ab + bd, kTol);
    EXPECT_NEAR(l.seconds(D, A), da, kTol);
    EXPECT_NEAR(l.seconds(D, B), da + ab, kTol);
    EXPECT_NEAR(l.seconds(B, A), ab, kTol);
    EXPECT_TRUE(l.loaded.info.diagnostics.warnings().empty());
}

TEST(RoadLayerMappings, BadMappingsNameTheFileAndKey) {
    auto dir = maillage::testing::fresh_dir("bad_mappings");
    auto expect_error = [&](const std::string& json, const std::string& expected) {
        maillage::testing::write_text(dir / "m.json", json);
        try {
            (void)RoadMapping::load(dir / "m.json");
            ADD_FAILURE() << "expected an InputError for " << json;
        } catch (const InputError& e) {
            std::string what = e.what();
            EXPECT_NE(what.find("m.json"), std::string::npos) << what;
            EXPECT_NE(what.find(expected), std::string::npos) << what;
        }
    };
    expect_error(R"({"speeds_kmh":{"Route":50}})", "class_field");
    expect_error(R"({"class_field":"NATURE","speeds_kmh":{}})", "speeds_kmh");
    expect_error(R"({"class_field":"NATURE","speeds_kmh":{"Route":-50}})", "invalid speed -50");
    expect_error(R"({"class_field":[],"speeds_kmh":{"Route":50}})", "not a field name");
    expect_error(R"({"class_field":"NATURE","speeds_kmh":{"Route":50},"default_direction":"sideways"})", "invalid direction 'sideways'");
    expect_error(R"({"class_field":"NATURE","speeds_kmh":{"Route":50},"exclude":[{"field":"ACCES_VL"}]})", "/exclude/0");
    expect_error(R"({"class_field":"NATURE","speeds_kmh":{"Route":50},"speedfield":"VIT"})", "speedfield");

    // A negative speed in the speed field: the feature and the field are named.
    maillage::testing::write_text(dir / "negative.geojson",
                                  R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::2154"}},)"
                                  R"("features":[{"type":"Feature","properties":{"cleabs":"TRONROUT1","nature":"Route à 1 chaussée",)"
                                  R"("sens_de_circulation":"Double sens","vitesse_moyenne_vl":-30,"acces_vehicule_leger":"Libre",)"
                                  R"("etat_de_l_objet":"En service"},"geometry":{"type":"LineString","coordinates":[[0,0],[100,0]]}}]})");
    try {
        (void)load_road_layer(dir / "negative.geojson", "", RoadMapping::load(kGeodata / "road_mappings/bdtopo.json"),
                              load_profile("car", kGeodata));
        ADD_FAILURE() << "expected an InputError";
    } catch (const InputError& e) {
        std::string what = e.what();
        EXPECT_NE(what.find("negative.geojson"), std::string::npos) << what;
        EXPECT_NE(what.find("field 'vitesse_moyenne_vl': invalid speed '-30'"), std::string::npos) << what;
    }

    // A layer without the mapping's speed field: the error names the alternatives.
    maillage::testing::write_text(dir / "speed.json", R"({"class_field":"VOCATION","speeds_kmh":{"Liaison locale":50},"speed_field":["VIT_MOY_VL","vitesse_moyenne_vl"]})");
    try {
        (void)load_road_layer(data("route500_fixture.geojson"), "", RoadMapping::load(dir / "speed.json"), load_profile("car", kGeodata));
        ADD_FAILURE() << "expected an InputError";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("a field named VIT_MOY_VL or vitesse_moyenne_vl"), std::string::npos) << e.what();
    }
}
