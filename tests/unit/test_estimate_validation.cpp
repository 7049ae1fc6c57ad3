// The ESTIMATED network against what is real here (docs/ESTIMATE.md):
//  - the routed OSM car times between the municipalities of the Liechtenstein, Andorra and
//    Monaco extracts, each municipality at its main OSM place node, the estimate applied to
//    the same points with the same parameters as Vienne (geodata/estimate_parameters.json);
//  - typical Vienne driving times between towns (geodata/estimate_validation_vienne.csv,
//    approximate, sourced row by row), the estimate between the communes' points as every
//    Vienne output computes it.
// Asserted against the bounds documented in docs/ESTIMATE.md: median estimate / reference and
// the share of pairs within ±25 %, on trips of 5 to 60 minutes. Also: a point routed to itself,
// the uncertainty in the provenance, and bad parameter files (exit 3 naming the field).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>

#include <cpl_error.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>

#include "coverage/coverage.hpp"
#include "coverage/demand.hpp"
#include "geo/crs.hpp"
#include "geo/ogr_ptr.hpp"
#include "network/estimated_network.hpp"
#include "network/network_spec.hpp"
#include "network/osm_loader.hpp"
#include "presets/vienne_preset.hpp"
#include "routing/matrix.hpp"
#include "support/square_communes.hpp"
#include "territory/osm_admin_reader.hpp"
#include "territory/territory_loader.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

fs::path geodata() { return fs::path(MAILLAGE_SOURCE_DIR) / "geodata"; }
fs::path extract(const std::string& name) { return fs::path(MAILLAGE_GEODATA_CACHE) / "osm" / name; }

const EstimateParameters& parameters() {
    static EstimateParameters p = EstimateParameters::load(geodata() / "estimate_parameters.json");
    return p;
}

double minutes_between(const TravelNetwork& net, Point2 from, Point2 to) {
    Attachment a = net.attach(from, "from"), b = net.attach(to, "to");
    SiteSearch s = net.from(std::span(&a, 1));
    return to_minutes(net.evaluate(s, b).time);
}

struct Pair {
    std::string from, to;
    double reference = 0, estimate = 0;  // minutes
    bool fit = false;                    // used to choose the parameters
};

struct Summary {
    std::size_t pairs = 0;    // with a reference of 5 to 60 minutes
    double median = 0;        // of estimate / reference
    double within_25 = 0;     // share of pairs with 0.75 <= ratio <= 1.25
};

Summary summarise(const std::vector<Pair>& pairs) {
    std::vector<double> r;
    for (const auto& p : pairs)
        if (p.reference >= 5 && p.reference <= 60) r.push_back(p.estimate / p.reference);
    Summary s;
    s.pairs = r.size();
    if (r.empty()) return s;
    std::sort(r.begin(), r.end());
    s.median = r.size() % 2 ? r[r.size() / 2] : (r[r.size() / 2 - 1] + r[r.size() / 2]) / 2;
    s.within_25 = static_cast<double>(std::count_if(r.begin(), r.end(), [](double x) { return x >= 0.75 && x <= 1.25; })) /
                  static_cast<double>(r.size());
    return s;
}

void print(const char* set, const Summary& s) {
    std::printf("[estimate validation] %-22s %3zu pairs of 5-60 min: median ratio %.3f, %.1f %% within ±25 %%\n", set,
                s.pairs, s.median, 100 * s.within_25);
}

// Municipalities of an OSM extract (its admin boundaries), each placed at its main place node
// (place=city/town/village inside the boundary: the one named like the municipality, else the
// highest rank): where people live and where a route planner starts, on both networks.
Territory osm_municipalities(const fs::path& pbf, int admin_level) {
    Diagnostics d;
    auto communes = read_osm_communes(pbf, admin_level, d);
    struct Place {
        std::string name;
        int rank;
        Point2 position;
    };
    std::vector<Place> places;
    ensure_gdal_initialised();
    CPLPushErrorHandler(CPLQuietErrorHandler);  // the OSM driver's notes on other layers' rings
    const char* drivers[] = {"OSM", nullptr};
    GDALDatasetUniquePtr ds(GDALDataset::Open(pbf.c_str(), GDAL_OF_VECTOR, drivers));
    if (ds) {
        OGRLayer* layer = ds->GetLayerByName("points");
        layer->SetAttributeFilter("place IN ('city','town','village')");
        for (auto& f : *layer) {
            const OGRPoint* p = f->GetGeometryRef()->toPoint();
            std::string place = f->GetFieldAsString("place");
            places.push_back({f->GetFieldAsString("name"), place == "city" ? 3 : place == "town" ? 2 : 1,
                              lonlat_to_lambert93({p->getX(), p->getY()})});
        }
    }
    CPLPopErrorHandler();
    Territory t;
    for (auto& c : communes) {
        const Place* best = nullptr;
        int best_rank = -1;
        for (const auto& p : places) {
            OGRPoint q(p.position.x, p.position.y);
            if (!c.geometry->Contains(&q)) continue;
            int rank = (p.name == c.name ? 10 : 0) + p.rank;
            if (rank > best_rank) best_rank = rank, best = &p;
        }
        if (!best) continue;  // a boundary without a settlement (Monaco's neighbours at level 8 all have one)
        c.representative = best->position;
        t.communes.push_back(std::move(c));
    }
    return t;
}

std::vector<Pair> osm_pairs(const std::string& file, int admin_level) {
    Territory t = osm_municipalities(extract(file), admin_level);
    TravelNetwork routed(load_osm(extract(file), load_profile("car", geodata())));
    TravelNetwork estimated(build_estimated_network(t, parameters()));
    std::vector<Pair> out;
    for (const auto& a : t.communes)
        for (const auto& b : t.communes) {
            if (&a == &b) continue;
            out.push_back({a.name, b.name, minutes_between(routed, a.representative, b.representative),
                           minutes_between(estimated, a.representative, b.representative)});
        }
    return out;
}

const Territory& vienne() {
    static Territory t = load_territory(presets::vienne_territory(geodata()));
    return t;
}

std::vector<Pair> vienne_pairs() {
    const Territory& t = vienne();
    NetworkOptions o;
    o.territory = &t;
    o.geodata_dir = geodata();
    Provenance prov;
    TravelNetwork net = open_network(NetworkSpec::parse("estimated:default"), o, prov);
    CsvTable csv = CsvTable::read(geodata() / "estimate_validation_vienne.csv");
    const auto from = csv.require_column({"from_insee"}), to = csv.require_column({"to_insee"});
    const auto from_name = csv.require_column({"from_name"}), to_name = csv.require_column({"to_name"});
    const auto minutes = csv.require_column({"minutes"}), used = csv.require_column({"used_for"});
    std::vector<Pair> out;
    for (const auto& row : csv.rows()) {
        auto a = t.find_commune(row.cells[from]), b = t.find_commune(row.cells[to]);
        EXPECT_TRUE(a && b) << "line " << row.line;
        if (!a || !b) continue;
        EXPECT_EQ(t.communes[*a].name, row.cells[from_name]) << "line " << row.line;
        EXPECT_EQ(t.communes[*b].name, row.cells[to_name]) << "line " << row.line;
        out.push_back({row.cells[from_name], row.cells[to_name], parse_number(row.cells[minutes], csv.file(), row.line, "minutes"),
                       minutes_between(net, t.communes[*a].representative, t.communes[*b].representative),
                       row.cells[used] == "fit"});
    }
    return out;
}

}  // namespace

// docs/ESTIMATE.md, "Validation": target met (median 0.9-1.1, 80 % within ±25 %).
TEST(EstimateValidation, LiechtensteinRoutedOsmTimes) {
    auto pairs = osm_pairs("liechtenstein-latest.osm.pbf", 8);
    ASSERT_EQ(pairs.size(), 11u * 10u);  // 11 municipalities, every ordered pair
    Summary s = summarise(pairs);
    print("Liechtenstein (OSM)", s);
    EXPECT_EQ(s.pairs, 91u);
    EXPECT_GE(s.median, 0.9);
    EXPECT_LE(s.median, 1.1);
    EXPECT_GE(s.within_25, 0.80);
}

// Held out. Target not met, documented as a known bias: parishes on one valley road that OSM
// drives at free-flow speed; the estimate is slower (median 1.31).
TEST(EstimateValidation, AndorraRoutedOsmTimes) {
    auto pairs = osm_pairs("andorra.osm.pbf", 7);
    ASSERT_EQ(pairs.size(), 6u * 5u);  // 6 parishes with a boundary in the extract (not Canillo)
    Summary s = summarise(pairs);
    print("Andorra (OSM)", s);
    EXPECT_EQ(s.pairs, 24u);
    EXPECT_GE(s.median, 1.2);
    EXPECT_LE(s.median, 1.4);
    EXPECT_GE(s.within_25, 0.30);
}

// Held out. Target not met, documented: short trips up hairpin roads (La Turbie is 450 m above
// Monaco); the estimate is faster (median 0.68).
TEST(EstimateValidation, MonacoRoutedOsmTimes) {
    auto pairs = osm_pairs("monaco.osm.pbf", 8);
    ASSERT_EQ(pairs.size(), 4u * 3u);  // Monaco, Beausoleil, Cap-d'Ail, La Turbie
    Summary s = summarise(pairs);
    print("Monaco (OSM)", s);
    EXPECT_EQ(s.pairs, 9u);
    EXPECT_GE(s.median, 0.6);
    EXPECT_LE(s.median, 0.8);
}

// Target met on all rows and on the held-out half alone. The old contiguity estimate gave a
// median of 1.47 here (Poitiers -> Châtellerault 53 min).
TEST(EstimateValidation, VienneTypicalDrivingTimes) {
    auto pairs = vienne_pairs();
    ASSERT_EQ(pairs.size(), 26u);
    Summary all = summarise(pairs);
    std::vector<Pair> check;
    for (const auto& p : pairs)
        if (!p.fit) check.push_back(p);
    Summary held_out = summarise(check);
    print("Vienne (all)", all);
    print("Vienne (held out)", held_out);
    EXPECT_EQ(all.pairs, 26u);
    EXPECT_EQ(held_out.pairs, 13u);
    for (const Summary& s : {all, held_out}) {
        EXPECT_GE(s.median, 0.9);
        EXPECT_LE(s.median, 1.1);
        EXPECT_GE(s.within_25, 0.80);
    }
    // The headline pair of issue 12: 35 min by car, 53 min on the old estimate.
    auto pc = std::find_if(pairs.begin(), pairs.end(), [](const Pair& p) { return p.to == "Châtellerault" && p.from == "Poitiers"; });
    ASSERT_NE(pc, pairs.end());
    EXPECT_NEAR(pc->estimate, 35.0, 35.0 * 0.25);
}

TEST(EstimateValidation, UncertaintyTravelsWithEveryOutput) {
    NetworkOptions o;
    o.territory = &vienne();
    o.geodata_dir = geodata();
    Provenance prov;
    TravelNetwork net = open_network(NetworkSpec::parse("estimated:default"), o, prov);
    const std::string& u = net.info().travel_time_uncertainty;
    EXPECT_EQ(u, parameters().travel_time_uncertainty);
    EXPECT_NE(u.find("±25 % on 80 % of trips"), std::string::npos) << u;
    auto j = prov.to_json();
    EXPECT_EQ(j["parameters"]["travel_time_uncertainty"], u);
    EXPECT_EQ(j["parameters"]["network"]["travel_time_uncertainty"], u);
    EXPECT_EQ(j["travel_time_source"], "estimated");
    // A complete graph between the 265 communes.
    EXPECT_EQ(net.graph().node_count(), 265u);
    EXPECT_EQ(net.graph().edge_count(), 265u * 264u);
}

TEST(EstimateModel, SpeedGrowsWithTripLengthAndTimeWithDistance) {
    const EstimateParameters& p = parameters();
    EXPECT_NEAR(to_kmh(p.speed(Metres(500))), p.short_trip_speed_kmh, 1e-9);
    EXPECT_NEAR(to_kmh(p.speed(Metres(100000))), p.long_trip_speed_kmh, 1e-9);
    // Log-linear in between: halfway in log distance, halfway in speed.
    double mid = std::sqrt(p.short_trip_km * p.long_trip_km) * 1000;
    EXPECT_NEAR(to_kmh(p.speed(Metres(mid))), (p.short_trip_speed_kmh + p.long_trip_speed_kmh) / 2, 1e-9);
    // 10 km crow-fly: 13 km of road at 40 + 40 ln(10) / ln(40) = 64.97 km/h.
    EXPECT_NEAR(p.drive_time(Metres(10000)).value(), 13.0 / (40 + 40 * std::log(10.0) / std::log(40.0)) * 3600, 1e-6);
    // Longer always takes longer, and never more than two shorter trips end to end.
    for (double d = 100; d < 150000; d *= 1.1) {
        EXPECT_GT(p.drive_time(Metres(d * 1.1)).value(), p.drive_time(Metres(d)).value()) << d;
        EXPECT_LE(p.drive_time(Metres(2 * d)).value(), 2 * p.drive_time(Metres(d)).value() + 1e-9) << d;
    }
}

// A point routed to itself gets its own access once, not once per end; a site and a point
// of the same commune get the off-network legs and the intra-commune spread once.
TEST(EstimateModel, SelfRoutingAndSameCommune) {
    fs::path dir = fresh_dir("estimate_self");
    write_text(dir / "communes.geojson", squares_geojson(three_in_a_row()));
    TerritorySources src;
    src.communes = dir / "communes.geojson";
    Territory t = load_territory(src);
    EstimateParameters p = EstimateParameters::load(fs::path(MAILLAGE_TEST_DATA) / "coverage/round_parameters.json");
    p.end_penalty_s = 15;
    p.intra_commune_spread_factor = 0.1;
    TravelNetwork net(build_estimated_network(t, p));
    // Per end: 15 s + 0.1 R at 60 km/h (detour 1), R = sqrt(4 km² / π).
    const double c = 15 + 0.1 * std::sqrt(4e6 / std::numbers::pi) / (60 / 3.6);
    const Point2 a = t.communes[0].representative, b = t.communes[1].representative;
    const Point2 east{a.x + 500, a.y};  // 500 m from A's point, still nearest to it
    Attachment pa = net.attach(a, "A"), pe = net.attach(east, "east"), pb = net.attach(b, "B");
    EXPECT_NEAR(pa.access.value(), c, 1e-9);
    EXPECT_NEAR(pe.access.value(), 30 + c, 1e-9);  // 500 m at 60 km/h
    auto m = compute_matrix(net, {pa, pe, pb}, {pa, pe, pb}, 1);
    EXPECT_NEAR(m.at(0, 0).value(), c, 1e-3);            // to itself: c once, not 2c
    EXPECT_NEAR(m.at(1, 1).value(), 60 + c, 1e-3);       // its two legs, c once
    EXPECT_NEAR(m.at(0, 1).value(), 30 + c, 1e-3);       // same commune: legs + c once
    EXPECT_NEAR(m.at(1, 0).value(), 30 + c, 1e-3);
    EXPECT_NEAR(m.at(0, 2).value(), c + 120 + c, 1e-3);  // two communes: c at each end
    EXPECT_NEAR(m.at(1, 2).value(), 30 + c + 120 + c, 1e-3);
    // Coverage reads the same: a site 500 m east of A's point, demand at the communes' points.
    ServiceSite site;
    site.id = "S";
    site.name = "S";
    site.category = "france_services";
    site.position = east;
    auto demand = build_demand(t, {});
    auto result = compute_coverage(net, demand, {&site});
    EXPECT_NEAR(result.units[0].time.value(), 30 + c, 1e-3);
    EXPECT_NEAR(result.units[1].time.value(), 30 + c + 120 + c, 1e-3);
}

namespace {

struct BadParameters {
    fs::path dir, communes, params;
    explicit BadParameters(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        params = dir / "params.json";
        write_text(communes, squares_geojson(three_in_a_row()));
    }
    // The shipped parameters with one change.
    CliResult run(const std::function<void(nlohmann::json&)>& change) const {
        auto j = nlohmann::json::parse(read_text(geodata() / "estimate_parameters.json"));
        change(j);
        write_text(params, j.dump(2));
        return run_cli("info --communes " + communes.string() + " --network estimated:" + params.string());
    }
};

void expect_refused(const CliResult& r, const std::string& file, const std::vector<std::string>& parts) {
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
    for (const auto& p : parts) EXPECT_NE(r.err.find(p), std::string::npos) << "missing '" << p << "' in: " << r.err;
}

}  // namespace

TEST(EstimateParametersBadInput, ShippedFileLoads) {
    BadParameters f("estimate_good");
    auto r = f.run([](nlohmann::json&) {});
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(EstimateParametersBadInput, SpeedZero) {
    BadParameters f("estimate_speed0");
    expect_refused(f.run([](nlohmann::json& j) { j["short_trip_speed_kmh"]["value"] = 0; }), f.params.string(),
                   {"/short_trip_speed_kmh/value", "field 'short_trip_speed_kmh'", "out of range: 0", "(0, 130]"});
}

TEST(EstimateParametersBadInput, Speed150) {
    BadParameters f("estimate_speed150");
    expect_refused(f.run([](nlohmann::json& j) { j["long_trip_speed_kmh"]["value"] = 150; }), f.params.string(),
                   {"/long_trip_speed_kmh/value", "field 'long_trip_speed_kmh'", "out of range: 150"});
}

TEST(EstimateParametersBadInput, DetourBelowOne) {
    BadParameters f("estimate_detour");
    expect_refused(f.run([](nlohmann::json& j) { j["detour_factor"]["value"] = 0.9; }), f.params.string(),
                   {"/detour_factor/value", "field 'detour_factor'", "out of range: 0.9", "shorter than a straight line"});
}

TEST(EstimateParametersBadInput, MissingKey) {
    BadParameters f("estimate_missing");
    expect_refused(f.run([](nlohmann::json& j) { j.erase("end_penalty_s"); }), f.params.string(),
                   {"/end_penalty_s", "field 'end_penalty_s'", "missing key"});
    expect_refused(f.run([](nlohmann::json& j) { j["intra_commune_spread_factor"].erase("source"); }), f.params.string(),
                   {"/intra_commune_spread_factor/source", "no source"});
}

TEST(EstimateParametersBadInput, InconsistentSpeeds) {
    BadParameters f("estimate_speeds");
    // Long trips slower than short ones.
    expect_refused(f.run([](nlohmann::json& j) { j["long_trip_speed_kmh"]["value"] = 30; }), f.params.string(),
                   {"field 'long_trip_speed_kmh'", "slower than short_trip_speed_kmh"});
    // 10 -> 130 km/h between 1 and 2 km: a 2 km trip would be quicker than a 1 km one.
    expect_refused(f.run([](nlohmann::json& j) {
                       j["short_trip_speed_kmh"]["value"] = 10;
                       j["long_trip_speed_kmh"]["value"] = 130;
                       j["long_trip_km"]["value"] = 2;
                   }),
                   f.params.string(), {"field 'long_trip_speed_kmh'", "would take less time"});
    expect_refused(f.run([](nlohmann::json& j) { j["intra_commune_spread_factor"]["value"] = 1.5; }), f.params.string(),
                   {"field 'intra_commune_spread_factor'", "out of range: 1.5"});
    expect_refused(f.run([](nlohmann::json& j) { j["short_trip_speed_kmh"]["value"] = "fast"; }), f.params.string(),
                   {"field 'short_trip_speed_kmh'", "not a number"});
}
