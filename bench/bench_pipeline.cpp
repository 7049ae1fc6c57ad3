// End-to-end pipelines on the real data of the cache: OSM extracts → graph, and the
// coverage of every category of the Vienne default on the estimated network.
#include <filesystem>

#include <benchmark/benchmark.h>

#include "analysis/coverage_analysis.hpp"
#include "network/network_spec.hpp"
#include "network/osm_loader.hpp"
#include "presets/vienne_preset.hpp"
#include "services/service_loader.hpp"
#include "territory/territory_loader.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

fs::path geodata() { return fs::path(MAILLAGE_GEODATA_CACHE).parent_path(); }

void BM_OsmToGraph(benchmark::State& state, const char* file) {
    Profile car = load_profile("car", geodata());
    double osm_nodes = 0;
    for (auto _ : state) {
        auto g = load_osm(fs::path(MAILLAGE_GEODATA_CACHE) / "osm" / file, car);
        osm_nodes = g.stats["osm_nodes_read"].get<double>();
        benchmark::DoNotOptimize(g.graph.node_count());
    }
    state.counters["osm_nodes_per_s"] = benchmark::Counter(osm_nodes, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK_CAPTURE(BM_OsmToGraph, liechtenstein, "liechtenstein-latest.osm.pbf")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_OsmToGraph, andorra, "andorra.osm.pbf")->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_OsmToGraph, monaco, "monaco.osm.pbf")->Unit(benchmark::kMillisecond);

// Load the study, build the estimated network, cover every category present (tables and
// gaps; catchments with arg 1): the library pipeline the CLI and scenario runs use.
void BM_VienneAllCategoriesEstimated(benchmark::State& state) {
    const bool catchments = state.range(0) != 0;
    for (auto _ : state) {
        NetworkOptions o;
        o.geodata_dir = geodata();
        Workspace ws(load_study({presets::vienne_territory(geodata()), presets::vienne_services(geodata())}),
                     {NetworkSpec::parse("estimated:default"), o, {}});
        for (const auto& cat : ws.catalogue().categories()) {
            auto sites = ws.services().in_category(cat.key);
            if (sites.empty()) continue;
            CoverageParameters p{cat.key, {}, {}, catchments, {}};
            auto analysis = run_coverage(ws, resolve(p, ws), sites, ws.provenance());
            benchmark::DoNotOptimize(analysis.gaps.gaps.size());
        }
    }
}
BENCHMARK(BM_VienneAllCategoriesEstimated)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Catchments 10/20/30 min around the pharmacies and doctors of Liechtenstein's OSM data
// are measured in bench_catchment.cpp once the OSM amenity reader lands; here: catchments
// of 12 evenly spread sites, the same work per site.
void BM_LiechtensteinCatchments_10_20_30(benchmark::State& state) {
    static LoadedGraph g = load_osm(fs::path(MAILLAGE_GEODATA_CACHE) / "osm/liechtenstein-latest.osm.pbf",
                                    load_profile("car", geodata()));
    TravelNetwork net(LoadedGraph{g.graph, g.info, g.snap});
    OGREnvelope env;
    OGRLinearRing ring;
    double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
    for (const auto& p : g.graph.nodes()) {
        minx = std::min(minx, p.x);
        miny = std::min(miny, p.y);
        maxx = std::max(maxx, p.x);
        maxy = std::max(maxy, p.y);
    }
    ring.addPoint(minx, miny);
    ring.addPoint(maxx, miny);
    ring.addPoint(maxx, maxy);
    ring.addPoint(minx, maxy);
    ring.addPoint(minx, miny);
    OGRPolygon area;
    area.addRing(&ring);
    std::vector<ServiceSite> sites(12);
    AttachedSites att;
    for (std::size_t i = 0; i < sites.size(); ++i) {
        sites[i].id = "S" + std::to_string(i);
        sites[i].position = g.graph.node(static_cast<NodeId>(i * g.graph.node_count() / sites.size()));
        att.add(&sites[i], net.attach(sites[i].position, sites[i].id));
    }
    CatchmentOptions o;
    o.bands = {minutes(10), minutes(20), minutes(30)};
    o.cell_size = Metres(100);
    for (auto _ : state) benchmark::DoNotOptimize(build_catchments(net, att, area, o).per_site_band.features.size());
    state.counters["sites"] = static_cast<double>(sites.size());
}
BENCHMARK(BM_LiechtensteinCatchments_10_20_30)->Unit(benchmark::kMillisecond);

}  // namespace
