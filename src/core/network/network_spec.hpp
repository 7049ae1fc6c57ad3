#pragma once
// The one syntax every command uses to name a travel network:
//   osm:FILE.pbf | roads:FILE[:layer] | matrix:FILE.csv | estimated:default | estimated:PARAMS.json
//   | graph:FILE.mgraph (a graph cache written by `maillage network build`)
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "routing/travel_network.hpp"
#include "territory/territory.hpp"
#include "util/provenance.hpp"

namespace maillage {

struct NetworkSpec {
    enum class Kind { osm, roads, matrix, estimated, graph };
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
    // osm, roads: refuse before building when the build is estimated to need more (empty: no limit;
    // the CLI gives the machine's memory by default, --max-memory otherwise).
    std::optional<std::uint64_t> max_memory_bytes;
};

// The graph a spec names, before routing structures, with its inputs and description
// recorded in `provenance`. A graph cache gives the graph it was built from, recorded the
// same way, so outputs are the same bytes as from the source itself.
LoadedGraph load_network_graph(const NetworkSpec& spec, const NetworkOptions& options, Provenance& provenance);

TravelNetwork open_network(const NetworkSpec& spec, const NetworkOptions& options, Provenance& provenance);

}  // namespace maillage
