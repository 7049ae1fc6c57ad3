#pragma once
// A synthetic road line layer of a chosen number of segments, shaped like IGN ROUTE 500's
// TRONCON_ROUTE (the fields of geodata/road_mappings/route500.json and the product's other
// attributes, Lambert-93), written as a GeoPackage for benchmarks and scale tests of the road
// layer loader (`--network roads:FILE --road-mapping route500.json`). The same options give the
// same content (and, GDAL's version aside, the same bytes: the file's date is fixed).
//
// Layout (S = segments, K = shape_points, s = spacing_m):
//  - Grid: N × N intersections (r, c), N the smallest with 2N(N-1) >= S (grid_size), r = 0..N-1
//    from north to south, c = 0..N-1 from west to east, s metres apart, centred on (centre_x,
//    centre_y) in Lambert-93: x = centre_x + (c - (N-1)/2)·s, y = centre_y + ((N-1)/2 - r)·s.
//  - Segments (one feature, one LineString each) in this order, the first S kept: for each
//    row r, its east links (r, c)–(r, c+1), c = 0..N-2, then its south links (r, c)–(r+1, c),
//    c = 0..N-1 (none after the last row). Feature i (0-based) has ID_RTE500 = i + 1.
//    Every segment is drawn west → east or north → south with K shape points at k·s/(K+1),
//    k = 1..K, moved sideways by shape_offset (3 m at most), so S·(K+2) points in all.
//  - VOCATION of a line (row for east links, column for south links) i: i % 32 == 0
//    "Liaison principale" (80 km/h in the mapping), else i % 8 == 0 "Liaison régionale" (70),
//    else "Liaison locale" (55).
//  - SENS: east links of rows r % 8 == 1 "Sens unique" (eastwards), of rows r % 8 == 5
//    "Sens inverse" (westwards), every other segment "Double sens". Each one-way link lies on
//    the cycle through row r - 1 (two-way, written before it) and its two columns' links
//    (written before it too): whatever S, the segments written are one strongly connected
//    network, which a loader keeps whole.
#include <cstdint>
#include <filesystem>

namespace maillage::synth {

struct RoadLayerOptions {
    std::int64_t segments = 1'000'000;  // S >= 1: features written
    std::int64_t shape_points = 8;      // K: points between a segment's two ends (0..200)
    double spacing_m = 500.0;           // between neighbouring intersections (20 m..10 km)
    double centre_x = 497000.0;         // Lambert-93 (EPSG:2154) of the grid's centre: Poitiers
    double centre_y = 6613000.0;
    std::filesystem::path output;       // a GeoPackage, layer TRONCON_ROUTE
};

struct RoadLayerCounts {
    std::int64_t grid_size = 0;      // N
    std::int64_t segments = 0;       // S
    std::int64_t points = 0;         // S·(K+2), as stored
    std::int64_t oneway_segments = 0;  // "Sens unique" or "Sens inverse"
    std::int64_t arcs = 0;           // directed edges before any clean-up: 2S - oneway
};

// Smallest N >= 2 with 2N(N-1) >= segments.
[[nodiscard]] std::int64_t grid_size(std::int64_t segments);

// Throws std::invalid_argument naming the option when the options cannot make a layer (S < 1
// or above 50 M, K out of 0..200, spacing not in 20 m..10 km, the grid beyond 1 000 km of the
// Lambert-93 origin's plausible range, no output path for write_road_layer).
void check_options(const RoadLayerOptions& options);

[[nodiscard]] RoadLayerCounts expected_counts(const RoadLayerOptions& options);

// Writes the layer to options.output (a temporary GeoPackage beside it, renamed at the end: a
// file at that path is always complete). Memory stays flat (one feature at a time, a
// transaction per 100 000). Throws std::invalid_argument for bad options, std::runtime_error
// with GDAL's message when the file cannot be written.
void write_road_layer(const RoadLayerOptions& options);

}  // namespace maillage::synth
