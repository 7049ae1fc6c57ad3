// The report on top of a run: read the outputs of the Vienne baseline (all categories), build
// the HTML (GEOS simplification and dissolve, SVG maps and charts), write it.
#include <filesystem>
#include <fstream>

#include <benchmark/benchmark.h>

#include "presets/vienne_preset.hpp"
#include "report/report_document.hpp"
#include "report/run_outputs.hpp"
#include "scenario/scenario_parser.hpp"
#include "scenario/scenario_runner.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

// Target: < 1 s wall on top of the run (issue 10), HTML < 3 MB (the report test checks < 2 MB).
void BM_ReportVienneBaseline(benchmark::State& state) {
    const fs::path geodata = fs::path(MAILLAGE_SOURCE_DIR) / "geodata";
    const fs::path out = fs::temp_directory_path() / "maillage_bench_report_baseline";
    ScenarioContext context{[geodata] { return StudySources{presets::vienne_territory(geodata), presets::vienne_services(geodata)}; },
                            geodata};
    write_scenario_outputs(out, run_scenario(parse_scenario_file(fs::path(MAILLAGE_SOURCE_DIR) / "scenarios/vienne_baseline.yaml"),
                                             context));
    report::ReportOptions options;
    options.sources_catalogue = geodata / "sources.csv";
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto html = report::build_report_html(report::read_run_outputs(out), options);
        std::ofstream(out / "rapport.html", std::ios::binary) << html;
        bytes = html.size();
    }
    state.counters["html_MB"] = static_cast<double>(bytes) / 1e6;
    fs::remove_all(out);
}
BENCHMARK(BM_ReportVienneBaseline)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

}  // namespace
