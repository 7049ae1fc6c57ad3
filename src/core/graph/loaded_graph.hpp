#pragma once
// What every network source (OSM, road layer, time matrix, estimate) returns before it
// becomes a TravelNetwork: the graph, its label, snapping defaults and a report.
#include <functional>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/point.hpp"
#include "graph/hierarchy.hpp"
#include "graph/packed_rtree.hpp"
#include "graph/road_graph.hpp"
#include "util/diagnostics.hpp"
#include "util/units.hpp"

namespace maillage {

struct NetworkInfo {
    TravelTimeSource source = TravelTimeSource::fixture;
    std::string description;  // e.g. "OSM liechtenstein-latest.osm.pbf, profile car"
    std::string profile;      // "car", "bicycle", "foot", or the estimate's profile
    // The measured error of an estimate (e.g. "±25 % on 80 % of trips ..."): written into
    // every output that uses it. Empty for measured networks.
    std::string travel_time_uncertainty;
    [[nodiscard]] bool is_estimate() const { return source == TravelTimeSource::estimated; }
    Diagnostics diagnostics;  // what the loader skipped or dropped (unmapped classes, components)
};

struct SnapOptions {
    Metres max_distance{5000.0};       // a site farther than this from the network is an error
    MetresPerSecond access_speed = kmh(15.0);  // off-network leg (walk/drive to the road), by profile
    bool nodes_only = false;           // complete graphs (time matrix): attach to the nearest node
    // nodes_only: extra time added when attaching to a node (e.g. the estimated network's
    // intra-commune access time), indexed by node; empty = none.
    std::vector<Seconds> node_access;
    double access_detour = 1.0;        // off-network legs are crow-fly distance × this factor
    // nodes_only: the node of the zone that contains a point (the estimated network: the
    // commune whose polygon holds it), taken instead of the nearest node; nullopt (or no
    // function) = the nearest node.
    std::function<std::optional<NodeId>(Point2)> containing_node;
};

// What routing needs beyond the graph: built once from it (prepare_for_routing in
// routing/travel_network), or read back from a graph cache so opening a network does no work.
struct RoutingParts {
    RoadGraph reverse;            // every edge reversed: searches towards sites run on it
    PackedRTree edge_index;       // over `indexed`: one edge per road (or every node, nodes_only)
    Column<std::uint32_t> indexed;  // the edge (or node) of each item of edge_index
    // The cut-off roads (LoadedGraph::cut_off_roads) flattened: road i is
    // cut_off_points[cut_off_offsets[i] .. cut_off_offsets[i+1]), indexed by cut_off_index.
    Column<std::uint64_t> cut_off_offsets;
    Column<Point2> cut_off_points;
    PackedRTree cut_off_index;
    // Optional (empty unless asked for: building it takes minutes on a region): a
    // contraction hierarchy of the graph. Searches then run as PHAST sweeps, with the same
    // results as Dijkstra and several times faster on large graphs.
    ContractionHierarchy hierarchy;
};

struct LoadedGraph {
    RoadGraph graph;
    NetworkInfo info;
    SnapOptions snap;           // defaults from the profile / parameters file
    // Roads dropped as disconnected (see keep_largest_scc), one polyline each: never snapped
    // onto, only used to flag points nearer to them than to the network.
    std::vector<std::vector<Point2>> cut_off_roads;
    nlohmann::json stats = nlohmann::json::object();  // counts for `info` and output metadata
    std::optional<RoutingParts> routing;  // empty until prepare_for_routing (or a graph cache)
};

}  // namespace maillage
