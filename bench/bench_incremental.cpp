// What-if updates (one site added or closed) against searches from scratch:
//  - Vienne, estimated network, France Services and GPs: IncrementalCoverage built once,
//    then a site added at a commune's representative point and closed again, or an existing
//    site closed and re-added; with and without the département-level figures recomputed
//    (aggregate_coverage on snapshot()).
//  - The 1 M-node grid of bench_routing.cpp, 50 sites, 30-minute SiteSearch: add_site and
//    close_site, and the search from scratch for reference.
// Ids are never reused (a closed site stays in the lists), so the states are rebuilt, off
// the clock, every kRebuildEvery iterations: otherwise lists grow with the iteration count.
#include <chrono>
#include <filesystem>
#include <random>

#include <benchmark/benchmark.h>

#include "coverage/aggregation.hpp"
#include "grid_graph.hpp"
#include "coverage/coverage.hpp"
#include "coverage/incremental_coverage.hpp"
#include "graph/loaded_graph.hpp"
#include "network/graph_tools.hpp"
#include "network/network_spec.hpp"
#include "presets/vienne_preset.hpp"
#include "routing/travel_network.hpp"
#include "services/service_loader.hpp"
#include "territory/territory_loader.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kRebuildEvery = 256;

using Clock = std::chrono::steady_clock;
double micros_since(Clock::time_point start) {
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
}

// Mean microseconds per iteration of an accumulated total.
benchmark::Counter per_iteration(double total_us) { return benchmark::Counter(total_us, benchmark::Counter::kAvgIterations); }

// ---------------------------------------------------------------------------------------
// Vienne

fs::path geodata() { return fs::path(MAILLAGE_GEODATA_CACHE).parent_path(); }

struct VienneStudy {
    Territory territory;
    LoadedServices services;
    std::unique_ptr<TravelNetwork> network;
    std::vector<DemandUnit> demand;
    std::vector<std::optional<Attachment>> demand_attachments;
    std::vector<ServiceSite> candidates;  // one per commune, at its representative point
    std::vector<Attachment> candidate_attachments;
};

const VienneStudy& vienne() {
    static const VienneStudy v = [] {
        VienneStudy v;
        v.territory = load_territory(presets::vienne_territory(geodata()));
        v.services = load_services(presets::vienne_services(geodata()), v.territory);
        Provenance p;
        NetworkOptions o;
        o.territory = &v.territory;
        o.geodata_dir = geodata();
        v.network = std::make_unique<TravelNetwork>(open_network(NetworkSpec::parse("estimated:default"), o, p));
        v.demand = build_demand(v.territory, {});
        Diagnostics d;
        v.demand_attachments = attach_demand(*v.network, v.demand, d);
        for (const auto& c : v.territory.communes) {
            ServiceSite s;
            s.id = "candidate-" + c.code.str();
            s.position = c.representative;
            s.commune_code = c.code.str();
            v.candidates.push_back(std::move(s));
        }
        for (const auto& s : v.candidates) v.candidate_attachments.push_back(attach_site(*v.network, s, d));
        return v;
    }();
    return v;
}

struct VienneCategory {
    std::vector<const ServiceSite*> sites;
    AttachedSites attached;
    std::vector<double> bands;
};

VienneCategory vienne_category(const std::string& key) {
    const VienneStudy& v = vienne();
    VienneCategory c;
    c.sites = v.services.set.in_category(key);
    Diagnostics d;
    c.attached = attach_sites(*v.network, c.sites, d);
    c.bands = v.services.catalogue.find(key)->bands_min;
    return c;
}

// Department figures from the current state, as a report would read them.
double departement_figures(const VienneStudy& v, const IncrementalCoverage& inc, const std::vector<double>& bands) {
    CoverageTables t = aggregate_coverage(v.territory, v.demand, inc.snapshot(), bands);
    return t.departement.mean_minutes;
}

// Per iteration: a site added at a commune's representative point, then closed.
void BM_IncrementalVienne_AddThenClose(benchmark::State& state, const char* key, bool figures) {
    const VienneStudy& v = vienne();
    const VienneCategory c = vienne_category(key);
    auto inc = std::make_unique<IncrementalCoverage>(*v.network, v.demand, v.demand_attachments, c.attached);
    double add_us = 0, close_us = 0, changed = 0;
    std::size_t k = 0;
    std::int64_t n = 0;
    for (auto _ : state) {
        if (++n % kRebuildEvery == 0) {
            state.PauseTiming();
            inc = std::make_unique<IncrementalCoverage>(*v.network, v.demand, v.demand_attachments, c.attached);
            state.ResumeTiming();
        }
        k = (k + 37) % v.candidates.size();
        auto t0 = Clock::now();
        SiteId id = inc->add(&v.candidates[k], v.candidate_attachments[k]);
        if (figures) benchmark::DoNotOptimize(departement_figures(v, *inc, c.bands));
        add_us += micros_since(t0);
        changed += static_cast<double>(inc->changed_units().size());
        t0 = Clock::now();
        inc->close(id);
        if (figures) benchmark::DoNotOptimize(departement_figures(v, *inc, c.bands));
        close_us += micros_since(t0);
    }
    state.counters["add_us"] = per_iteration(add_us);
    state.counters["close_us"] = per_iteration(close_us);
    state.counters["units_changed"] = per_iteration(changed);
    state.counters["sites"] = static_cast<double>(c.sites.size());
}

// Per iteration: an existing site closed, then re-added (at the same place, a new id).
void BM_IncrementalVienne_CloseThenReadd(benchmark::State& state, const char* key, bool figures) {
    const VienneStudy& v = vienne();
    const VienneCategory c = vienne_category(key);
    auto inc = std::make_unique<IncrementalCoverage>(*v.network, v.demand, v.demand_attachments, c.attached);
    // Which id each original site has now (re-adding gives a new one).
    std::vector<SiteId> current(c.sites.size());
    auto reset_ids = [&] {
        for (std::uint32_t i = 0; i < current.size(); ++i) current[i] = SiteId(i);
    };
    reset_ids();
    double close_us = 0, add_us = 0, changed = 0;
    std::size_t k = 0;
    std::int64_t n = 0;
    for (auto _ : state) {
        if (++n % kRebuildEvery == 0) {
            state.PauseTiming();
            inc = std::make_unique<IncrementalCoverage>(*v.network, v.demand, v.demand_attachments, c.attached);
            reset_ids();
            state.ResumeTiming();
        }
        k = (k + 7) % c.sites.size();
        auto t0 = Clock::now();
        inc->close(current[k]);
        if (figures) benchmark::DoNotOptimize(departement_figures(v, *inc, c.bands));
        close_us += micros_since(t0);
        changed += static_cast<double>(inc->changed_units().size());
        t0 = Clock::now();
        current[k] = inc->add(c.sites[k], c.attached.attachment(SiteId(static_cast<std::uint32_t>(k))));
        if (figures) benchmark::DoNotOptimize(departement_figures(v, *inc, c.bands));
        add_us += micros_since(t0);
    }
    state.counters["close_us"] = per_iteration(close_us);
    state.counters["add_us"] = per_iteration(add_us);
    state.counters["units_changed"] = per_iteration(changed);
    state.counters["sites"] = static_cast<double>(c.sites.size());
}

// Reference: the same change from scratch (compute_coverage over the sites plus one, and
// the figures).
void BM_IncrementalVienne_FromScratchWithFigures(benchmark::State& state, const char* key) {
    const VienneStudy& v = vienne();
    const VienneCategory c = vienne_category(key);
    std::size_t k = 0;
    for (auto _ : state) {
        k = (k + 37) % v.candidates.size();
        AttachedSites sites = c.attached;
        sites.add(&v.candidates[k], v.candidate_attachments[k]);
        CoverageResult r = compute_coverage(*v.network, v.demand, v.demand_attachments, std::move(sites));
        CoverageTables t = aggregate_coverage(v.territory, v.demand, r, c.bands);
        benchmark::DoNotOptimize(t.departement.mean_minutes);
    }
}

BENCHMARK_CAPTURE(BM_IncrementalVienne_AddThenClose, france_services, "france_services", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_AddThenClose, gp, "gp", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_CloseThenReadd, france_services, "france_services", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_CloseThenReadd, gp, "gp", false)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_AddThenClose, france_services_figures, "france_services", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_AddThenClose, gp_figures, "gp", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_CloseThenReadd, france_services_figures, "france_services", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_CloseThenReadd, gp_figures, "gp", true)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_FromScratchWithFigures, france_services, "france_services")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_IncrementalVienne_FromScratchWithFigures, gp, "gp")->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------
// The 1 M-node grid (as bench_routing.cpp: 1000 × 1000 nodes 100 m apart, two-way,
// deterministic speeds between 30 and 90 km/h, Hilbert-numbered)

RoadGraph row_major_grid() { return bench::make_row_major_grid(); }

struct GridStudy {
    std::unique_ptr<TravelNetwork> network;
    std::vector<Attachment> sites;       // 50
    std::vector<Attachment> candidates;  // where a site is added
    SiteSearch base;                     // toward the 50 sites, 30 minutes
};

// A random point of the grid, 30 m along a road from a node (attached mid-edge).
Point2 grid_point(std::mt19937& rng) {
    std::uniform_int_distribution<int> cell(0, 998);
    return {400000.0 + cell(rng) * 100.0 + 30.0, 6500000.0 + cell(rng) * 100.0};
}

const GridStudy& grid() {
    static const GridStudy g = [] {
        GridStudy g;
        LoadedGraph loaded;
        loaded.graph = order_for_locality(row_major_grid());
        loaded.info.source = TravelTimeSource::fixture;
        g.network = std::make_unique<TravelNetwork>(std::move(loaded));
        std::mt19937 rng(11);
        for (int i = 0; i < 50; ++i) g.sites.push_back(g.network->attach(grid_point(rng), "site"));
        for (int i = 0; i < 64; ++i) g.candidates.push_back(g.network->attach(grid_point(rng), "candidate"));
        g.base = g.network->toward(g.sites, minutes(30));
        return g;
    }();
    return g;
}

void BM_IncrementalGrid_AddThenClose_1M(benchmark::State& state) {
    const GridStudy& g = grid();
    SiteSearch search = g.base;
    double add_us = 0, close_us = 0, added_nodes = 0, closed_nodes = 0;
    std::vector<NodeId> changed;
    std::size_t k = 0;
    std::int64_t n = 0;
    for (auto _ : state) {
        if (++n % kRebuildEvery == 0) {
            state.PauseTiming();
            search = g.base;
            state.ResumeTiming();
        }
        k = (k + 1) % g.candidates.size();
        changed.clear();
        auto t0 = Clock::now();
        SiteId id = g.network->add_site(search, g.candidates[k], changed);
        add_us += micros_since(t0);
        added_nodes += static_cast<double>(changed.size());
        changed.clear();
        t0 = Clock::now();
        g.network->close_site(search, id, changed);
        close_us += micros_since(t0);
        closed_nodes += static_cast<double>(changed.size());
    }
    state.counters["add_ms"] = per_iteration(add_us / 1000);
    state.counters["close_ms"] = per_iteration(close_us / 1000);
    state.counters["add_nodes"] = per_iteration(added_nodes);
    state.counters["close_nodes"] = per_iteration(closed_nodes);
}
BENCHMARK(BM_IncrementalGrid_AddThenClose_1M)->Unit(benchmark::kMillisecond);

// Reference: the 51-site, 30-minute search from scratch.
void BM_IncrementalGrid_FromScratch51_1M(benchmark::State& state) {
    const GridStudy& g = grid();
    std::vector<Attachment> sites = g.sites;
    sites.push_back(g.candidates[0]);
    for (auto _ : state) benchmark::DoNotOptimize(g.network->toward(sites, minutes(30)).nodes.label(0));
    std::size_t reached = 0;
    const SiteSearch s = g.network->toward(sites, minutes(30));
    for (NodeId v = 0; v < s.nodes.size(); ++v) reached += s.nodes.reached(v);
    state.counters["reached"] = static_cast<double>(reached);
}
BENCHMARK(BM_IncrementalGrid_FromScratch51_1M)->Unit(benchmark::kMillisecond);

}  // namespace
