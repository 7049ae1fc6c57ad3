#pragma once
// Catchment polygons: per site and band, and the dissolved covered / not covered areas of
// a category. Method: contouring a grid of network times (TimeGrid) with GDAL's
// polygonizer — valid polygons with holes, nested by construction (a band's cells are a
// superset of the smaller band's), then clipped to the study area.
#include <vector>

#include "coverage/coverage.hpp"
#include "coverage/time_grid.hpp"
#include "output/feature.hpp"

namespace maillage {

struct CatchmentOptions {
    std::vector<Seconds> bands;   // ascending
    Metres cell_size{250};
    unsigned threads = 1;         // per-site polygons in parallel; never changes the result
};

struct CatchmentSet {
    FeatureLayer per_site_band;   // one feature per (site, band) reaching any cell
    FeatureLayer covered;         // one feature per band: union over all sites
    FeatureLayer not_covered;     // one feature per band: study area minus covered
    double cell_size_m = 0;
};

CatchmentSet build_catchments(const TravelNetwork& network, const AttachedSites& sites, const OGRGeometry& study_area,
                              const CatchmentOptions& options);
// The same on a grid already attached to the network (a run that draws several site sets
// attaches the grid once). The grid's cell size wins over options.cell_size.
CatchmentSet build_catchments(const TravelNetwork& network, const TimeGrid& grid, const AttachedSites& sites,
                              const OGRGeometry& study_area, const CatchmentOptions& options);

}  // namespace maillage
