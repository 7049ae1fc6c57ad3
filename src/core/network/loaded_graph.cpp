#include "network/loaded_graph.hpp"

#include "network/graph_tools.hpp"

namespace maillage {

void keep_main_network(const RoadGraph& raw, const std::string& file, LoadedGraph& out) {
    Diagnostics cleanup;
    MainComponent connected = keep_largest_scc(raw, cleanup, out.stats);
    for (const auto& w : cleanup.warnings()) out.info.diagnostics.warn({file, "", ""}, w.message);
    out.graph = order_for_locality(contract_degree_two(connected.graph, out.stats));
    out.cut_off_roads = std::move(connected.cut_off_roads);
}

}  // namespace maillage
