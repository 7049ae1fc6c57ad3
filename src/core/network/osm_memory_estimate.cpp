#include "network/osm_memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <vector>
#include <cstdio>

#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include "network/osm_way_rules.hpp"
#include "util/errors.hpp"

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

namespace {
struct WayCounter : osmium::handler::Handler {
    const Profile& profile;
    OsmWayCounts& counts;
    std::vector<osmium::object_id_type> ids;
    WayCounter(const Profile& p, OsmWayCounts& c) : profile(p), counts(c) {}
    void way(const osmium::Way& w) {
        ++counts.ways_read;
        if (!evaluate_way(w.tags(), profile)) return;
        ++counts.routable_ways;
        counts.routable_way_nodes += w.nodes().size();
        for (const auto& ref : w.nodes())
            if (ref.ref() >= 0) ids.push_back(ref.ref());
    }
};
}  // namespace

OsmMemoryEstimate estimate_osm_memory(const std::filesystem::path& file, const Profile& profile) {
    const std::string name = file.string();
    OsmMemoryEstimate out;
    {
        std::error_code ec;
        const auto status = std::filesystem::status(file, ec);
        if (status.type() == std::filesystem::file_type::not_found) throw InputError({name, "", ""}, "file not found");
        if (ec) throw InputError({name, "", ""}, "cannot be read: " + ec.message());
        if (!std::filesystem::is_regular_file(status))
            throw InputError({name, "", ""}, "not a regular file", "an OpenStreetMap extract (.osm.pbf, .osm)");
        const auto size = std::filesystem::file_size(file, ec);
        out.counts.file_bytes = ec ? 0 : size;
    }
    try {
        WayCounter counter(profile, out.counts);
        osmium::io::Reader reader(name, osmium::osm_entity_bits::way);
        while (osmium::memory::Buffer buffer = reader.read()) osmium::apply(buffer, counter);
        reader.close();
        std::sort(counter.ids.begin(), counter.ids.end());
        out.counts.distinct_way_nodes =
            static_cast<std::uint64_t>(std::unique(counter.ids.begin(), counter.ids.end()) - counter.ids.begin());
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        throw InputError({name, "", ""}, std::string("cannot read OpenStreetMap data: ") + e.what(),
                         "a complete .osm.pbf (or .osm) file");
    }
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
