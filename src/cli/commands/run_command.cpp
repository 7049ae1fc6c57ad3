// `maillage run SCENARIO -o DIR`: the baseline and every variant of a scenario in one process
// (study and network loaded once, variants computed incrementally from the baseline), with
// the comparison; the output directory is replaced all or nothing.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/report_writer.hpp"
#include "cli/common/scenario_context.hpp"
#include "cli/common/study_options.hpp"
#include "cli/common/warnings.hpp"
#include "scenario/scenario_parser.hpp"
#include "util/staged_directory.hpp"

namespace maillage::cli {

namespace {

std::string signed_int(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.0f", v);
    return buf;
}

class RunCommand : public Command {
public:
    std::string name() const override { return "run"; }
    std::string examples() const override {
        return R"(  maillage run scenarios/1-2-2_auto_ecoles_solidaires.yaml -o out/ae
      today and 4 variants (1, 2, 3 more auto-écoles solidaires); out/ae/comparison.csv compares them
  maillage run scenarios/vienne_baseline.yaml -o out/vienne_baseline
)";
    }
    std::string description() const override {
        return "Run a scenario file: baseline, variants, comparison (see docs/SCENARIOS.md)";
    }
    void setup(CLI::App& app) override {
        app.add_option("file", file_, "Scenario file (YAML)")->required();
        app.add_option("-o,--output", output_, "Output directory (replaced as a whole when the run succeeds)")->required();
        app.add_option("--geodata", geodata_, "Geodata directory (default: $MAILLAGE_GEODATA or the source tree's geodata/)");
        app.add_flag("--report", report_, "Also write the report DIR/rapport.html (see maillage report)");
        app.add_flag("--pdf", pdf_, "Also print the report to DIR/rapport.pdf with headless Chromium (implies --report)");
        app.add_option("--date", date_, "Edition date on the report's cover, YYYY-MM-DD");
        add_max_memory_option(app, max_memory_gb_);
    }
    void validate() override { check_report_date(date_); }
    int run() override {
        // Before any work: the scenario can be read, the output directory can be replaced and
        // does not hold it, and no other run writes there (the lock is held until the end).
        const std::vector<InputFile> inputs = {{"scenario", file_}};
        check_input_files(inputs);
        ScenarioSpec spec = parse_scenario_file(file_);
        check_output_directory(output_, inputs);
        OutputReservation reservation(output_);
        ScenarioOutcome outcome = run_scenario(spec, scenario_context(geodata_, max_memory_gb_));
        std::function<void(const std::filesystem::path&)> add_report;
        if (report_ || pdf_)
            add_report = [&](const std::filesystem::path& staged) {
                // Built from the staged files, so the report joins the same all-or-nothing set.
                ReportRequest r;
                r.run_dir = staged;
                r.html = staged / "rapport.html";
                r.pdf = pdf_;
                r.date = date_;
                r.geodata = geodata_;
                write_report(r);
            };
        write_scenario_outputs(output_, outcome, add_report);
        print_warnings(outcome.warnings, output_ + "/comparison.json");
        print_summary(outcome);
        return 0;
    }

private:
    void print_summary(const ScenarioOutcome& o) const {
        std::printf("%s\n", o.spec.title.c_str());
        if (!o.spec.question.empty()) std::printf("  %s\n", o.spec.question.c_str());
        std::printf("  travel times: %s\n", to_string(o.workspace->network().info().source));
        for (std::size_t k = 0; k < o.coverage_parameters.size(); ++k) {
            const auto& p = o.coverage_parameters[k];
            const auto& dep = o.baseline.coverage[k].tables.departement;
            const double gap = p.gap_threshold_minutes;
            auto beyond = [&](const CoverageAnalysis& a) {
                return coverage_figures(o.workspace->demand(), a.result.units, p.bands_minutes, gap).beyond_gap;
            };
            const double base = beyond(o.baseline.coverage[k]);
            std::printf("  %s: %zu sites, %.0f of %.0f inhabitants beyond %g min\n", p.category.key.c_str(),
                        o.baseline.coverage[k].result.sites.size(), base, dep.population, gap);
            for (const auto& v : o.variants)
                std::printf("    %-24s %s inhabitants beyond %g min (%s)\n", v.id.c_str(),
                            signed_int(beyond(v.coverage[k]) - base).c_str(), gap, v.title.c_str());
        }
        std::printf("outputs in %s (comparison.json, comparison.csv, baseline/, one directory per variant)\n",
                    output_.c_str());
    }

    std::string file_, output_, geodata_, date_;
    bool report_ = false, pdf_ = false;
    double max_memory_gb_ = 0;  // 0: the machine's memory
};

}  // namespace

std::unique_ptr<Command> make_run_command() { return std::make_unique<RunCommand>(); }

}  // namespace maillage::cli
