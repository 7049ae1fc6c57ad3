#pragma once
// The estimate used when no road network exists (the case of Vienne on these machines):
// a complete graph between commune points whose arc times are a direct model,
//   time(d) = detour × d / v(d),   d = crow-fly distance between the two points,
// with a road speed v(d) that grows log-linearly from a short-trip speed to a long-trip
// speed (longer trips use main roads), plus, at each end of a trip, a start/stop penalty
// and the intra-commune spread (node_access; counted once for a trip inside one commune,
// see TravelNetwork::evaluate). Parameters, their sources and the validation against
// routed OSM times and Vienne driving times: geodata/estimate_parameters.json,
// docs/ESTIMATE.md.
#include <filesystem>
#include <string>
#include <vector>

#include "graph/loaded_graph.hpp"
#include "territory/territory.hpp"
#include "util/units.hpp"

namespace maillage {

struct EstimateParameters {
    double detour_factor = 1.3;            // road distance / crow-fly distance
    double short_trip_speed_kmh = 40;      // road speed of trips up to short_trip_km
    double short_trip_km = 1;              // crow-fly
    double long_trip_speed_kmh = 80;       // road speed of trips from long_trip_km on
    double long_trip_km = 40;              // crow-fly
    double end_penalty_s = 15;             // per trip end (start, stop)
    double intra_commune_spread_factor = 0.1;  // × the commune's equivalent-disc radius
    double max_snap_distance_m = 30000;
    std::string profile = "car (estimated)";
    // The measured error of these parameters, carried by every output that uses them.
    std::string travel_time_uncertainty = "unknown: these estimate parameters were not validated";

    // Every parameter is required, with a rationale and a source; out-of-range values are
    // InputErrors naming the JSON field.
    static EstimateParameters load(const std::filesystem::path& path);

    // Road speed of a trip of crow-fly length d (log-linear between the two speeds).
    [[nodiscard]] MetresPerSecond speed(Metres crow_fly) const;
    // Drive time between two points d apart, without the end penalties and spreads.
    [[nodiscard]] Seconds drive_time(Metres crow_fly) const;
    // Per-end access of a commune of this area: end penalty + spread.
    [[nodiscard]] Seconds end_access(double area_m2) const;
};

// Node i is commune i of the territory (same order), then node territory.communes.size() + k
// is margin commune k: the communes beyond the study within its margin (the neighbouring
// layer, LoadedServices::margin_communes), placed, sized and timed exactly like the study's.
// With them, a commune's times do not depend on the study it is in, as long as the study
// includes the communes within the margin around it; sites and inhabitants beyond the edge
// attach to their own commune instead of a study commune far away. Arcs join every ordered pair.
//
// A point attaches to the node of the commune whose polygon contains it (study or margin
// commune), else to the nearest node; either way through an access leg (crow-fly × detour at
// the short-trip speed) plus the commune's end access.
//
// margin_communes == nullptr: no neighbouring layer was given: the study's communes only,
// with a warning that times near the edge are less accurate. (An empty list is a layer with
// no commune within the margin: no warning.)
LoadedGraph build_estimated_network(const Territory& territory, const EstimateParameters& parameters,
                                    const std::vector<Commune>* margin_communes = nullptr);

}  // namespace maillage
