// `maillage coverage`: travel time to the nearest site of a category for every inhabitant,
// population per band, gaps, catchments — as GeoJSON, GeoPackage, CSV and JSON.
#include <cmath>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common/category_check.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/number_checks.hpp"
#include "cli/common/study_options.hpp"
#include "analysis/coverage_analysis.hpp"
#include "cli/common/warnings.hpp"
#include "util/errors.hpp"
#include "util/staged_directory.hpp"

namespace maillage::cli {

namespace {

class CoverageCommand : public Command {
public:
    std::string name() const override { return "coverage"; }
    std::string examples() const override {
        return R"(  maillage coverage --category france_services -o out/fs
      Vienne, estimated network, bands of the catalogue (10, 15, 20, 30, 45 min)
  maillage coverage --category pharmacie --thresholds 10,20 --no-catchments -o out/ph
      with a road network: add --network osm:poitou-charentes-latest.osm.pbf (an OSM extract you downloaded)
)";
    }
    std::string description() const override {
        return "Travel-time coverage of a service category: per commune, EPCI, territory; gaps; catchments";
    }
    void setup(CLI::App& app) override {
        study_.add_to(app);
        network_.add_to(app);
        app.add_option("--thresholds", thresholds_,
                       "Bands in minutes, ascending, each > 0 and <= 1440 (default: the category's, see catalogue)");
        app.add_option("--gap-threshold", gap_threshold_,
                       "Minutes beyond which a commune is a gap (default: 20, or the last band if smaller)")
            ->check(number_in(0, bounds::kMaxMinutes, "minutes", true));
        app.add_option("--demand", demand_, "Where people are: point (commune representative point), grid, layer");
        app.add_option("--demand-step", demand_step_, "Grid step in metres for --demand grid")
            ->check(number_in(bounds::kMinDemandStepM, bounds::kMaxDemandStepM, "m"));
        app.add_option("--demand-layer", demand_layer_, "Population points/polygons for --demand layer");
        app.add_option("--demand-field", demand_field_, "Population field of --demand-layer");
        app.add_option("--cell-size", cell_size_,
                       "Catchment grid cell in metres (default 250 on roads, 500 estimated)")
            ->check(number_in(bounds::kMinCellM, bounds::kMaxCellM, "m"));
        app.add_flag("--no-catchments", no_catchments_, "Skip catchment polygons");
        app.add_option("--site-catchments", site_catchments_,
                       "Per-site catchment polygons: auto (up to 2000 sites), all or none; the covered and "
                       "not-covered areas are always drawn (default auto)");
        app.add_option("-o,--output", output_, "Output directory (replaced as a whole when the run succeeds)")->required();
    }
    void validate() override {
        if (study_.sites_category.empty()) throw UsageError("coverage: --category is required (e.g. france_services, gp)");
        if (!thresholds_.empty()) bands_ = parse_minutes_list(thresholds_, "--thresholds");
        (void)parse_demand_method(demand_);
        (void)parse_site_catchments(site_catchments_);
        if (demand_ == "layer" && demand_layer_.empty()) throw UsageError("--demand layer needs --demand-layer FILE");
        check_category_option(study_.sites_category, study_.geodata);
    }
    int run() override {
        // Before any work: the inputs can be read, the output directory can be replaced and
        // holds no input, and no other run writes it (held until the end).
        std::vector<InputFile> inputs = study_.input_files();
        for (auto& in : network_.input_files()) inputs.push_back(std::move(in));
        if (demand_ == "layer") inputs.push_back({"--demand-layer", demand_layer_});
        check_input_files(inputs);
        check_output_directory(output_, inputs);
        OutputReservation reservation(output_);

        WorkspaceOptions wo{network_.network_spec(), network_.network_options(study_.geodata),
                            {parse_demand_method(demand_), Metres(demand_step_), demand_layer_, demand_field_}};
        Study study = load_study(study_);
        if (wo.demand.method == DemandMethod::grid) {
            const double cells = demand_grid_cells(study.territory, demand_step_);
            if (cells > defaults::kMaxDemandGridCells)
                throw UsageError("--demand-step " + number_text(demand_step_) + ": the demand grid would have about " +
                                 number_text(std::round(cells)) + " cells over the study's communes, more than " +
                                 number_text(defaults::kMaxDemandGridCells) + ": give a larger step");
        }
        Workspace ws(std::move(study), wo);
        CoverageParameters p{study_.sites_category, bands_, {}, !no_catchments_, {}};
        if (gap_threshold_ > 0) p.gap_threshold_minutes = gap_threshold_;
        if (cell_size_ > 0) p.cell_size = Metres(cell_size_);
        p.site_catchments = parse_site_catchments(site_catchments_);
        ResolvedCoverageParameters resolved = resolve(p, ws);
        auto sites = ws.services().in_category(resolved.category.key);
        CoverageAnalysis analysis = run_coverage(ws, resolved, sites, ws.provenance());
        // All or nothing: swapped in once every file is written.
        StagedDirectory(output_).write_and_commit(
            [&](const std::filesystem::path& dir) { write_coverage_outputs(dir, analysis.report(ws.territory())); });
        print_warnings(analysis.warnings, output_ + "/summary.json");

        const auto& dep = analysis.tables.departement;
        const auto& bands = resolved.bands_minutes;
        std::printf("%s (%s): %zu sites, travel times %s\n", resolved.category.label_fr.c_str(),
                    resolved.category.key.c_str(), sites.size(), analysis.travel_time_source.c_str());
        for (std::size_t b = 0; b < bands.size(); ++b)
            std::printf("  within %4g min: %9.0f inhabitants (%5.1f %%)\n", bands[b], dep.within_band[b],
                        dep.population > 0 ? 100.0 * dep.within_band[b] / dep.population : 0.0);
        std::printf("  gaps beyond %g min: %zu communes in %zu clusters; outputs in %s\n",
                    resolved.gap_threshold_minutes, analysis.gaps.gaps.size(), analysis.gaps.clusters.size(),
                    output_.c_str());
        return 0;
    }

private:
    StudyOptions study_;
    NetworkCliOptions network_;
    std::string thresholds_;
    std::vector<double> bands_;
    double gap_threshold_ = 0;
    std::string demand_ = "point";
    double demand_step_ = 1000;
    std::string demand_layer_;
    std::string demand_field_ = "population";
    double cell_size_ = 0;
    bool no_catchments_ = false;
    std::string site_catchments_ = "auto";
    std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_coverage_command() { return std::make_unique<CoverageCommand>(); }

}  // namespace maillage::cli
