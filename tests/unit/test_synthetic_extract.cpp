// The synthetic OSM extract generator (bench/synth, issue 15): small grids are counted and
// timed by hand (counts, lengths from the documented offsets, class speeds of the car
// profile), expected_counts is checked against what libosmium reads back, and the real
// loader reads the files as the grid it was drawn as (islands cut off, one-ways kept).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <sys/wait.h>
#include <tuple>
#include <vector>

#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include "geo/crs.hpp"
#include "network/osm_loader.hpp"
#include "network/profile.hpp"
#include "support/cli_runner.hpp"
#include "synthetic_extract.hpp"

using namespace maillage;
using maillage::synth::ExtractOptions;

namespace {

ExtractOptions options(std::int64_t n, std::int64_t k, std::int64_t islands, const std::filesystem::path& file) {
    ExtractOptions o;
    o.size = n;
    o.shape_nodes = k;
    o.islands = islands;
    o.output = file;
    return o;
}

struct ReadWay {
    std::int64_t id = 0;
    std::vector<std::int64_t> refs;
    std::map<std::string, std::string> tags;
};

// Everything in a small file, in file order.
struct ReadBack : osmium::handler::Handler {
    std::vector<std::int64_t> node_ids;
    std::map<std::int64_t, osmium::Location> at;
    std::vector<ReadWay> ways;
    bool nodes_then_ways_by_id = true;

    void node(const osmium::Node& n) {
        if (!ways.empty() || (!node_ids.empty() && n.id() <= node_ids.back())) nodes_then_ways_by_id = false;
        node_ids.push_back(n.id());
        at[n.id()] = n.location();
    }
    void way(const osmium::Way& w) {
        if (!ways.empty() && w.id() <= ways.back().id) nodes_then_ways_by_id = false;
        ReadWay r{w.id(), {}, {}};
        for (const auto& ref : w.nodes()) r.refs.push_back(ref.ref());
        for (const auto& tag : w.tags()) r.tags[tag.key()] = tag.value();
        ways.push_back(std::move(r));
    }
    [[nodiscard]] bool has(const ReadWay& w, const std::string& key) const { return w.tags.count(key) > 0; }
};

ReadBack read_back(const std::filesystem::path& file) {
    ReadBack r;
    osmium::io::Reader reader(file.string());
    osmium::apply(reader, r);
    reader.close();
    return r;
}

// Counts as a loader sees them: a node is an intersection when it ends a way or is shared.
maillage::synth::ExtractCounts counted(const ReadBack& r) {
    std::map<std::int64_t, int> uses;
    for (const auto& w : r.ways)
        for (std::size_t i = 0; i < w.refs.size(); ++i) uses[w.refs[i]] += i == 0 || i + 1 == w.refs.size() ? 2 : 1;
    maillage::synth::ExtractCounts c;
    c.osm_nodes = static_cast<std::int64_t>(r.node_ids.size());
    c.ways = static_cast<std::int64_t>(r.ways.size());
    for (const auto& w : r.ways) {
        std::int64_t links = -1;
        for (auto ref : w.refs) links += uses[ref] > 1;
        const bool oneway = r.has(w, "oneway");
        c.links += links;
        c.arcs += oneway ? links : 2 * links;  // all arcs, islands included
        c.oneway_ways += oneway;
        c.oneway_links += oneway ? links : 0;
        c.maxspeed_ways += r.has(w, "maxspeed");
    }
    for (const auto& [id, n] : uses) c.intersections += n > 1;  // main grid and islands
    return c;
}

const Profile& car() {
    static const Profile p = load_profile("car", std::filesystem::path(MAILLAGE_SOURCE_DIR) / "geodata");
    return p;
}

// A link's length from the documented formula: K + 1 pieces of s/(K+1) along, sideways
// steps between consecutive offsets (0 at both intersections).
double link_length(bool east, std::int64_t r, std::int64_t c, std::int64_t k, double s = 160.0) {
    double length = 0, previous = 0;
    for (std::int64_t i = 1; i <= k + 1; ++i) {
        const double o = i <= k ? maillage::synth::shape_offset_m(east, r, c, i) : 0.0;
        length += std::hypot(s / static_cast<double>(k + 1), o - previous);
        previous = o;
    }
    return length;
}

double seconds(double metres, double kmh) { return metres / (kmh / 3.6); }

// The graph as the loader returns it, with intersections found by their OSM position.
class Loaded {
public:
    Loaded(const std::filesystem::path& file, std::int64_t n) : n_(n), back_(read_back(file)), g_(load_osm(file, car())) {}
    const LoadedGraph& graph() const { return g_; }
    NodeId node(std::int64_t r, std::int64_t c) const {
        const osmium::Location l = back_.at.at(1 + r * n_ + c);
        const Point2 p = lonlat_to_lambert93({l.lon(), l.lat()});
        for (NodeId v = 0; v < g_.graph.node_count(); ++v)
            if (distance(g_.graph.node(v), p).value() < 0.01) return v;
        return kNoNode;
    }
    // The edge from intersection (r1, c1) to (r2, c2), or kNoEdge.
    EdgeId edge(std::int64_t r1, std::int64_t c1, std::int64_t r2, std::int64_t c2) const {
        const NodeId a = node(r1, c1), b = node(r2, c2);
        if (a == kNoNode || b == kNoNode) return kNoEdge;
        for (EdgeId e = g_.graph.first_edge(a); e < g_.graph.end_edge(a); ++e)
            if (g_.graph.target(e) == b) return e;
        return kNoEdge;
    }

private:
    std::int64_t n_;
    ReadBack back_;
    LoadedGraph g_;
};

// Lengths agree with the local-plane formula to a few centimetres within a few hundred
// metres of the centre (OSM's 1e-7° rounding, cos(latitude) across the grid).
constexpr double kMetres = 0.05;
constexpr double kSeconds = 0.01;

std::string read_bytes(const std::filesystem::path& p) { return maillage::testing::read_text(p); }

int run_synth(const std::string& args, std::string* out = nullptr, std::string* err = nullptr) {
    const auto base = std::filesystem::temp_directory_path() / ("maillage_synth_cli_" + std::to_string(::getpid()));
    const std::string cmd = std::string(MAILLAGE_SYNTH_BINARY) + " " + args + " >" + base.string() + ".out 2>" +
                            base.string() + ".err </dev/null";
    const int status = std::system(cmd.c_str());
    if (out) *out = read_bytes(base.string() + ".out");
    if (err) *err = read_bytes(base.string() + ".err");
    std::filesystem::remove(base.string() + ".out");
    std::filesystem::remove(base.string() + ".err");
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

TEST(SyntheticExtract, ThreeByThreeGridHasTheHandCountedObjects) {
    auto dir = maillage::testing::fresh_dir("synth_3x3");
    auto file = dir / "grid.osm.pbf";
    maillage::synth::write_extract(options(3, 1, 0, file));
    ReadBack r = read_back(file);
    // 9 intersections + 12 links × 1 shape node; 3 rows + 3 columns of one way each.
    EXPECT_EQ(r.node_ids.size(), 21u);
    ASSERT_EQ(r.ways.size(), 6u);
    EXPECT_TRUE(r.nodes_then_ways_by_id);
    EXPECT_EQ(r.node_ids.front(), 1);
    EXPECT_EQ(r.node_ids.back(), 21);
    // Row 0: intersections 1, 2, 3 with the east-link shape nodes 10, 11 between them.
    EXPECT_EQ(r.ways[0].refs, (std::vector<std::int64_t>{1, 10, 2, 11, 3}));
    EXPECT_EQ(r.ways[0].tags, (std::map<std::string, std::string>{{"highway", "primary"}}));
    // Row 1 (r % 8 == 1): residential, one-way eastwards.
    EXPECT_EQ(r.ways[1].refs, (std::vector<std::int64_t>{4, 12, 5, 13, 6}));
    EXPECT_EQ(r.ways[1].tags, (std::map<std::string, std::string>{{"highway", "residential"}, {"oneway", "yes"}}));
    EXPECT_EQ(r.ways[2].tags.at("highway"), "unclassified");
    // Column 2: 3, 6, 9 with the south-link shape nodes 18 and 21 (ids 16..21 are south links).
    EXPECT_EQ(r.ways[5].id, 6);
    EXPECT_EQ(r.ways[5].refs, (std::vector<std::int64_t>{3, 18, 6, 21, 9}));
    // Intersections 160 m apart: (1, 1) is the centre, Poitiers; (0, 1) is 160 m north of it.
    EXPECT_NEAR(r.at.at(5).lon(), 0.34, 1e-7);
    EXPECT_NEAR(r.at.at(5).lat(), 46.58, 1e-7);
    const Point2 centre = lonlat_to_lambert93({r.at.at(5).lon(), r.at.at(5).lat()});
    const Point2 north = lonlat_to_lambert93({r.at.at(2).lon(), r.at.at(2).lat()});
    EXPECT_NEAR(north.y - centre.y, 160.0, 0.5);  // Lambert-93's scale factor is within 0.1 % of 1 here
    // Shape node 10 sits halfway along link (0,0)-(0,1), moved north by its documented offset.
    const double offset = maillage::synth::shape_offset_m(true, 0, 0, 1);
    EXPECT_LE(std::abs(offset), 3.0);
    EXPECT_NEAR((r.at.at(10).lat() - r.at.at(1).lat()) * 111164.0, offset, 0.05);  // 111.164 km per degree of latitude at 46.58° N

    // Two intersections, no shape node, one island: 4 + 9 nodes, 2 + 2 + 6 ways.
    auto small = dir / "small.osm";
    maillage::synth::write_extract(options(2, 0, 1, small));
    ReadBack s = read_back(small);
    EXPECT_EQ(s.node_ids.size(), 13u);
    EXPECT_EQ(s.ways.size(), 10u);
    EXPECT_TRUE(s.nodes_then_ways_by_id);
    // 4 main links, 12 island links.
    EXPECT_EQ(counted(s).links, 16);
}

TEST(SyntheticExtract, ExpectedCountsMatchTheWrittenFile) {
    auto dir = maillage::testing::fresh_dir("synth_counts");
    // Hand-computed: N = 10, K = 2 → 100 + 2·10·9·2 = 460 nodes, W = ⌈9/8⌉ = 2 → 40 ways;
    // one-way rows 1, 5, 9 (r % 4 == 1), chunk 0 (8 links) of each: 24 one-way links;
    // primary lines 0 (row and column), chunk 1 carries maxspeed=50: 2 ways.
    auto c10 = maillage::synth::expected_counts(options(10, 2, 0, {}));
    EXPECT_EQ(c10.osm_nodes, 460);
    EXPECT_EQ(c10.ways, 40);
    EXPECT_EQ(c10.links, 180);
    EXPECT_EQ(c10.oneway_ways, 3);
    EXPECT_EQ(c10.oneway_links, 24);
    EXPECT_EQ(c10.arcs, 360 - 24);
    EXPECT_EQ(c10.maxspeed_ways, 2);
    // N = 1000, K = 9 (the region fixture): 1e6 + 2·1000·999·9 nodes.
    auto region = maillage::synth::expected_counts(options(1000, 9, 0, {}));
    EXPECT_EQ(region.osm_nodes, 18982000);
    EXPECT_EQ(region.intersections, 1000000);
    EXPECT_EQ(region.ways, 250000);

    const std::vector<std::tuple<int, int, int>> sizes{{2, 0, 0}, {3, 1, 0}, {5, 2, 3}, {10, 2, 0}, {17, 9, 2}, {33, 0, 1}, {70, 3, 2}};
    for (auto [n, k, islands] : sizes) {
        SCOPED_TRACE("N=" + std::to_string(n) + " K=" + std::to_string(k) + " I=" + std::to_string(islands));
        auto file = dir / ("grid" + std::to_string(n) + ".osm.pbf");
        maillage::synth::write_extract(options(n, k, islands, file));
        const auto expected = maillage::synth::expected_counts(options(n, k, islands, file));
        const ReadBack r = read_back(file);
        const auto got = counted(r);
        EXPECT_TRUE(r.nodes_then_ways_by_id);
        EXPECT_EQ(got.osm_nodes, expected.osm_nodes);
        EXPECT_EQ(got.ways, expected.ways);
        EXPECT_EQ(got.links, expected.links);
        EXPECT_EQ(got.intersections, expected.intersections + expected.island_nodes);
        EXPECT_EQ(got.arcs, expected.arcs + 2 * expected.island_links);
        EXPECT_EQ(got.oneway_ways, expected.oneway_ways);
        EXPECT_EQ(got.oneway_links, expected.oneway_links);
        EXPECT_EQ(got.maxspeed_ways, expected.maxspeed_ways);
        EXPECT_EQ(r.node_ids.back(), expected.osm_nodes);  // ids 1..count, no gap
    }
}

TEST(SyntheticExtract, LoadsAsTheHandComputedGraph) {
    auto dir = maillage::testing::fresh_dir("synth_load3");
    auto file = dir / "grid.osm.pbf";
    maillage::synth::write_extract(options(3, 1, 0, file));
    Loaded l(file, 3);
    const LoadedGraph& g = l.graph();
    // 9 intersections, 12 links of which row 1's two are one-way: 22 arcs. The corners (0,0)
    // (primary both ways) and (2,2) (unclassified both ways) only join two roads at the same
    // speed, so the loader contracts them: 7 nodes, 18 arcs.
    EXPECT_EQ(g.stats["graph_nodes_before_cleanup"], 9);
    EXPECT_EQ(g.stats["graph_edges_before_cleanup"], 22);
    EXPECT_EQ(g.stats["osm_nodes_read"], 21);
    EXPECT_EQ(g.graph.node_count(), 7u);
    EXPECT_EQ(g.graph.edge_count(), 18u);
    EXPECT_TRUE(g.cut_off_roads.empty());
    EXPECT_EQ(l.node(0, 0), kNoNode);
    EXPECT_EQ(l.node(2, 2), kNoNode);

    // Row 0 is primary (75 km/h); its link (0,1)-(0,2) has one shape node at 80 m.
    const double top = 2 * std::hypot(80.0, maillage::synth::shape_offset_m(true, 0, 1, 1));
    ASSERT_EQ(top, link_length(true, 0, 1, 1));
    for (EdgeId e : {l.edge(0, 1, 0, 2), l.edge(0, 2, 0, 1)}) {
        ASSERT_NE(e, kNoEdge);
        EXPECT_NEAR(g.graph.length(e).value(), top, kMetres);
        EXPECT_NEAR(g.graph.duration(e).value(), seconds(top, 75), kSeconds);
    }
    // Row 1: residential (30 km/h), one-way eastwards.
    const EdgeId east = l.edge(1, 0, 1, 1);
    ASSERT_NE(east, kNoEdge);
    EXPECT_NEAR(g.graph.duration(east).value(), seconds(link_length(true, 1, 0, 1), 30), kSeconds);
    EXPECT_EQ(l.edge(1, 1, 1, 0), kNoEdge);
    EXPECT_EQ(l.edge(1, 2, 1, 1), kNoEdge);
    // Column 2: unclassified (50 km/h).
    const EdgeId down = l.edge(0, 2, 1, 2);
    ASSERT_NE(down, kNoEdge);
    EXPECT_NEAR(g.graph.length(down).value(), link_length(false, 0, 2, 1), kMetres);
    EXPECT_NEAR(g.graph.duration(down).value(), seconds(link_length(false, 0, 2, 1), 50), kSeconds);
    // Through the contracted corner (0,0): two primary links, one east and one south.
    const double corner = link_length(true, 0, 0, 1) + link_length(false, 0, 0, 1);
    const EdgeId round = l.edge(0, 1, 1, 0);
    ASSERT_NE(round, kNoEdge);
    EXPECT_NEAR(g.graph.length(round).value(), corner, kMetres);
    EXPECT_NEAR(g.graph.duration(round).value(), seconds(corner, 75), kSeconds);
}

TEST(SyntheticExtract, MaxspeedAndWestboundOneWaysReachTheGraph) {
    auto dir = maillage::testing::fresh_dir("synth_load10");
    auto file = dir / "grid.osm.pbf";
    maillage::synth::write_extract(options(10, 2, 0, file));
    Loaded l(file, 10);
    const LoadedGraph& g = l.graph();
    // Row 0 (primary): chunk 0 (links 0..7) at 75 km/h, chunk 1 (link 8) maxspeed=50.
    const EdgeId fast = l.edge(0, 7, 0, 8), slow = l.edge(0, 8, 0, 9);
    ASSERT_NE(fast, kNoEdge);
    ASSERT_NE(slow, kNoEdge);
    EXPECT_NEAR(g.graph.duration(fast).value(), seconds(link_length(true, 0, 7, 2), 75), kSeconds);
    EXPECT_NEAR(g.graph.duration(slow).value(), seconds(link_length(true, 0, 8, 2), 50), kSeconds);
    // Row 5 (r % 8 == 5): chunk 0 one-way westwards, chunk 1 two-way; residential 30 km/h.
    const EdgeId west = l.edge(5, 3, 5, 2);
    ASSERT_NE(west, kNoEdge);
    EXPECT_EQ(l.edge(5, 2, 5, 3), kNoEdge);
    EXPECT_NEAR(g.graph.length(west).value(), link_length(true, 5, 2, 2), kMetres);
    EXPECT_NEAR(g.graph.duration(west).value(), seconds(link_length(true, 5, 2, 2), 30), kSeconds);
    EXPECT_NE(l.edge(5, 8, 5, 9), kNoEdge);
    EXPECT_NE(l.edge(5, 9, 5, 8), kNoEdge);
    // Column 8 (secondary, 70 km/h), near the centre's east.
    const EdgeId south = l.edge(4, 8, 5, 8);
    ASSERT_NE(south, kNoEdge);
    EXPECT_NEAR(g.graph.duration(south).value(), seconds(link_length(false, 4, 8, 2), 70), kSeconds);
    // Strongly connected despite the one-ways: nothing dropped.
    EXPECT_EQ(g.stats["largest_component_nodes"], 100);
    EXPECT_TRUE(g.cut_off_roads.empty());
}

TEST(SyntheticExtract, IslandsAreCutOffRoads) {
    auto dir = maillage::testing::fresh_dir("synth_islands");
    auto file = dir / "grid.osm.pbf";
    maillage::synth::write_extract(options(5, 2, 3, file));
    Loaded l(file, 5);
    const LoadedGraph& g = l.graph();
    // 25 intersections in the main grid, 3 islands of 9; each island's 12 two-way links are
    // one cut-off road each: source, 2 shape nodes, target.
    EXPECT_EQ(g.stats["graph_nodes_before_cleanup"], 25 + 27);
    EXPECT_EQ(g.stats["largest_component_nodes"], 25);
    EXPECT_EQ(g.stats["dropped_nodes_outside_largest_component"], 27);
    EXPECT_EQ(g.stats["components"], 4);
    ASSERT_EQ(g.cut_off_roads.size(), 36u);
    for (const auto& road : g.cut_off_roads) EXPECT_EQ(road.size(), 4u);
    // Every cut-off road lies south of the main grid (5 spacings below its last row).
    const double last_row_y = g.graph.node(l.node(4, 2)).y;
    for (const auto& road : g.cut_off_roads)
        for (const auto& p : road) EXPECT_LT(p.y, last_row_y - 4 * 160.0);
    // Rows 0 P, 1 R (one-way), 2 U, 3 R, 4 T: corners (0,0) and (4,4) are contracted.
    EXPECT_EQ(g.graph.node_count(), 23u);
    EXPECT_EQ(g.graph.edge_count(), 2u * 40 - 4 - 4);
    EXPECT_EQ(maillage::synth::expected_counts(options(5, 2, 3, file)).island_links, 36);
}

TEST(SyntheticExtract, SameOptionsGiveTheSameBytes) {
    auto dir = maillage::testing::fresh_dir("synth_bytes");
    maillage::synth::write_extract(options(20, 3, 2, dir / "a.osm.pbf"));
    maillage::synth::write_extract(options(20, 3, 2, dir / "b.osm.pbf"));
    maillage::synth::write_extract(options(20, 3, 1, dir / "c.osm.pbf"));
    const std::string a = read_bytes(dir / "a.osm.pbf"), b = read_bytes(dir / "b.osm.pbf");
    EXPECT_GT(a.size(), 1000u);
    EXPECT_TRUE(a == b);
    EXPECT_FALSE(a == read_bytes(dir / "c.osm.pbf"));
    // Nothing left beside the output (the temporary file is renamed).
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
    EXPECT_EQ(files, 3u);
}

TEST(SyntheticExtract, ModerateGridLoadsWithTheExpectedNodes) {
    auto dir = maillage::testing::fresh_dir("synth_50");
    auto file = dir / "grid.osm.pbf";
    const auto o = options(50, 3, 3, file);
    maillage::synth::write_extract(o);
    const auto expected = maillage::synth::expected_counts(o);
    const LoadedGraph g = load_osm(file, car());
    EXPECT_EQ(g.stats["osm_nodes_read"], expected.osm_nodes);
    EXPECT_EQ(g.stats["osm_ways_read"], expected.ways);
    EXPECT_EQ(g.stats["routable_ways"], expected.ways);
    EXPECT_EQ(g.stats["graph_nodes_before_cleanup"], expected.intersections + expected.island_nodes);
    EXPECT_EQ(g.stats["graph_edges_before_cleanup"], expected.arcs + 2 * expected.island_links);
    EXPECT_EQ(g.stats["largest_component_nodes"], expected.intersections);
    EXPECT_EQ(g.cut_off_roads.size(), static_cast<std::size_t>(expected.island_links));
    // 2 500 intersections; only corner (0,0) is contracted (primary both ways): (0,49) joins
    // primary and residential, and (49,0), (49,49) end the one-way row 49.
    EXPECT_EQ(g.graph.node_count(), 2499u);
    EXPECT_EQ(g.graph.edge_count(), static_cast<std::size_t>(expected.arcs - 2));
}

TEST(SyntheticExtract, BadOptionsAreRefusedWithTheirName) {
    auto throws_naming = [](ExtractOptions o, const std::string& what) {
        try {
            maillage::synth::check_options(o);
            ADD_FAILURE() << "accepted, expected an error naming " << what;
        } catch (const std::invalid_argument& e) {
            EXPECT_NE(std::string(e.what()).find(what), std::string::npos) << e.what();
        }
    };
    throws_naming(options(1, 0, 0, {}), "size");
    throws_naming(options(3, -1, 0, {}), "shape nodes");
    throws_naming(options(3, 201, 0, {}), "shape nodes");
    throws_naming(options(3, 0, -1, {}), "islands");
    auto tight = options(3, 0, 0, {});
    tight.spacing_m = 5;
    throws_naming(tight, "spacing");
    auto huge = options(100000, 0, 0, {});
    huge.spacing_m = 1000;  // 100 000 km wide
    throws_naming(huge, "size");
    EXPECT_THROW((void)maillage::synth::expected_counts(options(0, 0, 0, {})), std::invalid_argument);
    EXPECT_THROW(maillage::synth::write_extract(options(3, 0, 0, {})), std::invalid_argument);
    auto dir = maillage::testing::fresh_dir("synth_bad");
    EXPECT_THROW(maillage::synth::write_extract(options(3, 0, 0, dir / "grid.xyz")), std::invalid_argument);
    EXPECT_FALSE(std::filesystem::exists(dir / "grid.xyz"));
}

TEST(SyntheticExtract, CommandLineWritesCountsAndRefusesBadOptions) {
    auto dir = maillage::testing::fresh_dir("synth_cli");
    std::string out, err;
    ASSERT_EQ(run_synth("--size 3 --shape-nodes 1 --islands 0 --counts", &out, &err), 0) << err;
    EXPECT_NE(out.find("\"osm_nodes\": 21"), std::string::npos) << out;
    EXPECT_NE(out.find("\"ways\": 6"), std::string::npos) << out;
    const auto file = dir / "cli.osm.pbf";
    ASSERT_EQ(run_synth("--size 4 --shape-nodes 2 --islands 1 -o " + file.string(), &out, &err), 0) << err;
    EXPECT_EQ(read_back(file).node_ids.size(), static_cast<std::size_t>(16 + 2 * 4 * 3 * 2 + 9 + 12 * 2));
    EXPECT_EQ(run_synth("--size 1 --counts", &out, &err), 2);
    EXPECT_NE(err.find("size: must be between 2"), std::string::npos) << err;
    EXPECT_EQ(run_synth("--size lots --counts", &out, &err), 2);
    EXPECT_EQ(run_synth("", &out, &err), 2);
    EXPECT_NE(err.find("-o FILE"), std::string::npos) << err;
    EXPECT_EQ(run_synth("-o " + (dir / "grid.txt").string(), &out, &err), 2);
    EXPECT_NE(err.find("unknown OSM format"), std::string::npos) << err;
    EXPECT_EQ(run_synth("--size 3 -o " + (dir / "missing" / "grid.osm.pbf").string(), &out, &err), 4);
    EXPECT_NE(err.find("not written"), std::string::npos) << err;
}
