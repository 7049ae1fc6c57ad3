#pragma once
// Service points from a CSV (lon/lat in WGS84, or x/y with a declared CRS) or any OGR
// point layer, validated field by field, then placed against the study area.
#include <filesystem>
#include <string>
#include <vector>

#include "services/catalogue.hpp"
#include "services/service.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct SiteFileOptions {
    std::filesystem::path path;
    std::string category;        // fixed category for every row; empty: read the `category` field
    std::string crs = "EPSG:4326";  // for CSV x/y columns
    std::string layer;           // OGR layer name, empty: first
};

// What the CSV reader detected or repaired (a French spreadsheet's ';' separator, decimal
// commas, Windows-1252 text, commune codes without their leading zero) is appended to
// `diagnostics` when given.
std::vector<ServiceSite> read_sites(const SiteFileOptions& options, const ServiceCatalogue& catalogue,
                                    Diagnostics* diagnostics = nullptr);

// Keeps sites within `margin` of the study area (cross-border supply counts) and marks
// in_study_area. Beyond the margin: an InputError naming the site when `reject_far`
// (a user's own file: swapped lat/lon is the classic mistake), else dropped and counted
// in a warning (reference files that cover several départements).
void place_sites(std::vector<ServiceSite>& sites, const Territory& territory, double margin_m, bool reject_far,
                 Diagnostics& diagnostics);

}  // namespace maillage
