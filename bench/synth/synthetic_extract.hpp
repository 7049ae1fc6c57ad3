#pragma once
// A synthetic OpenStreetMap extract of a chosen size with the structure of a real road
// network, for benchmarks and scale tests of the OSM loader (issue 15): the same options
// always give the same bytes, and the counts below are exact, so a test can check what a
// loader read and a benchmark can say what it measured.
//
// Layout (N = size, K = shape_nodes, s = spacing_m, I = islands):
//  - Main grid: N × N intersections (r, c), r = 0..N-1 from north to south, c = 0..N-1 from
//    west to east, s metres apart, centred on (centre_lon, centre_lat). Neighbouring
//    intersections are joined by a link: east links (r, c)–(r, c+1) and south links
//    (r, c)–(r+1, c). Each link has K shape nodes at k·s/(K+1), k = 1..K, along it, moved
//    sideways by shape_offset_m(...) (north for east links, east for south links).
//  - Ways run along rows (west → east) and columns (north → south), one per chunk of 8 links:
//    chunk j of a line holds links 8j .. min(8j+8, N-1)-1, so a line has W = ⌈(N-1)/8⌉ ways.
//  - Class of a line (row or column index i): i % 32 == 0 primary (car profile 75 km/h),
//    else i % 8 == 0 secondary (70), else i % 4 == 0 tertiary (60), else i even
//    unclassified (50), else residential (30).
//  - maxspeed: primary chunks with j % 4 == 1 carry maxspeed=50 (a village), secondary chunks
//    with j % 4 == 2 carry maxspeed=90.
//  - oneway=yes on the even chunks (j % 2 == 0) of rows r % 8 == 1 (eastwards) and
//    r % 8 == 5 (nodes listed east → west, so westwards). Columns and every other row are
//    two-way, so each one-way link (r,c)→(r,c+1) lies on the cycle through row r-1 (always
//    two-way) and the two columns: the main grid stays strongly connected.
//  - Islands: I small 3 × 3 residential grids (2 links per row and column, one way per row
//    and column, two-way), not connected to the main grid: island i's node (a, b) stands at
//    grid position (row N + 4 + a, column 4i + b), i.e. 5 spacings south of the main grid.
//    A loader keeping the largest strongly connected component drops them (N² > 9, so N ≥ 4).
//
// Positions: local metres x = (c - (N-1)/2)·s east, y = ((N-1)/2 - r)·s north of the centre
// (plus the sideways offset for shape nodes); lon = lon0 + x / (Nφ·cos φ0) · 180/π,
// lat = lat0 + y / Mφ · 180/π with the WGS84 radii of curvature at φ0 = centre_lat
// (Mφ = a(1-e²)/(1-e² sin²φ0)^1.5, Nφ = a/(1-e² sin²φ0)^0.5), rounded to OSM's 1e-7°.
// Near the centre a link's ellipsoidal length is therefore, to a few millimetres,
//     sum over pieces p = 0..K of hypot(s/(K+1), o[p+1] - o[p]),   o[0] = o[K+1] = 0,
// where o[k] = shape_offset_m(direction, r, c, k) (exactly s when K = 0). Far from the centre
// east–west lengths follow cos(latitude) (±1.4 % at the edge of a 160 km grid), as on a map.
//
// Ids (nodes streamed in increasing id order, then ways; nothing is held per node):
//  - intersection (r, c):            1 + r·N + c
//  - east-link shape node (r, c, k): 1 + N² + (r·(N-1) + c)·K + k - 1
//  - south-link shape node (r,c,k):  1 + N² + N(N-1)K + (r·N + c)·K + k - 1
//  - island i: a block of 9 + 12K ids after those: its 9 intersections (3a + b), then the
//    shape nodes of its 6 east links (2a + b) and of its 6 south links (3a + b), K each.
//  - ways: row r chunk j: 1 + r·W + j; column c chunk j: 1 + N·W + c·W + j; island i:
//    1 + 2NW + 6i + m (m = 0..2 its rows, 3..5 its columns).
//
// Exact counts (expected_counts):
//   OSM nodes  = N² + 2N(N-1)·K + I·(9 + 12K)
//   ways       = 2N·W + 6I,                  W = ⌈(N-1)/8⌉
//   links      = 2N(N-1) + 12I               (road segments between intersections)
//   one-way rows R1 = ⌊(N+2)/4⌋ (r % 4 == 1), one-way ways = R1·⌈W/2⌉,
//   one-way links = R1·L1 with L1 = Σ over even j < W of min(8, N-1-8j)
//   arcs (main grid, directed) = 4N(N-1) - R1·L1
//   maxspeed ways = 2P·#{j < W : j%4 == 1} + 2S·#{j < W : j%4 == 2},
//     P = ⌊(N-1)/32⌋ + 1 primary lines, S = ⌊(N-1)/8⌋ + 1 - P secondary lines
// Every intersection is a graph node of the extract (shared by a row way and a column
// way); shape nodes are not. maillage's loader then contracts a corner whose two roads have
// the same speed both ways (e.g. (0,0), primary both ways), so its graph has N² minus those
// corners. N = 1000, K = 9, I = 3 (the region fixture): 18 982 351 OSM nodes, 250 018 ways,
// 1 000 000 intersections, 125 750 one-way links, 3 870 250 arcs (~40 MB of PBF: the offsets
// make shape nodes as incompressible as real ones). N = 4500, K = 0: 20 M graph nodes.
#include <cstdint>
#include <filesystem>
#include <string>

namespace maillage::synth {

struct ExtractOptions {
    std::int64_t size = 1000;     // N ≥ 2: intersections per row and per column
    std::int64_t shape_nodes = 9; // K ≥ 0: shape nodes between neighbouring intersections
    double spacing_m = 160.0;     // between neighbouring intersections (1000 × 160 m ≈ Poitou-Charentes)
    std::int64_t islands = 3;     // small disconnected 3 × 3 grids
    double centre_lon = 0.34;     // Poitiers
    double centre_lat = 46.58;
    std::filesystem::path output; // .osm.pbf, .osm, .opl...: libosmium picks the format from the name
};

struct ExtractCounts {
    std::int64_t osm_nodes = 0;
    std::int64_t ways = 0;
    std::int64_t links = 0;             // main grid and islands
    std::int64_t intersections = 0;     // main grid: N²
    std::int64_t arcs = 0;              // main grid, directed
    std::int64_t oneway_ways = 0;
    std::int64_t oneway_links = 0;
    std::int64_t maxspeed_ways = 0;
    std::int64_t island_nodes = 0;      // intersections of the islands: 9I
    std::int64_t island_links = 0;      // 12I: the roads a loader drops as cut off
};

// Throws std::invalid_argument naming the option when the options cannot make an extract
// (N < 2, K out of 0..200 — a way keeps under OSM's 2000 nodes —, spacing not in 20 m..10 km,
// positions beyond ±85° latitude or ±180° longitude, no output path for write_extract).
void check_options(const ExtractOptions& options);

[[nodiscard]] ExtractCounts expected_counts(const ExtractOptions& options);

// Sideways offset in metres of shape node k (1..K) of the link leaving intersection (r, c)
// eastwards (east_link) or southwards: 3 m × (h % 2001 - 1000) / 1000 with h the splitmix64
// hash of (direction << 56 | r << 36 | c << 16 | k), direction 0 east, 1 south: an integer
// hash, the same with every standard library (no std:: distribution). Island links use
// their grid position (row N + 4 + a, column 4i + b).
[[nodiscard]] double shape_offset_m(bool east_link, std::int64_t r, std::int64_t c, std::int64_t k);

// OSM class of row or column i (line index) in the main grid: "primary", "secondary", ...
[[nodiscard]] const char* line_class(std::int64_t i);

// Writes the extract to options.output (through a temporary file beside it, renamed at the
// end: a file at that path is always complete). Streams: memory does not grow with N
// (measured 31 MB at N = 1000, 41 MB at N = 4500, K = 9). Throws std::invalid_argument for
// bad options or an unknown format, std::runtime_error (libosmium's io_error,
// std::system_error) when the file cannot be written.
void write_extract(const ExtractOptions& options);

}  // namespace maillage::synth
