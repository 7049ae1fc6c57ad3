#pragma once
// What every network source (OSM, road layer, time matrix, estimate) returns before it
// becomes a TravelNetwork: the graph, its label, snapping defaults and a report.
#include <nlohmann/json.hpp>

#include "network/road_graph.hpp"
#include "network/travel_network.hpp"

namespace maillage {

struct LoadedGraph {
    RoadGraph graph;
    NetworkInfo info;
    SnapOptions snap;           // defaults from the profile / parameters file
    std::vector<std::vector<Point2>> cut_off_roads;  // see MainComponent
    nlohmann::json stats = nlohmann::json::object();  // counts for `info` and output metadata
};

// The common end of the road loaders (OSM, road layer): keeps the largest strongly connected
// component (what was dropped becomes a warning on `file` and `out.cut_off_roads`), contracts
// degree-2 chains and numbers nodes for locality, into `out.graph`.
void keep_main_network(const RoadGraph& raw, const std::string& file, LoadedGraph& out);

}  // namespace maillage
