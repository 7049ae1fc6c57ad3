// `maillage optimise`: where to put the next sites of a category (LSCP, MCLP, p-median,
// capacitated MCLP), solved by the heuristic and exactly (CBC). The command writes the same
// scenario as an `optimise:` item would and runs it: the answer is a variant compared with
// today, plus DIR/optimise/ID/ (chosen sites, coverage curve, summary with bound and gap).
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common/category_check.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/number_checks.hpp"
#include "cli/common/scenario_context.hpp"
#include "cli/common/study_options.hpp"
#include "cli/common/warnings.hpp"
#include "util/errors.hpp"
#include "util/staged_directory.hpp"

namespace maillage::cli {

namespace {

class OptimiseCommand : public Command {
public:
    std::string name() const override { return "optimise"; }
    std::string examples() const override {
        return R"(  maillage optimise --category auto_ecole_solidaire --problem lscp --max-minutes 30 --min-population 1000 -o out/lscp
      the fewest auto-écoles solidaires to put everyone within 30 min (the existing two kept)
  maillage optimise --category france_services --problem mclp -k 2 --max-minutes 20 --curve 10 -o out/mclp
      the 2 new France Services that bring the most people within 20 min, and what each extra one buys
)";
    }
    std::string description() const override {
        return "Where to put the next sites: lscp, mclp, pmedian, cmclp (heuristic and exact CBC)";
    }
    void setup(CLI::App& app) override {
        app.add_option("--category", opt_.category, "Service category (geodata/service_catalogue.csv)")->required();
        app.add_option("--problem", opt_.problem, "lscp | mclp | pmedian | cmclp")
            ->check(CLI::IsMember({"lscp", "mclp", "pmedian", "cmclp"}));
        app.add_option("-k", k_, "New sites (mclp, pmedian, cmclp)")->check(CLI::Range(1, 1000));
        app.add_option("--max-minutes", opt_.max_minutes, "Covering threshold T in minutes (lscp, mclp, cmclp)")
            ->check(number_in(0.5, 600, "minutes"));
        app.add_option("--share", opt_.share, "lscp: share of the population to cover")->check(number_in(0.01, 1));
        app.add_option("--curve", opt_.curve, "Coverage curve for k = 1..N")->check(CLI::Range(1, 200));
        app.add_option("--existing", existing_, "fixed (existing sites stay) or free")->check(CLI::IsMember({"fixed", "free"}));
        app.add_option("--min-population", opt_.candidates.min_population, "Candidates: communes above this population")
            ->check(number_in(0, 1e7));
        app.add_option("--candidate-communes", opt_.candidates.communes, "Candidates: these communes (INSEE codes)");
        app.add_option("--epci", opt_.candidates.epcis, "Candidates within these EPCI (SIREN); repeatable");
        app.add_option("--territory", opt_.candidates.territories, "Candidates within these territories; repeatable");
        app.add_option("--candidates-file", candidates_file_, "Candidates: the points of a site file");
        app.add_option("--grid-km", grid_km_, "Candidates: a regular grid of this step")->check(number_in(0.5, 50, "km"));
        app.add_option("--capacity", capacity_, "cmclp: inhabitants a new site can serve")
            ->check(number_in(0, bounds::kMaxCapacity, "", true));
        app.add_option("--capacity-per-unit", capacity_per_unit_, "cmclp: inhabitants per place / FTE / count of an existing site")
            ->check(number_in(0, bounds::kMaxCapacity, "", true));
        app.add_option("--solver", opt_.solver, "heuristic | exact | both")->check(CLI::IsMember({"heuristic", "exact", "both"}));
        app.add_option("--time-limit", opt_.time_limit_s, "Exact solver time limit in seconds")->check(number_in(0.01, 86400, "s"));
        app.add_flag("--write-problem", opt_.write_problem,
                     "Also write the instance (problem_pairs.csv: demand, weight, candidate, minutes) for other solvers");
        app.add_option("--network", spec_.network.spec, "Travel network (see `maillage coverage --help`)");
        app.add_option("--profile", spec_.network.profile, "Routing profile (osm:, roads:)");
        add_max_memory_option(app, max_memory_gb_);
        app.add_option("--geodata", geodata_, "Geodata directory");
        app.add_option("-o,--output", output_, "Output directory (replaced as a whole when the run succeeds)")->required();
    }
    void validate() override {
        if (k_ > 0) opt_.k = k_;
        if (opt_.problem != "lscp" && !opt_.k) throw UsageError("optimise --problem " + opt_.problem + ": -k is required");
        if (opt_.problem == "lscp" && opt_.k) throw UsageError("optimise --problem lscp finds the number of sites: remove -k");
        if (opt_.problem == "cmclp" && capacity_ <= 0) throw UsageError("optimise --problem cmclp: --capacity is required");
        if (!candidates_file_.empty() && grid_km_ > 0) throw UsageError("optimise: --candidates-file or --grid-km, not both");
        if (!candidates_file_.empty()) {
            opt_.candidates.kind = "file";
            opt_.candidates.file = candidates_file_;
        } else if (grid_km_ > 0) {
            opt_.candidates.kind = "grid";
            opt_.candidates.grid_km = grid_km_;
        }
        if (capacity_ > 0) opt_.capacity = capacity_;
        if (capacity_per_unit_ > 0) opt_.capacity_per_unit = capacity_per_unit_;
        opt_.existing_fixed = existing_ == "fixed";
        check_category_option(opt_.category, geodata_);
    }
    int run() override {
        opt_.id = "optimisation";
        opt_.mark = {"maillage optimise", 0, 0, ""};
        spec_.file = "maillage optimise";
        spec_.title = "Optimisation (" + opt_.problem + ") : " + opt_.category;
        spec_.optimise.push_back(opt_);
        // Before any work: the inputs can be read, the output directory can be replaced and
        // holds no input, and no other run writes it (held until the end; the output set's
        // staging shares the lock).
        NetworkCliOptions network;
        network.spec = spec_.network.spec.empty() ? network.spec : spec_.network.spec;
        if (!spec_.network.profile.empty()) network.profile = spec_.network.profile;
        std::vector<InputFile> inputs = network.input_files();
        if (!geodata_.empty()) inputs.push_back({"--geodata", geodata_});
        if (!candidates_file_.empty()) inputs.push_back({"--candidates-file", candidates_file_});
        check_input_files(inputs);
        check_output_directory(output_, inputs);
        OutputReservation reservation(output_);
        ScenarioOutcome outcome = run_scenario(spec_, scenario_context(geodata_, max_memory_gb_));
        write_scenario_outputs(output_, outcome);
        print_warnings(outcome.warnings, output_ + "/scenario.json");
        const OptimiseOutcome& o = outcome.optimisations.front();
        auto summary = optimise_summary(o, outcome.workspace->territory());
        std::printf("%s (travel times %s)\n", spec_.title.c_str(), to_string(outcome.workspace->network().info().source));
        for (const char* solver : {"heuristic", "exact"})
            if (summary.contains(solver)) {
                const auto& s = summary[solver];
                std::printf("  %-9s %-18s objective %.1f%s%s\n", solver, s["solver"].get<std::string>().c_str(),
                            s["objective"].get<double>(), s["proven_optimal"].get<bool>() ? " (proven optimal)" : "",
                            s["time_limit_reached"].get<bool>() ? " (time limit reached: best found)" : "");
            }
        for (const auto& site : summary["sites"])
            std::printf("  %2d. %-45s +%.0f\n", site["rank"].get<int>(), site["name"].get<std::string>().c_str(),
                        site["marginal_gain"].get<double>());
        if (!summary["uncoverable_communes"].empty())
            std::printf("  %zu communes cannot be covered within %g min by any candidate (listed in summary.json)\n",
                        summary["uncoverable_communes"].size(), opt_.max_minutes);
        std::printf("outputs in %s (optimise/optimisation/, comparison.json)\n", output_.c_str());
        return 0;
    }

private:
    ScenarioSpec spec_;
    OptimiseSpec opt_;
    int k_ = 0;
    std::string existing_ = "fixed", candidates_file_, geodata_, output_;
    double grid_km_ = 0, capacity_ = 0, capacity_per_unit_ = 0;
    double max_memory_gb_ = 0;  // 0: the machine's memory
};

}  // namespace

std::unique_ptr<Command> make_optimise_command() { return std::make_unique<OptimiseCommand>(); }

}  // namespace maillage::cli
