// Routing on a generated 1 M-node road grid (1000 × 1000 nodes, 100 m apart, two-way,
// deterministic speeds between 30 and 90 km/h), numbered along a Hilbert curve as the
// OSM and road-layer loaders do; the row-major numbering is kept as a reference.
#include <random>

#include <benchmark/benchmark.h>

#include "network/graph_tools.hpp"
#include "graph/road_graph.hpp"
#include "grid_graph.hpp"
#include "routing/dijkstra.hpp"

using namespace maillage;

namespace {

const RoadGraph& row_major_grid() {
    static RoadGraph g = bench::make_row_major_grid();
    return g;
}

const RoadGraph& grid_graph() {
    static RoadGraph g = order_for_locality(row_major_grid());
    return g;
}

// The node at a row-major grid position, in either numbering (same coordinates).
NodeId grid_node(const RoadGraph& g, NodeId row_major) {
    const Point2 p = row_major_grid().node(row_major);
    for (NodeId v = 0; v < g.node_count(); ++v)
        if (g.node(v).x == p.x && g.node(v).y == p.y) return v;
    return kNoNode;
}

void one_to_all(benchmark::State& state, const RoadGraph& g) {
    Dijkstra d(g);
    SearchSource s{grid_node(g, 500500), Seconds(0), 0};
    for (auto _ : state) benchmark::DoNotOptimize(d.run(std::span(&s, 1)).reached(0));
    state.counters["nodes"] = static_cast<double>(g.node_count());
}

void BM_OneToAll_1M(benchmark::State& state) { one_to_all(state, grid_graph()); }
BENCHMARK(BM_OneToAll_1M)->Unit(benchmark::kMillisecond);

void BM_OneToAll_1M_RowMajor(benchmark::State& state) { one_to_all(state, row_major_grid()); }
BENCHMARK(BM_OneToAll_1M_RowMajor)->Unit(benchmark::kMillisecond);

void BM_Bounded30min_1M(benchmark::State& state) {
    const RoadGraph& g = grid_graph();
    Dijkstra d(g);
    SearchSource s{grid_node(g, 500500), Seconds(0), 0};
    for (auto _ : state) benchmark::DoNotOptimize(d.run(std::span(&s, 1), minutes(30)).reached(0));
    state.counters["settled"] = static_cast<double>(d.settled().size());
}
BENCHMARK(BM_Bounded30min_1M)->Unit(benchmark::kMillisecond);

void multi_source(benchmark::State& state, const RoadGraph& g) {
    Dijkstra d(g);
    std::vector<SearchSource> sources;
    std::mt19937 rng(11);
    std::uniform_int_distribution<NodeId> pick(0, static_cast<NodeId>(g.node_count() - 1));
    for (std::uint32_t i = 0; i < 50; ++i) sources.push_back({grid_node(g, pick(rng)), Seconds(0), i});
    for (auto _ : state) benchmark::DoNotOptimize(d.run(sources).label(0));
}

void BM_MultiSource50Facilities_1M(benchmark::State& state) { multi_source(state, grid_graph()); }
BENCHMARK(BM_MultiSource50Facilities_1M)->Unit(benchmark::kMillisecond);

void BM_MultiSource50Facilities_1M_RowMajor(benchmark::State& state) { multi_source(state, row_major_grid()); }
BENCHMARK(BM_MultiSource50Facilities_1M_RowMajor)->Unit(benchmark::kMillisecond);

}  // namespace
