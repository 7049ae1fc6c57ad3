#pragma once
// Layers of nested polygons (a site's 10-minute catchment lies within its 20-minute one;
// not_covered at 20 min within not_covered at 10 min) must still be nested, and valid, in
// the written file, whose vertices are each reprojected and rounded on their own.
//
// The writers call nested_output_geometries for such a layer. Each family (the features of
// one site, or the whole layer) is first checked in Lambert-93: when every vertex is far
// enough from every edge it does not end (rounding_keeps_topology), moving each vertex by the
// writer's rounding cannot make two boundaries cross or touch anew, so what was nested and
// valid in Lambert-93 is nested and valid in the file, and the writer writes the family as
// it writes anything else. build_catchments makes its families so (catchment.hpp). A family
// that fails the check is rebuilt in output coordinates on the output grid (nest_on_grid),
// where nesting is then established and verified on the very coordinates written.
#include <functional>
#include <string_view>
#include <vector>

#include "output/feature.hpp"

namespace maillage {

struct NestedLayerRule {
    std::string_view layer;     // FeatureLayer::name
    std::string_view group_by;  // property naming a family ("": the whole layer is one family)
    std::string_view order_by;  // numeric property ordering a family
    bool grows;                 // true: a larger order_by value, a larger polygon
};

// The layers build_catchments writes: catchments (per site_id), covered, not_covered (one
// family each, by band_minutes). A layer is treated as nested only when every feature with
// a geometry has a numeric order_by.
inline constexpr NestedLayerRule kNestedLayers[] = {
    {"catchments", "site_id", "band_minutes", true},
    {"covered", "", "band_minutes", true},
    {"not_covered", "", "band_minutes", false},
};
const NestedLayerRule* nested_layer_rule(const FeatureLayer& layer);

// How a writer turns Lambert-93 vertices into written ones.
struct OutputGrid {
    std::function<void(std::vector<double>& x, std::vector<double>& y)> from_lambert93;  // in place
    int decimals = -1;           // decimals of the written coordinates; -1: full precision
    int fallback_decimals = 7;   // grid of a rebuilt family when decimals is -1
    double rounding_m = 0;       // how far writing may move a vertex, in metres (an upper bound)
};

// Per feature of `layer` (same order): null where the writer's own path keeps its family
// nested and valid, else the polygon in output coordinates, on the output grid, its family
// rebuilt by nest_on_grid.
std::vector<GeometryPtr> nested_output_geometries(const FeatureLayer& layer, const NestedLayerRule& rule,
                                                  const OutputGrid& grid);

// Lambert-93 polygons, nested and valid as they are: true when every vertex is more than
// 2.5 × (rounding_m + the most an edge bends when reprojected) from every edge it is not an
// end of, and no edge is shorter than that. Then moving each vertex by up to rounding_m
// makes no boundary cross or touch another anew, so they stay nested and valid. Edges
// shared by two polygons must be the same edge (same two vertices): a vertex lying on
// another polygon's edge fails. (Edges crossing away from any vertex are not looked for:
// they cannot occur in polygons nested and valid.)
bool rounding_keeps_topology(const std::vector<const OGRGeometry*>& family, double rounding_m);

// Polygons in one CRS, smallest first and nearly nested → exactly nested, valid polygons on a
// grid of 10^-decimals: all boundaries are snap-rounded together (GEOS fixed precision),
// each face of that arrangement goes to the smallest polygon holding it, and each result is
// the union of the faces of its rank and below. Verified (GEOS isValid, within) on the
// returned coordinates; throws OutputError if that cannot be reached. Empty stays empty.
std::vector<GeometryPtr> nest_on_grid(const std::vector<const OGRGeometry*>& smallest_first, int decimals);

}  // namespace maillage
