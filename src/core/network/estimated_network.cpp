#include "network/estimated_network.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>

#include <ogr_geometry.h>

#include "util/errors.hpp"
#include "util/json_file.hpp"

namespace maillage {

namespace {

// One parameter: {"value": ..., "rationale": "...", "source": "..."}, all three required.
const nlohmann::json& parameter_object(const nlohmann::json& j, const char* key, const std::string& file) {
    const std::string ptr = std::string("/") + key;
    auto it = j.find(key);
    if (it == j.end())
        throw InputError({file, ptr, key}, "missing key", "an object {\"value\", \"rationale\", \"source\"}");
    check_keys(*it, {"value", "rationale", "source"}, file, ptr);
    for (const char* text : {"rationale", "source"}) {
        auto t = it->find(text);
        if (t == it->end() || !t->is_string() || t->get<std::string>().empty())
            throw InputError({file, ptr + "/" + text, key}, std::string("no ") + text,
                             "a non-empty string saying where the value comes from");
    }
    return *it;
}

// The number `key`.value within [lo, hi] (bounds included unless said otherwise).
double parameter(const nlohmann::json& j, const char* key, const std::string& file, double lo, double hi,
                 bool lo_included, const char* meaning) {
    const nlohmann::json& o = parameter_object(j, key, file);
    const std::string ptr = std::string("/") + key + "/value";
    auto v = o.find("value");
    if (v == o.end()) throw InputError({file, ptr, key}, "missing key", "a number");
    if (!v->is_number()) throw InputError({file, ptr, key}, "not a number: " + v->dump(), "a number");
    double x = v->get<double>();
    bool low = lo_included ? x < lo : x <= lo;
    if (low || x > hi || !std::isfinite(x)) {
        char range[160];
        std::snprintf(range, sizeof range, "%s in %s%g, %g]", meaning, lo_included ? "[" : "(", lo, hi);
        throw InputError({file, ptr, key}, "out of range: " + v->dump(), range);
    }
    return x;
}

// Which commune polygon holds a point. Even-odd ray casting over every ring of the
// (multi)polygon, holes included; each polygon's edges are bucketed by horizontal band so a
// test reads the few edges crossing the point's band, not the whole outline (a catchment grid
// asks this for every cell). Plain arithmetic on the stored coordinates: thread-safe (no GEOS
// context) and the same answer on every machine. A point exactly on a boundary shared by two
// communes may be in either; the lowest node wins, so the answer never depends on the order
// candidates are found in.
class CommuneLocator {
public:
    void add(const OGRGeometry& g) {
        Zone z;
        g.getEnvelope(&z.env);
        std::vector<Edge> edges;
        auto ring = [&](const OGRLinearRing* r) {
            if (!r) return;
            for (int i = 0; i + 1 < r->getNumPoints(); ++i)
                edges.push_back({r->getX(i), r->getY(i), r->getX(i + 1), r->getY(i + 1)});
        };
        auto polygon = [&](const OGRPolygon* p) {
            ring(p->getExteriorRing());
            for (int i = 0; i < p->getNumInteriorRings(); ++i) ring(p->getInteriorRing(i));
        };
        const auto type = wkbFlatten(g.getGeometryType());
        if (type == wkbPolygon) polygon(g.toPolygon());
        else if (type == wkbMultiPolygon)
            for (const auto* p : *g.toMultiPolygon()) polygon(p);
        const std::size_t bands = std::clamp<std::size_t>(edges.size() / 8, 1, 4096);
        z.band_height = (z.env.MaxY - z.env.MinY) / static_cast<double>(bands);
        z.bands.resize(bands);
        for (const auto& e : edges) {
            const auto [lo, hi] = std::minmax(e.y0, e.y1);
            for (std::size_t b = band(z, lo); b <= band(z, hi); ++b) z.bands[b].push_back(e);
        }
        zones_.push_back(std::move(z));
    }

    // The first zone (lowest node) containing p.
    [[nodiscard]] std::optional<NodeId> find(Point2 p) const {
        for (std::size_t i = 0; i < zones_.size(); ++i)
            if (contains(zones_[i], p)) return static_cast<NodeId>(i);
        return std::nullopt;
    }

private:
    struct Edge {
        double x0, y0, x1, y1;
    };
    struct Zone {
        OGREnvelope env;
        double band_height = 0;
        std::vector<std::vector<Edge>> bands;
    };
    static std::size_t band(const Zone& z, double y) {
        if (!(z.band_height > 0)) return 0;
        const double b = std::floor((y - z.env.MinY) / z.band_height);
        return static_cast<std::size_t>(std::clamp(b, 0.0, static_cast<double>(z.bands.size() - 1)));
    }
    static bool contains(const Zone& z, Point2 p) {
        if (p.x < z.env.MinX || p.x > z.env.MaxX || p.y < z.env.MinY || p.y > z.env.MaxY) return false;
        bool inside = false;
        for (const Edge& e : z.bands[band(z, p.y)])
            if ((e.y0 > p.y) != (e.y1 > p.y) && p.x < e.x0 + (p.y - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0))
                inside = !inside;
        return inside;
    }
    std::vector<Zone> zones_;
};

}  // namespace

EstimateParameters EstimateParameters::load(const std::filesystem::path& path) {
    const std::string file = path.string();
    auto j = read_json_file(path);
    check_keys(j,
               {"description", "profile", "detour_factor", "short_trip_speed_kmh", "short_trip_km", "long_trip_speed_kmh",
                "long_trip_km", "end_penalty_s", "intra_commune_spread_factor", "max_snap_distance_m",
                "travel_time_uncertainty"},
               file, "");
    EstimateParameters p;
    if (auto it = j.find("profile"); it != j.end()) {
        if (!it->is_string() || it->get<std::string>().empty())
            throw InputError({file, "/profile", "profile"}, "not a name: " + it->dump(), "a non-empty string");
        p.profile = it->get<std::string>();
    }
    p.detour_factor = parameter(j, "detour_factor", file, 1.0, 3.0, true,
                                "road distance / crow-fly distance (below 1 is shorter than a straight line)");
    p.short_trip_speed_kmh = parameter(j, "short_trip_speed_kmh", file, 0, 130, false, "a speed in km/h");
    p.short_trip_km = parameter(j, "short_trip_km", file, 0, 1000, false, "a crow-fly distance in km");
    p.long_trip_speed_kmh = parameter(j, "long_trip_speed_kmh", file, 0, 130, false, "a speed in km/h");
    p.long_trip_km = parameter(j, "long_trip_km", file, 0, 1000, false, "a crow-fly distance in km");
    p.end_penalty_s = parameter(j, "end_penalty_s", file, 0, 600, true, "seconds per trip end");
    p.intra_commune_spread_factor = parameter(j, "intra_commune_spread_factor", file, 0, 1, true,
                                              "a fraction of the commune's equivalent-disc radius");
    p.max_snap_distance_m = parameter(j, "max_snap_distance_m", file, 0, 200000, false, "metres");
    if (p.long_trip_speed_kmh < p.short_trip_speed_kmh)
        throw InputError({file, "/long_trip_speed_kmh/value", "long_trip_speed_kmh"},
                         "slower than short_trip_speed_kmh: a longer trip would use slower roads",
                         "a speed >= short_trip_speed_kmh");
    if (p.long_trip_km <= p.short_trip_km)
        throw InputError({file, "/long_trip_km/value", "long_trip_km"}, "not beyond short_trip_km",
                         "a distance > short_trip_km");
    // Time d / v(d) must grow with d: v(d) > d v'(d) = (v_long - v_short) / ln(long / short).
    if (p.long_trip_speed_kmh - p.short_trip_speed_kmh >= p.short_trip_speed_kmh * std::log(p.long_trip_km / p.short_trip_km))
        throw InputError({file, "/long_trip_speed_kmh/value", "long_trip_speed_kmh"},
                         "the speed grows so fast between short_trip_km and long_trip_km that a longer trip would "
                         "take less time",
                         "long - short speed < short speed x ln(long_trip_km / short_trip_km)");
    if (auto it = j.find("travel_time_uncertainty"); it != j.end()) {
        const auto& o = parameter_object(j, "travel_time_uncertainty", file);
        auto v = o.find("value");
        if (v == o.end() || !v->is_string() || v->get<std::string>().empty())
            throw InputError({file, "/travel_time_uncertainty/value", "travel_time_uncertainty"},
                             "no statement of the measured error", "a non-empty string");
        p.travel_time_uncertainty = v->get<std::string>();
    }
    return p;
}

MetresPerSecond EstimateParameters::speed(Metres crow_fly) const {
    const double d = crow_fly.value() / 1000.0;
    double v = short_trip_speed_kmh;
    if (d >= long_trip_km) v = long_trip_speed_kmh;
    else if (d > short_trip_km)
        v = short_trip_speed_kmh +
            (long_trip_speed_kmh - short_trip_speed_kmh) * std::log(d / short_trip_km) / std::log(long_trip_km / short_trip_km);
    return kmh(v);
}

Seconds EstimateParameters::drive_time(Metres crow_fly) const {
    return Seconds(crow_fly.value() * detour_factor / speed(crow_fly).value());
}

Seconds EstimateParameters::end_access(double area_m2) const {
    const double radius = std::sqrt(std::max(area_m2, 0.0) / std::numbers::pi);
    return Seconds(end_penalty_s + intra_commune_spread_factor * radius * detour_factor / kmh(short_trip_speed_kmh).value());
}

LoadedGraph build_estimated_network(const Territory& territory, const EstimateParameters& p,
                                    const std::vector<Commune>* margin_communes) {
    // Study communes, then margin communes: every commune a node, at its representative point
    // (a point on the surface of its polygon), with the end access of its area.
    std::vector<const Commune*> communes;
    for (const auto& c : territory.communes) communes.push_back(&c);
    if (margin_communes)
        for (const auto& c : *margin_communes) communes.push_back(&c);
    const std::size_t n = communes.size();
    std::vector<Point2> nodes(n);
    std::vector<Seconds> access(n);
    auto locator = std::make_shared<CommuneLocator>();
    for (std::size_t i = 0; i < n; ++i) {
        nodes[i] = communes[i]->representative;
        access[i] = p.end_access(communes[i]->area_m2);
        if (communes[i]->geometry) locator->add(*communes[i]->geometry);
        else locator->add(OGRPolygon());  // no polygon (a hand-made territory): found by distance only
    }
    // A complete graph: every arc is the direct model, and since the speed grows with the
    // distance (d / v(d) is subadditive) no path through a third point is shorter.
    std::vector<GraphEdgeInput> edges;
    edges.reserve(n * (n > 0 ? n - 1 : 0));
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t k = 0; k < n; ++k) {
            if (i == k) continue;
            const Metres d = distance(nodes[i], nodes[k]);
            edges.push_back({static_cast<NodeId>(i), static_cast<NodeId>(k), p.drive_time(d), d * p.detour_factor, {}});
        }
    LoadedGraph out;
    out.stats = {{"nodes", n},
                 {"study_communes", territory.communes.size()},
                 {"margin_communes", margin_communes ? margin_communes->size() : 0},
                 {"edges", edges.size()},
                 {"model", "direct: complete graph between commune points"},
                 {"detour_factor", p.detour_factor},
                 {"short_trip_speed_kmh", p.short_trip_speed_kmh},
                 {"short_trip_km", p.short_trip_km},
                 {"long_trip_speed_kmh", p.long_trip_speed_kmh},
                 {"long_trip_km", p.long_trip_km},
                 {"end_penalty_s", p.end_penalty_s},
                 {"intra_commune_spread_factor", p.intra_commune_spread_factor}};
    out.graph = RoadGraph(nodes, std::move(edges));
    out.info.source = TravelTimeSource::estimated;
    out.info.profile = p.profile;
    // Short: front ends print it on one line (`maillage info`); the details are in the stats.
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "ESTIMATED network: direct times between communes, crow-fly x %.2f at %g-%g km/h by trip length "
                  "(no road network given)",
                  p.detour_factor, p.short_trip_speed_kmh, p.long_trip_speed_kmh);
    out.info.description = buf;
    out.info.travel_time_uncertainty = p.travel_time_uncertainty;
    out.snap.nodes_only = true;
    out.snap.node_access = std::move(access);
    out.snap.max_distance = Metres(p.max_snap_distance_m);
    out.snap.access_speed = kmh(p.short_trip_speed_kmh);
    out.snap.access_detour = p.detour_factor;
    out.snap.containing_node = [locator](Point2 q) { return locator->find(q); };
    if (!margin_communes)
        out.info.diagnostics.warn(
            {}, "estimated network without the communes beyond the study (no neighbouring communes layer, "
                "--neighbour-communes): sites and inhabitants beyond the edge attach to the nearest commune of the "
                "study, so times near the edge are less accurate and depend on the study's extent");
    return out;
}

}  // namespace maillage
