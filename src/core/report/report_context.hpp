#pragma once
// What the pages of a report share while it is being built: the run, the map geometry,
// and small helpers that phrase categories and figures in French. Internal to report/.
#include <optional>
#include <string>
#include <vector>

#include "output/time_classes.hpp"
#include "report/map_geometry.hpp"
#include "report/report_document.hpp"
#include "report/run_outputs.hpp"
#include "report/svg_map.hpp"

namespace maillage::report {

struct ReportContext {
    const RunOutputs& run;
    const ReportOptions& options;
    std::optional<MapGeometry> geometry;  // absent when the run has no commune layer
    std::vector<std::string> town_codes;  // the most populous communes, labelled on maps
    std::string source_line;              // under every map
    int next_id = 0;
    std::vector<std::string> omitted;     // parts left out, said on the methodology page

    std::string unique_id(const std::string& prefix) { return prefix + "-" + std::to_string(++next_id); }
};

// "d'une France Services", "d'un médecin généraliste"; unknown categories: "de « Label »".
std::string with_article(const std::string& category, const std::string& label);

// The population of `area` within the gap threshold (a band of the run when it is one,
// else the largest band below it).
double within_threshold(const CoverageOutcome& c, const AreaFigures& area);

// Population per time class (for bars and legends): within b1, b1–b2, ..., beyond bn, unreachable.
std::vector<double> population_per_class(const AreaFigures& area);

// Fills of the communes of the geometry, by the class of their time in `c`.
std::vector<std::string> time_fills(const MapGeometry& g, const CoverageOutcome& c, const std::vector<TimeClass>& classes);

// A commune map of `c` over `region` with legend (classes with commune counts) and sites.
// `territory`: when given, the legend counts only that territory's communes.
CommuneMap coverage_map(ReportContext& ctx, const CoverageOutcome& c, const Box& region, double width, double height,
                        double legend_width, const std::string& territory = {});

Symbol category_symbol(const std::string& category);

// Quintile classes of an access index over the communes (low access = dark).
struct IndexClasses {
    std::vector<double> sorted;  // every commune's index, ascending
    std::vector<double> cuts;    // 4 bounds
    [[nodiscard]] std::size_t of(double value) const;
};
IndexClasses index_classes(const AccessOutcome& access);
// A map of the index of `access` classed by `classes` (a baseline's, so variants compare).
CommuneMap index_map(ReportContext& ctx, const AccessOutcome& access, const IndexClasses& classes, double width,
                     double height, double legend_width);

// The category's label as the run wrote it (summary.json of a coverage), else the key.
std::string category_label(const ReportContext& ctx, const std::string& key);

// Page builders (each returns one or more <section class="page">).
std::string coverage_pages(ReportContext& ctx, const CoverageOutcome& c);
std::string variant_pages(ReportContext& ctx, const VariantOutcome& baseline, const VariantOutcome& variant);
std::string optimise_page(ReportContext& ctx, const OptimiseOutcome& o);
std::string access_page(ReportContext& ctx, const AccessOutcome& a);
std::string rates_page(ReportContext& ctx, const RateOutcome& r);
std::string territory_pages(ReportContext& ctx, const VariantOutcome& baseline);
std::string method_page(ReportContext& ctx);
std::string estimate_warning_box(const ReportContext& ctx);

const char* report_stylesheet();

}  // namespace maillage::report
