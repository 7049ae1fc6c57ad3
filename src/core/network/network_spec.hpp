#pragma once
// The one syntax every command uses to name a travel network:
//   osm:FILE.pbf | roads:FILE[:layer] | matrix:FILE.csv | estimated:default | estimated:PARAMS.json
#include <filesystem>
#include <optional>
#include <string>

#include "routing/travel_network.hpp"
#include "territory/territory.hpp"
#include "util/provenance.hpp"

namespace maillage {

struct NetworkSpec {
    enum class Kind { osm, roads, matrix, estimated };
    Kind kind = Kind::estimated;
    std::filesystem::path path;   // empty for estimated:default
    std::string layer;            // roads only
    std::string text;             // as given

    static NetworkSpec parse(const std::string& spec);  // UsageError on unknown prefix / empty path
};

struct NetworkOptions {
    std::string profile = "car";
    std::optional<Metres> max_snap;
    const Territory* territory = nullptr;          // estimated and matrix need it
    // estimated: the communes beyond the study within its margin, nodes too (see
    // build_estimated_network); nullptr = no neighbouring layer given (a warning).
    const std::vector<Commune>* margin_communes = nullptr;
    std::filesystem::path mapping;                 // roads: mapping file
    std::filesystem::path geodata_dir;             // where estimate_parameters.json, profiles/ live
    bool allow_missing_pairs = false;
};

TravelNetwork open_network(const NetworkSpec& spec, const NetworkOptions& options, Provenance& provenance);

}  // namespace maillage
