// `maillage coverage`: travel time to the nearest site of a category for every inhabitant,
// population per band, gaps, catchments — as GeoJSON, GeoPackage, CSV and JSON.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/number_checks.hpp"
#include "cli/common/study_options.hpp"
#include "coverage/coverage_export.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

namespace {

class CoverageCommand : public Command {
public:
    std::string name() const override { return "coverage"; }
    std::string description() const override {
        return "Travel-time coverage of a service category: per commune, EPCI, territory; gaps; catchments";
    }
    void setup(CLI::App& app) override {
        study_.add_to(app);
        network_.add_to(app);
        app.add_option("--thresholds", thresholds_, "Bands in minutes, ascending (default: the category's, see catalogue)");
        app.add_option("--gap-threshold", gap_threshold_, "Minutes beyond which a commune is a gap (default: 20, or the last band if smaller)")
            ->check(positive_number());
        app.add_option("--demand", demand_, "Where people are: point (commune representative point), grid, layer");
        app.add_option("--demand-step", demand_step_, "Grid step in metres for --demand grid")->check(positive_number());
        app.add_option("--demand-layer", demand_layer_, "Population points/polygons for --demand layer");
        app.add_option("--demand-field", demand_field_, "Population field of --demand-layer");
        app.add_option("--cell-size", cell_size_, "Catchment grid cell in metres (default 250 on roads, 500 estimated)")
            ->check(positive_number());
        app.add_flag("--no-catchments", no_catchments_, "Skip catchment polygons");
        app.add_option("-o,--output", output_, "Output directory")->required();
    }
    void validate() override {
        if (study_.sites_category.empty()) throw UsageError("coverage: --category is required (e.g. france_services, gp)");
        if (!thresholds_.empty()) bands_ = parse_minutes_list(thresholds_, "--thresholds");
        (void)parse_demand_method(demand_);
        if (demand_ == "layer" && demand_layer_.empty()) throw UsageError("--demand layer needs --demand-layer FILE");
    }
    int run() override {
        Study study = load_study(study_);
        const ServiceCategory& category =
            study.services.catalogue.require(study_.sites_category, study.services.catalogue.file(), "", "--category");
        if (bands_.empty()) bands_ = category.bands_min;
        double gap = gap_threshold_ > 0 ? gap_threshold_ : std::min(20.0, bands_.back());

        Provenance provenance = study.provenance();
        TravelNetwork network = network_.open(&study.territory, study_.geodata, provenance);

        DemandOptions demand{parse_demand_method(demand_), Metres(demand_step_), demand_layer_, demand_field_};
        if (!demand_layer_.empty()) provenance.add_input("demand", demand_layer_);
        auto units = build_demand(study.territory, demand);
        auto sites = study.services.set.in_category(category.key);

        CoverageReport report;
        report.category = category.key;
        report.category_label = category.label_fr;
        report.travel_time_source = to_string(network.info().source);
        report.territory = &study.territory;
        if (sites.empty())
            report.warnings.push_back("no site of category '" + category.key + "' in the study: nobody is covered");
        if (network.info().is_estimate())
            report.warnings.push_back("travel times are ESTIMATED: no road network was given (--network)");
        CoverageResult result = compute_coverage(network, units, sites);
        const Diagnostics* sources[] = {&study.territory.diagnostics, &study.services.set.diagnostics,
                                        &network.info().diagnostics, &result.diagnostics};
        for (const Diagnostics* d : sources)
            for (const auto& w : d->warnings()) report.warnings.push_back(w.text());
        CoverageTables tables = aggregate_coverage(study.territory, units, result, bands_);
        GapReport gaps = find_gaps(study.territory, units, result, gap);
        std::optional<CatchmentSet> catchments;
        if (!no_catchments_) {
            CatchmentOptions co;
            for (double b : bands_) co.bands.push_back(minutes(b));
            co.cell_size = Metres(cell_size_ > 0 ? cell_size_ : network.info().is_estimate() ? 500.0 : 250.0);
            catchments = build_catchments(network, result.sites, *study.territory.study_area, co);
        }
        provenance.set_parameter("category", category.key);
        provenance.set_parameter("bands_minutes", bands_);
        provenance.set_parameter("gap_threshold_minutes", gap);
        provenance.set_parameter("demand", {{"method", to_string(demand.method)}, {"units", units.size()}});
        if (catchments) provenance.set_parameter("catchment_cell_size_m", round_to(catchments->cell_size_m, 1));
        report.metadata = provenance.to_json();
        report.result = &result;
        report.tables = &tables;
        report.gaps = &gaps;
        report.catchments = catchments ? &*catchments : nullptr;
        write_coverage_outputs(output_, report);

        const auto& dep = tables.departement;
        std::printf("%s (%s): %zu sites, travel times %s\n", category.label_fr.c_str(), category.key.c_str(), sites.size(),
                    report.travel_time_source.c_str());
        for (std::size_t b = 0; b < bands_.size(); ++b)
            std::printf("  within %4g min: %9.0f inhabitants (%5.1f %%)\n", bands_[b], dep.within_band[b],
                        dep.population > 0 ? 100.0 * dep.within_band[b] / dep.population : 0.0);
        std::printf("  gaps beyond %g min: %zu communes in %zu clusters; outputs in %s\n", gap, gaps.gaps.size(),
                    gaps.clusters.size(), output_.c_str());
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
    std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_coverage_command() { return std::make_unique<CoverageCommand>(); }

}  // namespace maillage::cli
