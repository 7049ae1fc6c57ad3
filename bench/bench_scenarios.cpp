// Scenario runs end to end, as `maillage run` does them: parse, load the study and the
// estimated network once, baseline + variants (incremental coverage, catchments, access,
// rates), comparison, every output written into a staging directory and swapped in.
#include <filesystem>

#include <benchmark/benchmark.h>

#include "presets/vienne_preset.hpp"
#include "scenario/scenario_parser.hpp"
#include "scenario/scenario_runner.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

ScenarioContext vienne_context() {
    fs::path geodata = fs::path(MAILLAGE_SOURCE_DIR) / "geodata";
    return {[geodata] { return StudySources{presets::vienne_territory(geodata), presets::vienne_services(geodata)}; },
            geodata};
}

void run_file(const fs::path& file, const fs::path& out) {
    ScenarioSpec spec = parse_scenario_file(file);
    ScenarioOutcome outcome = run_scenario(spec, vienne_context());
    write_scenario_outputs(out, outcome);
}

// Target: < 2 s wall on 2 cores (all categories, catchments, every output).
void BM_ScenarioVienneBaseline(benchmark::State& state) {
    const fs::path out = fs::temp_directory_path() / "maillage_bench_vienne_baseline";
    for (auto _ : state) run_file(fs::path(MAILLAGE_SOURCE_DIR) / "scenarios/vienne_baseline.yaml", out);
    fs::remove_all(out);
}
BENCHMARK(BM_ScenarioVienneBaseline)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// Target: the whole scenario library < 10 s.
void BM_ScenarioLibrary(benchmark::State& state) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(fs::path(MAILLAGE_SOURCE_DIR) / "scenarios"))
        if (e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    const fs::path out = fs::temp_directory_path() / "maillage_bench_scenarios";
    for (auto _ : state)
        for (const auto& f : files) run_file(f, out / f.stem());
    fs::remove_all(out);
    state.counters["scenarios"] = static_cast<double>(files.size());
}
BENCHMARK(BM_ScenarioLibrary)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace
