// `maillage access`: the APL-style E2SFCA index (GPs by default) with retirement
// variants, or with --rate the equipment rate per 1 000 inhabitants per EPCI / territory.
#include <cstdio>

#include "analysis/access_analysis.hpp"
#include "cli/commands.hpp"
#include "cli/common/category_check.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/study_options.hpp"
#include "cli/common/warnings.hpp"
#include "util/errors.hpp"
#include "util/staged_directory.hpp"

namespace maillage::cli {

namespace {

class AccessCommand : public Command {
public:
    std::string name() const override { return "access"; }
    std::string examples() const override {
        return R"(  maillage access --category gp --max-ages 65,60 -o out/apl
      APL-style GP index per commune, and if GPs over 65 / 60 retire (needs ages in a --sites file)
  maillage access --rate --category hebergement_personnes_agees -o out/taux
      elderly-housing establishments per 1 000 inhabitants per EPCI and territory
)";
    }
    std::string description() const override {
        return "APL-style accessibility index (E2SFCA) with retirement variants, or equipment rates (--rate)";
    }
    void setup(CLI::App& app) override {
        study_.add_to(app);
        network_.add_to(app);
        app.add_option("--decay", decay_, "Step-decay table CSV max_minutes,weight (default geodata/e2sfca_decay.csv)");
        app.add_option("--max-ages", max_ages_, "Variants excluding practitioners older than these ages")->delimiter(',');
        app.add_option("--demand-weights", demand_weights_, "CSV code_insee,weight: age-standardised consumption per commune");
        app.add_option("--neighbour-population", neighbour_population_,
                       "CSV code_insee,population[,anciens_codes] of the communes of --neighbour-communes: their "
                       "inhabitants within --margin-km compete for the same practitioners; repeatable (default with "
                       "the Vienne preset: the cache's table of every commune within 20 km of Vienne)");
        app.add_flag("--rate", rate_, "Equipment rate per 1 000 inhabitants of --target per EPCI and territory");
        app.add_option("--target", target_, "Target group label for --rate (e.g. 75+)");
        app.add_option("--target-population", target_population_, "CSV code_insee,population of the target group");
        app.add_option("-o,--output", output_, "Output directory (replaced as a whole when the run succeeds)")->required();
    }
    void validate() override {
        if (study_.sites_category.empty()) study_.sites_category = rate_ ? "" : "gp";
        if (study_.sites_category.empty()) throw UsageError("access --rate: --category is required");
        for (int a : max_ages_)
            if (a <= 0 || a > 120) throw UsageError("--max-ages: " + std::to_string(a) + " is not an age");
        check_category_option(study_.sites_category, study_.geodata);
    }
    int run() override {
        // Before any work: the inputs can be read, the output directory can be replaced and
        // holds no input, and no other run writes it (held until the end).
        std::vector<InputFile> inputs = study_.input_files();
        if (rate_) {
            if (!target_population_.empty()) inputs.push_back({"--target-population", target_population_});
        } else {
            for (auto& in : network_.input_files()) inputs.push_back(std::move(in));
            if (!decay_.empty()) inputs.push_back({"--decay", decay_});
            if (!demand_weights_.empty()) inputs.push_back({"--demand-weights", demand_weights_});
            for (const auto& f : neighbour_population_) inputs.push_back({"--neighbour-population", f});
        }
        check_input_files(inputs);
        check_output_directory(output_, inputs);
        OutputReservation reservation(output_);

        if (rate_) {
            Study study = load_study(study_);
            const auto& cat = study.services.catalogue.require(study_.sites_category, study.services.catalogue.file(), "",
                                                               "--category");
            RateAnalysis a = run_rates(study, {cat.key, target_, target_population_},
                                       study.services.set.in_category(cat.key), study.provenance());
            // All or nothing: swapped in once every file is written.
            StagedDirectory(output_).write_and_commit([&](const std::filesystem::path& dir) { write_rate_outputs(dir, a); });
            print_warnings(a.warnings, output_ + "/summary.json");
            for (const auto& r : a.table.rows)
                std::printf("%-11s %-55s %8.1f / %9.0f = %7.3f per 1000\n", r.level.c_str(), r.name.c_str(), r.capacity,
                            r.target_population, r.per_1000);
            return 0;
        }
        WorkspaceOptions wo{network_.network_spec(), network_.network_options(study_.geodata), {}};
        StudySources sources = study_sources(study_);
        if (!neighbour_population_.empty())
            sources.services.neighbour_population.assign(neighbour_population_.begin(), neighbour_population_.end());
        Workspace ws(maillage::load_study(sources), wo);
        AccessParameters p{study_.sites_category, max_ages_, decay_, demand_weights_};
        const auto& cat = ws.catalogue().require(p.category, ws.catalogue().file(), "", "--category");
        AccessAnalysis a = run_access(ws, p, ws.services().in_category(cat.key), ws.provenance());
        StagedDirectory(output_).write_and_commit(
            [&](const std::filesystem::path& dir) { write_access_outputs(dir, a, ws.territory()); });
        print_warnings(a.warnings, output_ + "/summary.json");
        double mean = access_summary(a)["variants"][0]["mean_per_100k"].get<double>();
        std::printf("%s: %zu sites (%zu beyond the study area), supply %.1f; %lld inhabitants beyond the study area "
                    "compete for them; mean access %.1f per 100 000 inhabitants (travel times %s)\n",
                    cat.label_fr.c_str(), a.sites, a.sites_beyond_study_area, a.total_supply,
                    a.demand_beyond_study_area, mean, a.travel_time_source.c_str());
        return 0;
    }

private:
    StudyOptions study_;
    NetworkCliOptions network_;
    std::string decay_, demand_weights_, target_, target_population_, output_;
    std::vector<std::string> neighbour_population_;
    std::vector<int> max_ages_;
    bool rate_ = false;
};

}  // namespace

std::unique_ptr<Command> make_access_command() { return std::make_unique<AccessCommand>(); }

}  // namespace maillage::cli
