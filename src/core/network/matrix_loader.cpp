#include "network/matrix_loader.hpp"

#include <map>
#include <set>

#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

LoadedGraph load_time_matrix(const std::filesystem::path& csv, const Territory& territory, const MatrixOptions& options) {
    CsvTable t = CsvTable::read(csv);
    const auto o = t.require_column({"origin", "origin_id", "CODGEO", "from"});
    const auto d = t.require_column({"destination", "destination_id", "DCLT", "to"});
    const auto s = t.require_column({"seconds", "duration_s", "time_s", "duration"});
    std::map<std::string, NodeId> ids;
    std::vector<Point2> nodes;
    auto node_of = [&](const std::string& code, std::size_t line, const std::string& field) {
        auto it = ids.find(code);
        if (it != ids.end()) return it->second;
        auto idx = territory.find_commune(code);
        if (!idx)
            throw InputError({t.file(), "line " + std::to_string(line), field}, "unknown commune '" + code + "'",
                             "an INSEE code of the study area");
        NodeId n = static_cast<NodeId>(nodes.size());
        nodes.push_back(territory.communes[*idx].representative);
        ids.emplace(code, n);
        return n;
    };
    std::vector<GraphEdgeInput> edges;
    std::set<std::pair<NodeId, NodeId>> pairs;
    std::set<NodeId> origins, destinations;
    for (const auto& row : t.rows()) {
        NodeId a = node_of(row.cells[o], row.line, t.header()[o]);
        NodeId b = node_of(row.cells[d], row.line, t.header()[d]);
        double sec = parse_number(row.cells[s], t.file(), row.line, t.header()[s]);
        if (sec < 0)
            throw InputError({t.file(), "line " + std::to_string(row.line), t.header()[s]},
                             "negative travel time " + row.cells[s], "seconds >= 0");
        if (!pairs.insert({a, b}).second)
            throw InputError({t.file(), "line " + std::to_string(row.line), ""},
                             "pair " + row.cells[o] + " -> " + row.cells[d] + " given twice");
        origins.insert(a);
        destinations.insert(b);
        if (a != b) edges.push_back({a, b, Seconds(sec), distance(nodes[a], nodes[b]), {}});
    }
    if (!options.allow_missing_pairs) {
        std::vector<std::string> code_of(nodes.size());
        for (const auto& [code, n] : ids) code_of[n] = code;
        for (NodeId a : origins)
            for (NodeId b : destinations)
                if (a != b && !pairs.count({a, b}))
                    throw InputError({t.file(), "pair " + code_of[a] + " -> " + code_of[b], ""}, "missing pair",
                                     "every origin x destination pair (or --allow-missing-pairs)");
    }
    LoadedGraph out;
    out.stats = {{"ids", nodes.size()}, {"pairs", pairs.size()}};
    out.graph = RoadGraph(std::move(nodes), std::move(edges));
    out.info.source = TravelTimeSource::matrix;
    out.info.profile = "matrix";
    out.info.description = "time matrix " + csv.filename().string();
    out.snap.nodes_only = true;
    out.snap.max_distance = Metres(30000);
    out.snap.access_speed = kmh(50);
    out.snap.access_detour = 1.3;
    return out;
}

}  // namespace maillage
