#pragma once
// Catchment polygons: per site and band, and the dissolved covered / not covered areas of
// a category. Method: contouring a grid of network times (TimeGrid) with GDAL's
// polygonizer — valid polygons with holes, nested by construction (a band's cells are a
// superset of the smaller band's), then clipped to the study area.
#include <map>
#include <mutex>
#include <string>
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

// One site's catchment polygons depend only on the site (name, id, where it is attached),
// the bands and the grid: a run that draws many site sets (scenario variants) keeps them
// here and draws only the sites it has not seen. Thread-safe.
class CatchmentCache {
public:
    // Copies of the features stored for `key`; false when absent.
    bool find(const std::string& key, std::vector<Feature>& out) const;
    void store(const std::string& key, const std::vector<Feature>& features);

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<Feature>> entries_;
};

CatchmentSet build_catchments(const TravelNetwork& network, const AttachedSites& sites, const OGRGeometry& study_area,
                              const CatchmentOptions& options);
// The same on a grid already attached to the network (a run that draws several site sets
// attaches the grid once). The grid's cell size wins over options.cell_size.
CatchmentSet build_catchments(const TravelNetwork& network, const TimeGrid& grid, const AttachedSites& sites,
                              const OGRGeometry& study_area, const CatchmentOptions& options,
                              CatchmentCache* cache = nullptr);

}  // namespace maillage
