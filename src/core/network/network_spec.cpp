#include "network/network_spec.hpp"

#include "network/estimated_network.hpp"
#include "network/graph_cache.hpp"
#include "network/matrix_loader.hpp"
#include "network/osm_loader.hpp"
#include "network/roads_loader.hpp"
#include "util/errors.hpp"

namespace maillage {

NetworkSpec NetworkSpec::parse(const std::string& spec) {
    NetworkSpec s;
    s.text = spec;
    auto colon = spec.find(':');
    if (colon == std::string::npos)
        throw UsageError("network '" + spec +
                         "': expected osm:FILE.pbf, roads:FILE[:layer], matrix:FILE.csv, graph:FILE.mgraph or "
                         "estimated:default");
    std::string kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    if (kind == "osm") s.kind = Kind::osm;
    else if (kind == "roads") s.kind = Kind::roads;
    else if (kind == "matrix") s.kind = Kind::matrix;
    else if (kind == "estimated") s.kind = Kind::estimated;
    else if (kind == "graph") s.kind = Kind::graph;
    else
        throw UsageError("network '" + spec + "': unknown kind '" + kind +
                         "' (expected osm, roads, matrix, graph or estimated)");
    if (rest.empty()) throw UsageError("network '" + spec + "': no file after '" + kind + ":'");
    if (s.kind == Kind::roads) {
        // roads:FILE[:layer] — the layer is after the last ':' unless that is part of the path.
        auto last = rest.rfind(':');
        if (last != std::string::npos && rest.find('/', last) == std::string::npos) {
            s.layer = rest.substr(last + 1);
            rest = rest.substr(0, last);
        }
    }
    if (!(s.kind == Kind::estimated && rest == "default")) s.path = rest;
    return s;
}

LoadedGraph load_network_graph(const NetworkSpec& spec, const NetworkOptions& options, Provenance& provenance) {
    LoadedGraph g;
    switch (spec.kind) {
        case NetworkSpec::Kind::graph: {
            g = read_graph_cache(spec.path, {options.profile, options.geodata_dir}, provenance);
            if (options.max_snap) g.snap.max_distance = *options.max_snap;
            return g;
        }
        case NetworkSpec::Kind::estimated: {
            if (!options.territory) throw UsageError("the estimated network needs the communes of the study area");
            auto params = spec.path.empty() ? options.geodata_dir / "estimate_parameters.json" : spec.path;
            g = build_estimated_network(*options.territory, EstimateParameters::load(params), options.margin_communes);
            provenance.add_input("network_parameters", params);
            break;
        }
        case NetworkSpec::Kind::matrix:
            if (!options.territory) throw UsageError("a time matrix needs the communes of the study area to place its ids");
            g = load_time_matrix(spec.path, *options.territory, {options.allow_missing_pairs});
            provenance.add_input("network", spec.path);
            break;
        case NetworkSpec::Kind::osm: {
            Profile profile = load_profile(options.profile, options.geodata_dir);
            g = load_osm(spec.path, profile, {options.max_memory_bytes});
            provenance.add_input("network", spec.path);
            provenance.add_input("profile", profile.file);
            break;
        }
        case NetworkSpec::Kind::roads: {
            Profile profile = load_profile(options.profile, options.geodata_dir);
            auto mapping = options.mapping.empty() ? options.geodata_dir / "road_mappings/route500.json" : options.mapping;
            g = load_road_layer(spec.path, spec.layer, RoadMapping::load(mapping), profile, {options.max_memory_bytes});
            provenance.add_input("network", spec.path);
            provenance.add_input("road_mapping", mapping);
            break;
        }
    }
    if (options.max_snap) g.snap.max_distance = *options.max_snap;
    provenance.set_travel_time_source(to_string(g.info.source));
    provenance.set_profile(g.info.profile);
    // The spec as typed, with its file shown the way inputs are (relative under the working directory).
    std::string spec_text = spec.text;
    if (!spec.path.empty()) {
        spec_text = spec.text.substr(0, spec.text.find(':') + 1) + Provenance::display_path(spec.path) +
                    (spec.layer.empty() ? "" : ":" + spec.layer);
    }
    nlohmann::json network = {{"spec", spec_text}, {"description", g.info.description}, {"graph", g.stats}};
    if (!g.info.travel_time_uncertainty.empty()) {
        // Every output computed on an estimate says how far its times may be from reality.
        network["travel_time_uncertainty"] = g.info.travel_time_uncertainty;
        provenance.set_parameter("travel_time_uncertainty", g.info.travel_time_uncertainty);
    }
    provenance.set_parameter("network", network);
    return g;
}

TravelNetwork open_network(const NetworkSpec& spec, const NetworkOptions& options, Provenance& provenance) {
    return TravelNetwork(load_network_graph(spec, options, provenance));
}

}  // namespace maillage
