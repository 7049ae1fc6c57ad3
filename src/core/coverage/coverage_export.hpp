#pragma once
// Turns coverage results into the files planners open: communes GeoJSON, gaps CSV,
// summary JSON, and a GeoPackage with every layer.
#include <filesystem>
#include <optional>

#include <nlohmann/json.hpp>

#include "coverage/aggregation.hpp"
#include "coverage/catchment.hpp"
#include "coverage/gaps.hpp"
#include "util/diagnostics.hpp"

namespace maillage {

struct CoverageReport {
    std::string category;
    std::string category_label;
    std::string travel_time_source;
    const Territory* territory = nullptr;
    const CoverageResult* result = nullptr;
    const CoverageTables* tables = nullptr;
    const GapReport* gaps = nullptr;
    const CatchmentSet* catchments = nullptr;   // may be null (--no-catchments)
    nlohmann::json metadata;                    // provenance + parameters
    std::vector<std::string> warnings;
};

// "10-20 min", "> 30 min" or "unreachable": the class of a time among the bands.
std::string coverage_band_label(double minutes, const std::vector<double>& bands, bool reachable);
std::string band_key(double minutes);  // "10", "7.5"

FeatureLayer coverage_communes_layer(const CoverageReport& report);
// "sites": one Point (Lambert-93) per site of the result, in SiteId order (after a scenario's
// additions and closures). Properties: site_id, name, category, commune (INSEE code given with
// the site, else the study commune containing it, else null), location_precision,
// in_study_area, count, capacity_places, capacity_fte (null when not given), attached,
// snap_distance_m, beside_cut_off_road.
FeatureLayer coverage_sites_layer(const CoverageReport& report);
nlohmann::ordered_json coverage_summary(const CoverageReport& report);
std::vector<std::vector<std::string>> gaps_rows(const CoverageReport& report);
const std::vector<std::string>& gaps_header();

// Writes coverage_communes.geojson, catchments.geojson, sites.geojson (+ covered.geojson,
// not_covered.geojson with catchments), gaps.csv, summary.json, coverage.gpkg, and the QGIS
// styles coverage_communes.qml, catchments.qml, sites.qml (also in coverage.gpkg's layer_styles).
void write_coverage_outputs(const std::filesystem::path& dir, const CoverageReport& report);

}  // namespace maillage
