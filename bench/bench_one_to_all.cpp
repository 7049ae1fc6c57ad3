// One-to-all on the 1 M-node grid (bench/grid_graph.hpp, Hilbert-numbered as in
// bench_routing.cpp), three ways, to be compared within one run (the host is shared):
//   BM_BoostDijkstraNoColorMap_1M*  the reference of issue 15: the same graph as a Boost.Graph
//                                   compressed_sparse_row_graph, dijkstra_shortest_paths_no_color_map
//   BM_OneToAll_1M (bench_routing)  our Dijkstra (radix heap, 64-bit (time, label) keys)
//   BM_PhastOneToAll_1M             PHAST on a contraction hierarchy (query only)
// BM_PhastPreprocess_1M reports the hierarchy's build time (one build, manual time) and size.
// Optionally the synthetic region graph: MAILLAGE_BENCH_REGION_PBF=/path/to.osm.pbf.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <random>
#include <thread>

#include <benchmark/benchmark.h>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths_no_color_map.hpp>

#include "graph/road_graph.hpp"
#include "grid_graph.hpp"
#include "network/graph_tools.hpp"
#include "network/osm_loader.hpp"
#include "network/profile.hpp"
#include "routing/contraction_hierarchy.hpp"
#include "routing/dijkstra.hpp"
#include "routing/phast.hpp"

using namespace maillage;

namespace {

const RoadGraph& grid() {
    static const RoadGraph g = order_for_locality(bench::make_row_major_grid());
    return g;
}

// The grid's middle node (row 500, column 500), the source of BM_OneToAll_1M.
NodeId middle(const RoadGraph& g) {
    for (NodeId v = 0; v < g.node_count(); ++v)
        if (g.node(v).x == 400000.0 + 500 * 100.0 && g.node(v).y == 6500000.0 + 500 * 100.0) return v;
    return kNoNode;
}

// --- Boost.Graph reference -------------------------------------------------------------

template <class Weight>
struct BoostArc {
    Weight weight;
};

template <class Weight>
using BoostCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, BoostArc<Weight>>;

// The same arcs, in the same CSR order (our arcs are sorted by source already).
template <class Weight, class ToWeight>
BoostCsr<Weight> to_boost(const RoadGraph& g, ToWeight to_weight) {
    std::vector<std::pair<std::size_t, std::size_t>> ends;
    std::vector<BoostArc<Weight>> props;
    ends.reserve(g.edge_count());
    props.reserve(g.edge_count());
    for (NodeId u = 0; u < g.node_count(); ++u)
        for (const Arc& a : g.arcs(u)) {
            ends.emplace_back(u, a.target);
            props.push_back({to_weight(a)});
        }
    return BoostCsr<Weight>(boost::edges_are_sorted, ends.begin(), ends.end(), props.begin(), g.node_count());
}

template <class Weight>
void boost_one_to_all(benchmark::State& state, const BoostCsr<Weight>& bg, NodeId source) {
    std::vector<Weight> distance(num_vertices(bg));
    for (auto _ : state) {
        boost::dijkstra_shortest_paths_no_color_map(
            bg, source,
            boost::weight_map(boost::get(&BoostArc<Weight>::weight, bg))
                .distance_map(boost::make_iterator_property_map(distance.begin(), boost::get(boost::vertex_index, bg))));
        benchmark::DoNotOptimize(distance[0]);
    }
    state.counters["nodes"] = static_cast<double>(num_vertices(bg));
}

// Integer milliseconds, as our searches use.
void BM_BoostDijkstraNoColorMap_1M(benchmark::State& state) {
    static const auto bg = to_boost<std::uint32_t>(grid(), [](const Arc& a) { return a.duration.count(); });
    boost_one_to_all(state, bg, middle(grid()));
}
BENCHMARK(BM_BoostDijkstraNoColorMap_1M)->Unit(benchmark::kMillisecond);

// Double seconds, the "plain" way to write it.
void BM_BoostDijkstraNoColorMap_1M_Seconds(benchmark::State& state) {
    static const auto bg = to_boost<double>(grid(), [](const Arc& a) { return a.duration.seconds().value(); });
    boost_one_to_all(state, bg, middle(grid()));
}
BENCHMARK(BM_BoostDijkstraNoColorMap_1M_Seconds)->Unit(benchmark::kMillisecond);

// --- PHAST -----------------------------------------------------------------------------

struct Built {
    ContractionHierarchy ch;
    double seconds = 0;
};

Built build_timed(const RoadGraph& g) {
    const auto start = std::chrono::steady_clock::now();
    ChOptions options;
    options.threads = std::max(1u, std::thread::hardware_concurrency());
    Built b{build_contraction_hierarchy(g, options)};
    b.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return b;
}

const Built& grid_hierarchy() {
    static const Built b = build_timed(grid());
    return b;
}

void report_hierarchy(benchmark::State& state, const RoadGraph& g, const Built& b) {
    state.counters["build_s"] = b.seconds;
    state.counters["threads"] = std::max(1u, std::thread::hardware_concurrency());
    state.counters["shortcuts"] = static_cast<double>(b.ch.shortcut_count);
    state.counters["arcs"] = static_cast<double>(g.edge_count());
    state.counters["ch_MB"] = static_cast<double>(b.ch.memory_bytes()) / 1e6;
    state.counters["graph_MB"] = static_cast<double>(g.memory_bytes()) / 1e6;
}

// One build (several minutes would be too long to repeat): its wall time as manual time.
void BM_PhastPreprocess_1M(benchmark::State& state) {
    const Built& b = grid_hierarchy();
    for (auto _ : state) state.SetIterationTime(b.seconds);
    report_hierarchy(state, grid(), b);
}
BENCHMARK(BM_PhastPreprocess_1M)->Unit(benchmark::kSecond)->UseManualTime()->Iterations(1);

void BM_PhastOneToAll_1M(benchmark::State& state) {
    Phast p(grid_hierarchy().ch);
    SearchSource s{middle(grid()), Seconds(0), 0};
    for (auto _ : state) benchmark::DoNotOptimize(p.run(std::span(&s, 1)).reached(0));
    state.counters["nodes"] = static_cast<double>(grid().node_count());
}
BENCHMARK(BM_PhastOneToAll_1M)->Unit(benchmark::kMillisecond);

// Same 50 sources as BM_MultiSource50Facilities_1M (bench_routing.cpp).
std::vector<SearchSource> fifty_sources(const RoadGraph& g) {
    const RoadGraph row_major = bench::make_row_major_grid();
    std::vector<SearchSource> sources;
    std::mt19937 rng(11);
    std::uniform_int_distribution<NodeId> pick(0, static_cast<NodeId>(g.node_count() - 1));
    for (std::uint32_t i = 0; i < 50; ++i) {
        const Point2 at = row_major.node(pick(rng));
        for (NodeId v = 0; v < g.node_count(); ++v)
            if (g.node(v).x == at.x && g.node(v).y == at.y) sources.push_back({v, Seconds(0), i});
    }
    return sources;
}

void BM_PhastMultiSource50Facilities_1M(benchmark::State& state) {
    Phast p(grid_hierarchy().ch);
    const std::vector<SearchSource> sources = fifty_sources(grid());
    for (auto _ : state) benchmark::DoNotOptimize(p.run(sources).label(0));
}
BENCHMARK(BM_PhastMultiSource50Facilities_1M)->Unit(benchmark::kMillisecond);

// --- The synthetic region graph (opt-in: ~30 s and several GB to load) -----------------

const RoadGraph* region() {
    static const std::optional<RoadGraph> g = []() -> std::optional<RoadGraph> {
        const char* pbf = std::getenv("MAILLAGE_BENCH_REGION_PBF");
        if (pbf == nullptr) return std::nullopt;
        return load_osm(pbf, load_profile("car", MAILLAGE_SOURCE_DIR "/geodata")).graph;
    }();
    return g ? &*g : nullptr;
}

const Built& region_hierarchy() {
    static const Built b = build_timed(*region());
    return b;
}

NodeId region_source(const RoadGraph& g) { return static_cast<NodeId>(g.node_count() / 2); }

void BM_Region_BoostDijkstraNoColorMap(benchmark::State& state) {
    if (region() == nullptr) return state.SkipWithError("MAILLAGE_BENCH_REGION_PBF not set");
    static const auto bg = to_boost<std::uint32_t>(*region(), [](const Arc& a) { return a.duration.count(); });
    boost_one_to_all(state, bg, region_source(*region()));
}
BENCHMARK(BM_Region_BoostDijkstraNoColorMap)->Unit(benchmark::kMillisecond);

void BM_Region_OneToAll(benchmark::State& state) {
    if (region() == nullptr) return state.SkipWithError("MAILLAGE_BENCH_REGION_PBF not set");
    Dijkstra d(*region());
    SearchSource s{region_source(*region()), Seconds(0), 0};
    for (auto _ : state) benchmark::DoNotOptimize(d.run(std::span(&s, 1)).reached(0));
    state.counters["nodes"] = static_cast<double>(region()->node_count());
}
BENCHMARK(BM_Region_OneToAll)->Unit(benchmark::kMillisecond);

void BM_Region_PhastPreprocess(benchmark::State& state) {
    if (region() == nullptr) return state.SkipWithError("MAILLAGE_BENCH_REGION_PBF not set");
    const Built& b = region_hierarchy();
    for (auto _ : state) state.SetIterationTime(b.seconds);
    report_hierarchy(state, *region(), b);
}
BENCHMARK(BM_Region_PhastPreprocess)->Unit(benchmark::kSecond)->UseManualTime()->Iterations(1);

void BM_Region_PhastOneToAll(benchmark::State& state) {
    if (region() == nullptr) return state.SkipWithError("MAILLAGE_BENCH_REGION_PBF not set");
    Phast p(region_hierarchy().ch);
    SearchSource s{region_source(*region()), Seconds(0), 0};
    for (auto _ : state) benchmark::DoNotOptimize(p.run(std::span(&s, 1)).reached(0));
}
BENCHMARK(BM_Region_PhastOneToAll)->Unit(benchmark::kMillisecond);

// Bounded searches on the region graph (a catchment's threshold): Dijkstra stops at the
// limit, a sweep always passes over every node. TravelNetwork tries Dijkstra first and gives
// up past an eighth of the graph; these say where the two cross.
void BM_Region_BoundedDijkstra(benchmark::State& state) {
    if (region() == nullptr) return state.SkipWithError("MAILLAGE_BENCH_REGION_PBF not set");
    Dijkstra d(*region());
    SearchSource s{region_source(*region()), Seconds(0), 0};
    const Seconds limit(60.0 * static_cast<double>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(d.run(std::span(&s, 1), limit).reached(0));
    state.counters["settled"] = static_cast<double>(d.settled().size());
    state.counters["share"] = static_cast<double>(d.settled().size()) / static_cast<double>(region()->node_count());
}
BENCHMARK(BM_Region_BoundedDijkstra)->Arg(10)->Arg(20)->Arg(30)->Arg(45)->Unit(benchmark::kMillisecond);

void BM_Region_BoundedPhast(benchmark::State& state) {
    if (region() == nullptr) return state.SkipWithError("MAILLAGE_BENCH_REGION_PBF not set");
    Phast p(region_hierarchy().ch);
    SearchSource s{region_source(*region()), Seconds(0), 0};
    const Seconds limit(60.0 * static_cast<double>(state.range(0)));
    for (auto _ : state) benchmark::DoNotOptimize(p.run(std::span(&s, 1), limit).reached(0));
}
BENCHMARK(BM_Region_BoundedPhast)->Arg(10)->Arg(20)->Arg(30)->Arg(45)->Unit(benchmark::kMillisecond);

}  // namespace
