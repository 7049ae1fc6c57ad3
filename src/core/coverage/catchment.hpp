#pragma once
// Catchment polygons: per site and band, and the dissolved covered / not covered areas of
// a category. Method: contouring a grid of network times (TimeGrid) with GDAL's
// polygonizer — valid polygons with holes, nested by construction (a band's cells are a
// superset of the smaller band's), then clipped to the study area.
//
// Strict nesting (what a GIS `within` checks on the written files): the study area is
// noded once on the time grid (every crossing of its outline with a cell side is a vertex,
// snap-rounded on a 1 m grid, so the outline keeps at least 0.5 m from every grid node and
// cell side it does not touch); the cell corners are moved onto the same 1 m grid (a finer
// one only for cells under 8 m). A site's largest band is clipped once, each smaller band is
// its contour ∩ the next larger band's final polygon, covered likewise, and not_covered =
// study area − covered, each from the previous one: overlays on that grid that create no
// vertex (GEOS fixed precision should one ever need to), so the bands are exactly nested.
// Shared boundaries are then given the same vertices in every band, and cell-side edges are
// cut at most every kilometre: whatever the writers round or reproject vertex by vertex
// (≤ 0.1 m) then keeps the nesting and the validity (output/nested_layers.hpp checks it
// and rebuilds on the output grid the rare family where it would not hold).
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "coverage/coverage.hpp"
#include "coverage/time_grid.hpp"
#include "output/feature.hpp"

namespace maillage {

struct NodedStudyArea;  // the study area noded on a time grid (catchment.cpp)

struct CatchmentOptions {
    std::vector<Seconds> bands;   // ascending
    Metres cell_size{250};
    unsigned threads = 1;         // per-site polygons in parallel; never changes the result
    bool per_site = true;         // false: only the covered / not covered areas (all sites at once)
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
    // The study area noded on a grid (see above), made once per (area, grid) by `make`.
    std::shared_ptr<const NodedStudyArea> noded_area(const std::string& key,
                                                     const std::function<std::shared_ptr<const NodedStudyArea>()>& make);

private:
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<Feature>> entries_;
    std::map<std::string, std::shared_ptr<const NodedStudyArea>> areas_;
};

CatchmentSet build_catchments(const TravelNetwork& network, const AttachedSites& sites, const OGRGeometry& study_area,
                              const CatchmentOptions& options);
// The same on a grid already attached to the network (a run that draws several site sets
// attaches the grid once). The grid's cell size wins over options.cell_size.
CatchmentSet build_catchments(const TravelNetwork& network, const TimeGrid& grid, const AttachedSites& sites,
                              const OGRGeometry& study_area, const CatchmentOptions& options,
                              CatchmentCache* cache = nullptr);

}  // namespace maillage
