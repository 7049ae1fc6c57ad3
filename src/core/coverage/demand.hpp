#pragma once
// Where people are. By default each commune's population sits at its representative
// point; it can be spread over a grid clipped to the commune so large rural communes are
// not a single point, or read from a population layer (INSEE Filosofi 200 m grid...).
// Whatever the method, each commune's population is conserved exactly.
#include <filesystem>
#include <string>
#include <vector>

#include "geo/point.hpp"
#include "services/neighbour_demand.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct DemandUnit {
    std::string id;
    std::string commune_code;
    Point2 position;
    double population = 0;
};

enum class DemandMethod { representative_point, grid, layer };

struct DemandOptions {
    DemandMethod method = DemandMethod::representative_point;
    Metres grid_step{1000};
    std::filesystem::path layer;               // points or polygons with a population field
    std::string layer_population_field = "population";
};

DemandMethod parse_demand_method(const std::string& text);  // UsageError if unknown
const char* to_string(DemandMethod m);

// Sorted by commune code then id.
std::vector<DemandUnit> build_demand(const Territory& territory, const DemandOptions& options);

// The inhabitants of neighbouring communes as demand units, one per commune at the point where
// its BPE counts sit (whatever the method of the study's own units: the layer beyond the edge
// has polygons and a population per commune, nothing finer). Id and commune code: its INSEE
// code. In the order given (by code).
std::vector<DemandUnit> demand_beyond_edge(const std::vector<NeighbourResidents>& neighbours);

}  // namespace maillage
