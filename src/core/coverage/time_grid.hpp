#pragma once
// A regular grid over the study area whose cells carry a network travel time. Each cell
// centre is attached to the network once; any search can then be evaluated on every
// cell. Contouring this field gives catchments that work alike for a dense OSM graph and
// for the coarse estimated commune graph.
#include <vector>

#include "routing/travel_network.hpp"
#include "geo/ogr_ptr.hpp"

namespace maillage {

class TimeGrid {
public:
    // Cells whose centre is inside `study_area`; the cell size grows if the grid would
    // exceed `max_cells`.
    TimeGrid(const TravelNetwork& network, const OGRGeometry& study_area, double cell_size_m,
             std::size_t max_cells = 400000);

    [[nodiscard]] int width() const { return width_; }
    [[nodiscard]] int height() const { return height_; }
    [[nodiscard]] double cell_size() const { return cell_; }
    [[nodiscard]] double min_x() const { return min_x_; }
    [[nodiscard]] double max_y() const { return max_y_; }

    // Minutes per cell for a search (row-major, north row first); +inf outside the area
    // or beyond the search limit.
    [[nodiscard]] std::vector<float> minutes(const SiteSearch& search) const;

private:
    const TravelNetwork& network_;
    int width_ = 0, height_ = 0;
    double cell_ = 0, min_x_ = 0, max_y_ = 0;
    std::vector<std::int32_t> cell_of_attachment_;  // row-major cell index → attachment index or -1
    std::vector<Attachment> attachments_;
};

}  // namespace maillage
