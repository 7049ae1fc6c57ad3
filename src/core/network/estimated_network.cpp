#include "network/estimated_network.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <ogr_api.h>

#include "util/errors.hpp"
#include "util/json_file.hpp"

namespace maillage {

EstimateParameters EstimateParameters::load(const std::filesystem::path& path) {
    const std::string file = path.string();
    auto j = read_json_file(path);
    check_keys(j, {"description", "profile", "detour_factor", "density_classes", "intra_commune",
                   "contiguity_tolerance_m", "contiguity_rationale", "max_snap_distance_m", "max_snap_rationale"},
               file, "");
    EstimateParameters p;
    if (j.contains("profile")) p.profile = j["profile"].get<std::string>();
    check_keys(j.at("detour_factor"), {"value", "rationale"}, file, "/detour_factor");
    p.detour_factor = json_number(j["detour_factor"], "value", file, "/detour_factor");
    if (p.detour_factor < 1.0)
        throw InputError({file, "/detour_factor/value", "value"}, "a detour factor below 1 is shorter than a straight line",
                         "a value >= 1");
    const auto& classes = j.at("density_classes");
    if (!classes.is_array() || classes.empty())
        throw InputError({file, "/density_classes", ""}, "no density class", "a non-empty array");
    for (std::size_t i = 0; i < classes.size(); ++i) {
        std::string ptr = "/density_classes/" + std::to_string(i);
        check_keys(classes[i], {"name", "min_density_per_km2", "speed_kmh", "rationale"}, file, ptr);
        DensityClass c;
        c.name = classes[i].value("name", "");
        c.min_density_per_km2 = json_number(classes[i], "min_density_per_km2", file, ptr, false);
        c.speed_kmh = json_number(classes[i], "speed_kmh", file, ptr);
        p.classes.push_back(c);
    }
    std::sort(p.classes.begin(), p.classes.end(),
              [](const DensityClass& a, const DensityClass& b) { return a.min_density_per_km2 > b.min_density_per_km2; });
    if (p.classes.back().min_density_per_km2 != 0)
        throw InputError({file, "/density_classes", "min_density_per_km2"}, "no class starts at density 0",
                         "one class with min_density_per_km2 = 0");
    check_keys(j.at("intra_commune"), {"rationale", "mean_pair_distance_factor"}, file, "/intra_commune");
    p.mean_pair_distance_factor = json_number(j["intra_commune"], "mean_pair_distance_factor", file, "/intra_commune", false);
    p.contiguity_tolerance_m = json_number(j, "contiguity_tolerance_m", file, "", false);
    p.max_snap_distance_m = json_number(j, "max_snap_distance_m", file, "");
    return p;
}

const DensityClass& EstimateParameters::class_of(double density) const {
    for (const auto& c : classes)
        if (density >= c.min_density_per_km2) return c;
    return classes.back();
}

LoadedGraph build_estimated_network(const Territory& territory, const EstimateParameters& p) {
    const auto& communes = territory.communes;
    const std::size_t n = communes.size();
    std::vector<Point2> nodes(n);
    std::vector<double> speed(n);       // m/s of the commune's density class
    std::vector<Seconds> intra(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Commune& c = communes[i];
        nodes[i] = c.representative;
        double km2 = c.area_m2 / 1e6;
        double density = km2 > 0 ? static_cast<double>(c.population.value_or(0)) / km2 : 0;
        speed[i] = kmh(p.class_of(density).speed_kmh).value();
        double radius = std::sqrt(c.area_m2 / std::numbers::pi);
        intra[i] = Seconds(0.5 * p.mean_pair_distance_factor * radius * p.detour_factor / speed[i]);
    }
    // Envelope pre-filter, then GEOS distance on the pairs that can touch.
    std::vector<OGREnvelope> env(n);
    for (std::size_t i = 0; i < n; ++i) communes[i].geometry->getEnvelope(&env[i]);
    std::vector<GraphEdgeInput> edges;
    const double tol = p.contiguity_tolerance_m;
    for (std::size_t i = 0; i < n; ++i) {
        for (std::size_t k = i + 1; k < n; ++k) {
            if (env[i].MaxX + tol < env[k].MinX || env[k].MaxX + tol < env[i].MinX || env[i].MaxY + tol < env[k].MinY ||
                env[k].MaxY + tol < env[i].MinY)
                continue;
            if (communes[i].geometry->Distance(communes[k].geometry.get()) > tol) continue;
            double d = distance(nodes[i], nodes[k]).value() * p.detour_factor;
            Seconds t(d / 2 / speed[i] + d / 2 / speed[k]);
            edges.push_back({static_cast<NodeId>(i), static_cast<NodeId>(k), t, Metres(d), {}});
            edges.push_back({static_cast<NodeId>(k), static_cast<NodeId>(i), t, Metres(d), {}});
        }
    }
    LoadedGraph out;
    out.stats = {{"nodes", n}, {"edges", edges.size()}, {"detour_factor", p.detour_factor}};
    out.graph = RoadGraph(nodes, std::move(edges));
    out.info.source = TravelTimeSource::estimated;
    out.info.profile = p.profile;
    out.info.description = "ESTIMATED network: commune contiguity graph, crow-fly distance x " +
                           std::to_string(p.detour_factor).substr(0, 4) + " at density-class speeds (no road network given)";
    out.snap.nodes_only = true;
    out.snap.node_access = intra;
    out.snap.max_distance = Metres(p.max_snap_distance_m);
    out.snap.access_speed = kmh(p.classes.back().speed_kmh);
    out.snap.access_detour = p.detour_factor;
    return out;
}

}  // namespace maillage
