#pragma once
// Named points from a CSV (id + lon/lat in WGS84, or id + x/y in a declared CRS) or any
// OGR point layer, projected to Lambert-93 and validated row by row.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geo/crs.hpp"
#include "geo/point.hpp"
#include "util/csv_table.hpp"

namespace maillage {

struct NamedPoint {
    std::string id;
    Point2 position;
    std::string where;  // "line 3" / "feature 2", for later messages
};

// Which CSV columns hold the coordinates, and the transformation to Lambert-93.
struct CsvPointColumns {
    std::size_t x = 0, y = 0;
    bool lonlat = true;
    std::optional<CrsTransform> to_l93;
};

CsvPointColumns locate_point_columns(const CsvTable& table, const std::string& crs_for_xy);
// Throws InputError naming file, line and field for non-numeric / out-of-range / NaN values.
Point2 read_csv_point(const CsvTable& table, const CsvTable::Row& row, const CsvPointColumns& cols);

std::vector<NamedPoint> read_points(const std::filesystem::path& path, const std::string& crs_for_xy = "EPSG:2154",
                                    const std::string& id_field = "");

}  // namespace maillage
