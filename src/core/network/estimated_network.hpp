#pragma once
// The honest estimate used when no road network exists (the case of Vienne on these
// machines): a commune contiguity graph, crow-fly × detour at density-class speeds,
// plus intra-commune access. Parameters and their rationale: geodata/estimate_parameters.json.
#include <filesystem>
#include <string>
#include <vector>

#include "graph/loaded_graph.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct DensityClass {
    std::string name;
    double min_density_per_km2 = 0;
    double speed_kmh = 0;
};

struct EstimateParameters {
    double detour_factor = 1.3;
    std::vector<DensityClass> classes;   // by descending min density
    double mean_pair_distance_factor = 0.905;
    double contiguity_tolerance_m = 50;
    double max_snap_distance_m = 30000;
    std::string profile = "car (estimated)";

    static EstimateParameters load(const std::filesystem::path& path);
    [[nodiscard]] const DensityClass& class_of(double density_per_km2) const;
};

// Node i is commune i of the territory (same order).
LoadedGraph build_estimated_network(const Territory& territory, const EstimateParameters& parameters);

}  // namespace maillage
