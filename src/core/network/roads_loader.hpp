#pragma once
// A generic road line layer (IGN ROUTE 500, BD TOPO, any OGR lines) → road graph. A
// mapping file says which field gives the class (→ speed) and which the direction.
#include <filesystem>
#include <map>
#include <string>

#include "network/loaded_graph.hpp"
#include "network/profile.hpp"

namespace maillage {

struct RoadMapping {
    std::string file;
    std::string class_field;
    std::map<std::string, double> speeds_kmh;  // classes absent here are not routable (counted)
    std::string direction_field;               // empty: every road both ways
    std::map<std::string, std::string> directions;  // value → both | forward | backward | none
    std::string default_direction = "both";
    double node_tolerance_m = 1.0;             // endpoints closer than this are one node

    static RoadMapping load(const std::filesystem::path& path);
};

LoadedGraph load_road_layer(const std::filesystem::path& file, const std::string& layer, const RoadMapping& mapping,
                            const Profile& profile);

}  // namespace maillage
