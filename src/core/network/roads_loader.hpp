#pragma once
// A generic road line layer (IGN ROUTE 500, BD TOPO, any OGR lines) → road graph. A
// mapping file says which field gives the class (→ speed) and which the direction.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "graph/loaded_graph.hpp"
#include "network/profile.hpp"

namespace maillage {

// Field names are lists of alternatives, the first one the layer has wins: the same
// product is delivered with short names (BD TOPO shapefile: SENS, VIT_MOY_VL) or long ones
// (GeoPackage: sens_de_circulation, vitesse_moyenne_vl). In the file, a name or a list.
using FieldNames = std::vector<std::string>;

struct RoadMapping {
    std::string file;
    FieldNames class_field;
    std::map<std::string, double> speeds_kmh;  // classes absent here are not routable (counted)
    FieldNames direction_field;                // empty: every road both ways
    std::map<std::string, std::string> directions;  // value → both | forward | backward | none
    std::string default_direction = "both";
    double node_tolerance_m = 1.0;             // endpoints closer than this are one node
    // Optional numeric field in km/h (BD TOPO VIT_MOY_VL): where it holds a value > 0 it
    // replaces the class speed; empty or 0 falls back to the class.
    FieldNames speed_field;
    // Roads whose field holds one of the values are unusable (BD TOPO ACCES_VL
    // "Physiquement impossible", ETAT "En projet"). Counted in the graph statistics.
    struct Exclusion {
        FieldNames field;
        std::set<std::string> values;
    };
    std::vector<Exclusion> exclude;

    static RoadMapping load(const std::filesystem::path& path);
};

struct RoadLoadOptions {
    // Refuse (InputError naming the file) before building when the build is estimated to need
    // more memory than this many bytes (see network/roads_memory_estimate.hpp: the loader's
    // first pass over the geometries, which also sizes its arrays). Empty: no limit.
    std::optional<std::uint64_t> max_memory_bytes;
};

// Throws InputError for unreadable layers, missing fields, bad values and when the estimated
// memory exceeds options.max_memory_bytes.
LoadedGraph load_road_layer(const std::filesystem::path& file, const std::string& layer, const RoadMapping& mapping,
                            const Profile& profile, const RoadLoadOptions& options = {});

}  // namespace maillage
