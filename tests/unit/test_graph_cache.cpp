// The graph cache (`maillage network build`, `--network graph:F`): what is read back is the
// graph that was built — same arrays, same snapping, same searches, byte-identical outputs
// through the CLI — and a cache that is foreign, damaged, stale or for another profile is
// refused with the reason, never used.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <cstring>
#include <random>

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "geo/crs.hpp"
#include "network/graph_cache.hpp"
#include "network/network_spec.hpp"
#include "routing/travel_network.hpp"
#include "support/cli_runner.hpp"
#include "synthetic_extract.hpp"
#include "util/errors.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

fs::path geodata() { return fs::path(MAILLAGE_SOURCE_DIR) / "geodata"; }
fs::path monaco() { return fs::path(MAILLAGE_GEODATA_CACHE) / "osm" / "monaco.osm.pbf"; }

NetworkOptions car() {
    NetworkOptions o;
    o.profile = "car";
    o.geodata_dir = geodata();
    return o;
}

template <class T>
bool same_bytes(const Column<T>& a, const Column<T>& b) {
    return a.size() == b.size() && (a.bytes() == 0 || std::memcmp(a.data(), b.data(), a.bytes()) == 0);
}

void expect_same_graph(const RoadGraph& a, const RoadGraph& b) {
    const auto& x = a.columns();
    const auto& y = b.columns();
    EXPECT_TRUE(same_bytes(x.nodes, y.nodes));
    EXPECT_TRUE(same_bytes(x.offsets, y.offsets));
    EXPECT_TRUE(same_bytes(x.sources, y.sources));
    EXPECT_TRUE(same_bytes(x.targets, y.targets));
    EXPECT_TRUE(same_bytes(x.durations, y.durations));
    EXPECT_TRUE(same_bytes(x.lengths, y.lengths));
    EXPECT_TRUE(same_bytes(x.shapes, y.shapes));
    EXPECT_TRUE(same_bytes(x.shape_offsets, y.shape_offsets));
    EXPECT_TRUE(same_bytes(x.shape_points, y.shape_points));
    EXPECT_TRUE(same_bytes(x.twins, y.twins));
    EXPECT_TRUE(same_bytes(x.arcs, y.arcs));
}

fs::path build_cache(const fs::path& source, const fs::path& cache, const NetworkOptions& options = car()) {
    Provenance p;
    LoadedGraph g = load_network_graph(NetworkSpec::parse("osm:" + source.string()), options, p);
    write_graph_cache(cache, g, p);
    return cache;
}

std::string error_of(const fs::path& cache, const std::string& profile = "car") {
    try {
        Provenance p;
        (void)read_graph_cache(cache, {profile, geodata()}, p);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(GraphCache, ReadsBackTheSameNetwork) {
    const fs::path dir = fresh_dir("graph_cache_same");
    Provenance fresh_provenance;
    LoadedGraph fresh = load_network_graph(NetworkSpec::parse("osm:" + monaco().string()), car(), fresh_provenance);
    LoadedGraph to_write = fresh;
    write_graph_cache(dir / "monaco.mgraph", to_write, fresh_provenance);

    Provenance cached_provenance;
    LoadedGraph cached = read_graph_cache(dir / "monaco.mgraph", {"car", geodata()}, cached_provenance);
    expect_same_graph(fresh.graph, cached.graph);
    EXPECT_EQ(fresh.stats, cached.stats);
    EXPECT_EQ(fresh.info.description, cached.info.description);
    EXPECT_EQ(fresh.cut_off_roads, cached.cut_off_roads);
    EXPECT_EQ(fresh_provenance.to_json(), cached_provenance.to_json());
    ASSERT_GT(cached.graph.node_count(), 100u);

    // Snapping and searches on the mapped network equal those on the fresh one.
    TravelNetwork a(std::move(fresh)), b(std::move(cached));
    expect_same_graph(a.reverse_graph(), b.reverse_graph());
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(7.405, 7.440), lat(43.725, 43.750);
    std::vector<Attachment> sites_a, sites_b;
    for (int i = 0; i < 200; ++i) {
        const Point2 p = lonlat_to_lambert93({lon(rng), lat(rng)});
        auto x = a.try_attach(p), y = b.try_attach(p);
        ASSERT_TRUE(x && y);
        EXPECT_EQ(x->edge, y->edge);
        EXPECT_EQ(x->node, y->node);
        EXPECT_EQ(x->fraction, y->fraction);
        EXPECT_EQ(x->distance.value(), y->distance.value());
        EXPECT_EQ(x->cut_off_road.value(), y->cut_off_road.value());
        if (i < 5) {
            sites_a.push_back(*x);
            sites_b.push_back(*y);
        }
    }
    auto sa = a.toward(sites_a), sb = b.toward(sites_b);
    for (NodeId v = 0; v < a.graph().node_count(); ++v) {
        EXPECT_EQ(sa.nodes.time(v).value(), sb.nodes.time(v).value());
        EXPECT_EQ(sa.nodes.label(v), sb.nodes.label(v));
    }
}

// A cache with a contraction hierarchy: the arrays come back as written, and every search
// (PHAST now) gives what Dijkstra gives on the fresh network, node by node.
TEST(GraphCache, HierarchyReadBackSearchesUnchanged) {
    const fs::path dir = fresh_dir("graph_cache_hierarchy");
    Provenance provenance;
    LoadedGraph fresh = load_network_graph(NetworkSpec::parse("osm:" + monaco().string()), car(), provenance);
    LoadedGraph with_hierarchy = fresh;
    prepare_hierarchy(with_hierarchy, 2);
    const ContractionHierarchy& built = with_hierarchy.routing->hierarchy;
    ASSERT_EQ(built.node_count(), fresh.graph.node_count());
    write_graph_cache(dir / "monaco-ch.mgraph", with_hierarchy, provenance);
    Provenance cached_provenance;
    LoadedGraph cached = read_graph_cache(dir / "monaco-ch.mgraph", {"car", geodata()}, cached_provenance);
    ASSERT_TRUE(cached.routing);
    const ContractionHierarchy& read = cached.routing->hierarchy;
    EXPECT_TRUE(std::ranges::equal(read.node_of, built.node_of));
    EXPECT_TRUE(std::ranges::equal(read.up_first, built.up_first));
    EXPECT_TRUE(std::ranges::equal(read.down_first, built.down_first));
    EXPECT_EQ(read.up_arcs.bytes(), built.up_arcs.bytes());
    EXPECT_EQ(std::memcmp(read.up_arcs.data(), built.up_arcs.data(), built.up_arcs.bytes()), 0);
    EXPECT_EQ(std::memcmp(read.down_arcs.data(), built.down_arcs.data(), built.down_arcs.bytes()), 0);
    EXPECT_EQ(read.shortcut_count, built.shortcut_count);

    const TravelNetwork plain(fresh), swept(std::move(cached));
    EXPECT_FALSE(plain.has_hierarchy());
    ASSERT_TRUE(swept.has_hierarchy());
    std::vector<Attachment> sites;
    for (const LonLat at : {LonLat{7.4275, 43.7396}, LonLat{7.4200, 43.7310}, LonLat{7.4160, 43.7290}})
        sites.push_back(plain.attach(lonlat_to_lambert93(at), "site"));
    // Unbounded and long searches are sweeps; short bounded ones stay Dijkstra (given up past
    // an eighth of the graph): both kinds are exercised, both must match.
    bool small = false, large = false;
    for (const Seconds limit : {Seconds::infinity(), Seconds(600), Seconds(120), Seconds(30)}) {
        for (const bool toward : {true, false}) {
            const SiteSearch a = toward ? plain.toward(sites, limit) : plain.from(sites, limit);
            const SiteSearch b = toward ? swept.toward(sites, limit) : swept.from(sites, limit);
            std::size_t differ = 0, reached = 0;
            for (NodeId v = 0; v < plain.graph().node_count(); ++v) {
                differ += a.nodes.time(v).value() != b.nodes.time(v).value() || a.nodes.label(v) != b.nodes.label(v);
                reached += a.nodes.reached(v);
            }
            EXPECT_EQ(differ, 0u) << (toward ? "toward" : "from") << ", limit " << limit.value();
            EXPECT_GT(reached, 0u);
            (reached < plain.graph().node_count() / 8 ? small : large) = true;
        }
    }
    EXPECT_TRUE(small && large);
}

TEST(GraphCache, CliOutputsAreByteIdenticalToTheSource) {
    const fs::path dir = fresh_dir("graph_cache_cli");
    auto r = run_cli("network build --network osm:" + monaco().string() + " --profile car -o " +
                     (dir / "monaco.mgraph").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("graph cache: "), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("contraction hierarchy"), std::string::npos) << r.out;
    // With a contraction hierarchy, every search is a PHAST sweep: the same outputs again.
    r = run_cli("network build --network osm:" + monaco().string() + " --profile car --hierarchy --threads 2 -o " +
                (dir / "monaco-ch.mgraph").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("contraction hierarchy: "), std::string::npos) << r.out;
    EXPECT_GT(fs::file_size(dir / "monaco-ch.mgraph"), fs::file_size(dir / "monaco.mgraph"));
    write_text(dir / "points.csv",
               "id,lon,lat\ncasino,7.4275,43.7396\nport,7.4222,43.7347\nrocher,7.4200,43.7310\nfontvieille,7.4160,43.7290\n"
               "jardin,7.4300,43.7440\nstade,7.4155,43.7275\n");
    write_text(dir / "sites.csv", "id,lon,lat\nnord,7.4290,43.7420\nsud,7.4170,43.7300\n");
    const std::string points = (dir / "points.csv").string(), sites = (dir / "sites.csv").string();
    const std::vector<std::pair<std::string, std::string>> networks = {
        {"osm", "osm:" + monaco().string()},
        {"graph", "graph:" + (dir / "monaco.mgraph").string()},
        {"ch", "graph:" + (dir / "monaco-ch.mgraph").string()}};
    for (const auto& [name, net] : networks) {
        r = run_cli("matrix --network " + net + " --origins " + points + " --destinations " + points + " -o " +
                    (dir / (name + ".csv")).string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
        r = run_cli("nearest --network " + net + " --sites " + sites + " --points " + points + " -o " +
                    (dir / (name + "-nearest.csv")).string());
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const std::string from_osm = read_text(dir / "osm.csv");
    EXPECT_GT(from_osm.size(), 100u);
    EXPECT_GT(read_text(dir / "osm-nearest.csv").size(), 50u);
    // The provenance names the network the cache was built from, with its sha256: the same
    // but for the output's own name.
    const auto provenance = [&](const std::string& file, const std::string& name) {
        std::string text = read_text(dir / (file + ".provenance.json"));
        const std::string own = "\"file\": \"" + file + "\"";
        if (auto at = text.find(own); at != std::string::npos) text.replace(at, own.size(), "\"file\": \"" + name + "\"");
        return text;
    };
    for (const std::string other : {"graph", "ch"}) {
        SCOPED_TRACE(other);
        EXPECT_EQ(read_text(dir / (other + ".csv")), from_osm);
        EXPECT_EQ(read_text(dir / (other + "-nearest.csv")), read_text(dir / "osm-nearest.csv"));
        EXPECT_EQ(provenance(other + ".csv", "x"), provenance("osm.csv", "x"));
        EXPECT_EQ(provenance(other + "-nearest.csv", "x"), provenance("osm-nearest.csv", "x"));
    }
}

TEST(GraphCache, RefusesAForeignOrDamagedFile) {
    const fs::path dir = fresh_dir("graph_cache_damaged");
    write_text(dir / "foreign.mgraph", "this is not a graph at all, only text that is long enough to be read......");
    EXPECT_NE(error_of(dir / "foreign.mgraph").find("not a maillage graph cache"), std::string::npos);
    EXPECT_NE(error_of(dir / "missing.mgraph").find("file not found"), std::string::npos);

    const fs::path good = build_cache(monaco(), dir / "good.mgraph");
    const std::string bytes = read_text(good);
    // Truncated: the arrays run past the end.
    write_text(dir / "truncated.mgraph", bytes.substr(0, bytes.size() / 2));
    EXPECT_NE(error_of(dir / "truncated.mgraph").find("damaged"), std::string::npos) << error_of(dir / "truncated.mgraph");
    // Another format version.
    std::string other = bytes;
    other[16] = static_cast<char>(other[16] + 1);
    write_text(dir / "format.mgraph", other);
    EXPECT_NE(error_of(dir / "format.mgraph").find("format"), std::string::npos);
    // Built by another maillage.
    other = bytes;
    const auto at = other.find("\"tool\":\"maillage ");
    ASSERT_NE(at, std::string::npos);
    other[at + 17] = other[at + 17] == '9' ? '8' : '9';
    write_text(dir / "version.mgraph", other);
    EXPECT_NE(error_of(dir / "version.mgraph").find("built by"), std::string::npos) << error_of(dir / "version.mgraph");
    // A damaged array: an edge pointing at a node that does not exist.
    other = bytes;
    std::uint64_t length = 0;
    std::memcpy(&length, other.data() + 24, 8);
    const auto header = nlohmann::json::parse(other.substr(32, length));
    std::uint64_t targets = 0;
    for (const auto& c : header.at("columns"))
        if (c.at("name") == "graph.targets") targets = c.at("offset").get<std::uint64_t>();
    ASSERT_GT(targets, 0u);
    const std::uint32_t nowhere = 0x7fffffff;
    std::memcpy(other.data() + targets, &nowhere, 4);
    write_text(dir / "array.mgraph", other);
    const std::string array = error_of(dir / "array.mgraph");
    EXPECT_NE(array.find("damaged"), std::string::npos) << array;
    EXPECT_NE(array.find("missing node"), std::string::npos) << array;
}

TEST(GraphCache, RefusesAStaleCacheOrAnotherProfile) {
    const fs::path dir = fresh_dir("graph_cache_stale");
    synth::ExtractOptions o;
    o.size = 6;
    o.shape_nodes = 1;
    o.islands = 0;
    o.output = dir / "grid.osm.pbf";
    synth::write_extract(o);
    const fs::path cache = build_cache(o.output, dir / "grid.mgraph");
    EXPECT_EQ(error_of(cache), "");
    // Asked for another profile.
    const std::string bike = error_of(cache, "bicycle");
    EXPECT_NE(bike.find("built with profile 'car'"), std::string::npos) << bike;
    // The source changed since: refused, even with the same size.
    o.size = 7;
    synth::write_extract(o);
    const std::string stale = error_of(cache);
    EXPECT_NE(stale.find("stale"), std::string::npos) << stale;
    EXPECT_NE(stale.find("grid.osm.pbf"), std::string::npos) << stale;
    // A cache travels without its source: used (the provenance still names the source's sha256).
    fs::remove(o.output);
    EXPECT_EQ(error_of(cache), "");
}

TEST(GraphCache, CliRefusesWhatItCannotBuild) {
    const fs::path dir = fresh_dir("graph_cache_cli_refusals");
    auto r = run_cli("network build --network estimated:default -o " + (dir / "e.mgraph").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("osm:FILE or roads:FILE"), std::string::npos) << r.err;
    fs::copy_file(monaco(), dir / "m.osm.pbf");
    r = run_cli("network build --network osm:" + (dir / "m.osm.pbf").string() + " -o " + (dir / "m.osm.pbf").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("would be overwritten"), std::string::npos) << r.err;
    r = run_cli("network build --network osm:" + (dir / "absent.osm.pbf").string() + " -o " + (dir / "a.mgraph").string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_FALSE(fs::exists(dir / "a.mgraph"));
    write_text(dir / "foreign.mgraph", "not a graph");
    r = run_cli("info --network graph:" + (dir / "foreign.mgraph").string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("not a maillage graph cache"), std::string::npos) << r.err;
    r = run_cli("network build --network osm:" + monaco().string() + " --hierarchy --threads 0 -o " +
                (dir / "t.mgraph").string());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--threads"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "t.mgraph"));
}

// A cache whose hierarchy was damaged (an arc towards a lower rank: a sweep would read a key
// not yet final) is refused, naming what is wrong, never swept.
TEST(GraphCache, RefusesADamagedHierarchy) {
    const fs::path dir = fresh_dir("graph_cache_bad_hierarchy");
    const fs::path file = dir / "monaco-ch.mgraph";
    auto r = run_cli("network build --network osm:" + monaco().string() + " --profile car --hierarchy -o " +
                     file.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string bytes = read_text(file);
    std::uint64_t length = 0;
    std::memcpy(&length, bytes.data() + 24, 8);
    const auto header = nlohmann::json::parse(bytes.substr(32, length));
    std::uint64_t offset = 0;
    for (const auto& c : header.at("columns"))
        if (c.at("name") == "hierarchy.up_arcs") offset = c.at("offset").get<std::uint64_t>();
    ASSERT_GT(offset, 0u);
    const std::uint32_t lower = 0xfffffff0u;  // `other` of the first upward arc
    std::memcpy(bytes.data() + offset, &lower, 4);
    write_text(file, bytes);
    r = run_cli("info --network graph:" + file.string() + " --profile car");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("damaged: hierarchy"), std::string::npos) << r.err;
}

// A build that would need more memory than allowed stops before reading the nodes, saying how
// much it needs; the same build fits a larger budget.
TEST(GraphCache, CliRefusesABuildAboveTheMemoryBudget) {
    const fs::path dir = fresh_dir("graph_cache_budget");
    synth::ExtractOptions o;
    o.size = 400;
    o.shape_nodes = 9;
    o.islands = 0;
    o.output = dir / "region.osm.pbf";
    synth::write_extract(o);
    auto r = run_cli("network build --network osm:" + o.output.string() + " --max-memory 0.1 -o " +
                     (dir / "r.mgraph").string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("building this network needs about 0.2 GB, more than the budget of 0.1 GB (--max-memory)"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(dir / "r.mgraph"));
    r = run_cli("network build --network osm:" + o.output.string() + " --max-memory 1 -o " + (dir / "r.mgraph").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    r = run_cli("info --network osm:" + o.output.string() + " --max-memory 0");
    EXPECT_EQ(r.exit_code, 2) << r.err;
}
