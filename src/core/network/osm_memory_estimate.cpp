#include "network/osm_memory_estimate.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "network/osm_way_pass.hpp"

namespace maillage {

// The formula and its calibration. What the build holds grows with two counts:
//  - U, the distinct nodes of the routable ways: each costs its id, location and rank while
//    reading, then a shape point (16 B) kept in the graph: about 31 B;
//  - R - U, the references beyond the first of a node (junctions, ends of ways shared by the
//    next way): about one per graph node; each costs the graph's nodes and edges a few times
//    over during the clean-up (strongly connected component, contraction, Hilbert order:
//    graph_tools, each step freeing the previous graph), about 400 B;
// plus 10 MB (libosmium's buffers and threads). Fitted on the synthetic extracts (bench/synth,
// 3 islands), measured as in test_osm_memory_estimate.cpp (peak resident size of a fresh
// process loading the file minus its size before), 2026-11-26:
//     N × N, K shape nodes   R           U           measured   estimate
//     100, 9                   200 978     188 551     21 MB      21 MB
//     200, 9                   806 378     756 751     56 MB      53 MB
//     200, 0                    89 654      40 027     32 MB      31 MB
//     500, 0                   562 054     250 027    141 MB     143 MB
//     500, 9                 5 053 378   4 741 351    291 MB     282 MB
//    1000, 0                 2 248 054   1 000 027    539 MB     540 MB
//    1000, 9                20 230 378  18 982 351   1047 MB    1098 MB
// (within 5 %). A real extract has the same ingredients (nodes in routable ways, shared
// references); nodes outside the routable ways cost reading time, not memory. Refit when the
// loader or graph_tools change how much they hold (MAILLAGE_OSM_MEMORY_CALIBRATE).
std::uint64_t osm_build_memory_bytes(const OsmWayCounts& c) {
    constexpr double kFixed = 10e6;
    constexpr double kPerNode = 31.0;
    constexpr double kPerSharedReference = 400.0;
    const double nodes = static_cast<double>(c.distinct_way_nodes);
    const double shared = static_cast<double>(c.routable_way_nodes) - nodes;
    return static_cast<std::uint64_t>(kFixed + kPerNode * nodes + kPerSharedReference * std::max(shared, 0.0));
}

OsmMemoryEstimate estimate_osm_memory(const std::filesystem::path& file, const Profile& profile) {
    const std::string name = file.string();
    const std::uintmax_t file_bytes = osm_pass::extract_size(file);
    // load_osm's own first pass (osm_way_pass.hpp): the same ways kept, the same counts.
    std::vector<osm_pass::OsmId> refs;
    osm_pass::RoutableWays pass1(profile, [&](const osmium::Way& w, const WayRule&) {
        for (const auto& ref : w.nodes()) refs.push_back(ref.ref());
    });
    osm_pass::read_pass(name, osmium::osm_entity_bits::way, pass1);
    OsmMemoryEstimate out;
    out.counts = osm_pass::way_counts(file_bytes, pass1, osm_pass::needed_nodes(refs).size());
    out.peak_bytes = osm_build_memory_bytes(out.counts);
    return out;
}

std::string format_gigabytes(std::uint64_t bytes) {
    const double gb = static_cast<double>(bytes) / 1e9;
    char buf[32];
    std::snprintf(buf, sizeof buf, gb < 0.1 ? "%.2f GB" : "%.1f GB", gb);
    return buf;
}

}  // namespace maillage
