#include "network/roads_memory_estimate.hpp"

#include <vector>

#include <ogrsf_frmts.h>

#include "geo/vector_source.hpp"

namespace maillage {

// The formula and its calibration. What the build holds grows with two counts:
//  - the features F: each road is a node or two of the snapping grid, two directed edges in
//    the flat arrays, then the graph's nodes and edges a few times over during the clean-up
//    (strongly connected component, contraction, Hilbert order: graph_tools, each step freeing
//    the previous graph): about 250 B;
//  - the points P (ends included): the intermediate ones are kept once per road as shape
//    points (16 B, in a table that grows by doubling: the contraction appends to it), the
//    ends are read and dropped: about 18 B;
// plus 20 MB (GDAL's driver and page cache, PROJ's transformation). Fitted (least relative
// squares) on the synthetic layers (bench/synth, maillage-synth-roads: S segments of K shape
// points, P = S·(K+2)), measured as in test_roads_memory_estimate.cpp (peak resident size of
// a fresh process loading the layer minus its size before), 2026-11-26:
//     S, K             F           P          measured   estimate
//       30 000, 8       30 000      300 000     33 MB      33 MB
//      100 000, 2      100 000      400 000     53 MB      52 MB
//      100 000, 8      100 000    1 000 000     63 MB      63 MB
//      200 000, 8      200 000    2 000 000    106 MB     106 MB
//      300 000, 0      300 000      600 000    110 MB     106 MB
//      300 000, 8      300 000    3 000 000    153 MB     149 MB
//      300 000, 30     300 000    9 600 000    325 MB     268 MB
//    1 000 000, 0    1 000 000    2 000 000    303 MB     306 MB
//    1 000 000, 8    1 000 000   10 000 000    431 MB     450 MB
//    1 000 000, 30   1 000 000   32 000 000    785 MB     846 MB
// (within 18 %: the steps are the shape table doubling). Features the mapping skips
// (unmapped classes, exclusions, "none" directions) are counted too: the estimate errs high
// for them. Refit when the loader or graph_tools change how much they hold
// (MAILLAGE_ROADS_MEMORY_CALIBRATE).
std::uint64_t road_build_memory_bytes(const RoadLayerCounts& c) {
    constexpr double kFixed = 20e6;
    constexpr double kPerFeature = 250.0;
    constexpr double kPerPoint = 18.0;
    return static_cast<std::uint64_t>(kFixed + kPerFeature * static_cast<double>(c.features) +
                                      kPerPoint * static_cast<double>(c.points));
}

RoadLayerCounts count_road_layer(OGRLayer& layer) {
    // Geometries only: every attribute field (and the style) ignored while counting.
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    std::vector<const char*> ignored;
    for (int i = 0; i < defn->GetFieldCount(); ++i) ignored.push_back(defn->GetFieldDefn(i)->GetNameRef());
    ignored.push_back("OGR_STYLE");
    ignored.push_back(nullptr);
    layer.SetIgnoredFields(ignored.data());
    layer.ResetReading();
    RoadLayerCounts c;
    for (auto& f : layer) {
        ++c.features;
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        switch (wkbFlatten(g->getGeometryType())) {
            case wkbLineString: c.points += static_cast<std::uint64_t>(g->toLineString()->getNumPoints()); break;
            case wkbMultiLineString:
                for (const auto* part : *g->toMultiLineString()) c.points += static_cast<std::uint64_t>(part->getNumPoints());
                break;
            default: break;  // the loader says what is wrong with it
        }
    }
    layer.SetIgnoredFields(nullptr);
    layer.ResetReading();
    return c;
}

RoadMemoryEstimate estimate_road_layer_memory(const std::filesystem::path& file, const std::string& layer) {
    VectorSource src(file, layer);
    RoadMemoryEstimate out;
    out.counts = count_road_layer(src.layer());
    out.peak_bytes = road_build_memory_bytes(out.counts);
    return out;
}

}  // namespace maillage
