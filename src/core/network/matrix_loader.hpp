#pragma once
// A travel-time matrix (CSV: origin, destination, seconds), e.g. an INSEE Metric or OSRM
// export between communes. Ids are INSEE codes of the territory's communes, placed at
// their representative points; the graph is the matrix itself (one edge per pair).
#include <filesystem>

#include "graph/loaded_graph.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct MatrixOptions {
    bool allow_missing_pairs = false;   // otherwise every origin × destination pair must be given
};

LoadedGraph load_time_matrix(const std::filesystem::path& csv, const Territory& territory, const MatrixOptions& options);

}  // namespace maillage
