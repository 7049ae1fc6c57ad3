#include "network/osm_loader.hpp"

#include <algorithm>
#include <limits>
#include <span>

#include <osmium/handler.hpp>
#include <osmium/osm/location.hpp>

#include "geo/crs.hpp"
#include "geo/ground_distance.hpp"
#include "network/graph_tools.hpp"
#include "network/osm_memory_estimate.hpp"
#include "network/osm_way_pass.hpp"
#include "network/osm_way_rules.hpp"
#include "util/errors.hpp"
#include "util/progress.hpp"

namespace maillage {

// How the build stays lean (issue 15): two passes over the file.
//  1. Ways only (libosmium does not decode the nodes): the routable ways and their node
//     references, as listed. Their sorted distinct ids are the nodes the graph can need.
//  2. Nodes only: the location of each needed node, into an array parallel to those ids
//     (a PBF lists nodes by increasing id, so this is a merge, not a search).
// References then become ranks into those arrays (4 bytes), ways are cut into pieces at
// nodes outside the extract, graph nodes are found with one byte per node (way ends and nodes
// used more than once), and edges are written straight into flat arrays with one stored
// shape per piece, read backwards by the way back. Every array is freed as soon as it is no
// longer needed. Locations are projected once, only for graph nodes and shape points.
//
// The result is the graph the one-pass loader built (same node numbering, edges, shapes,
// stats): a node's location is the one the file gives it, wherever the node is listed.
// (The one-pass loader only saw nodes listed before the way; PBF and osmium-sorted files list
// every node first.)

namespace {

using osm_pass::OsmId;
constexpr std::uint32_t kMissing = std::numeric_limits<std::uint32_t>::max();

struct WayRecord {
    std::uint64_t first = 0;  // into the reference array
    std::uint32_t count = 0;
    WayRule rule;
};

// Pass 2: locations of the needed nodes (sorted distinct ids), by merge when the file lists
// nodes by increasing id, by binary search otherwise. A node listed twice: the last wins.
struct LocationCollector : osmium::handler::Handler {
    const std::vector<OsmId>& needed;
    std::vector<osmium::Location> locations;
    std::size_t cursor = 0;
    OsmId last = std::numeric_limits<OsmId>::min();
    std::size_t nodes_read = 0;

    explicit LocationCollector(const std::vector<OsmId>& ids) : needed(ids), locations(ids.size()) {}
    void node(const osmium::Node& n) {
        ++nodes_read;
        const OsmId id = n.id();
        if (id < last) cursor = 0;  // not sorted by id
        last = id;
        if (cursor < needed.size() && needed[cursor] < id && id - needed[cursor] > 64)
            cursor = static_cast<std::size_t>(std::lower_bound(needed.begin() + cursor, needed.end(), id) - needed.begin());
        while (cursor < needed.size() && needed[cursor] < id) ++cursor;
        if (cursor < needed.size() && needed[cursor] == id) locations[cursor] = n.location();
    }
};

template <class T>
void release(std::vector<T>& v) {
    std::vector<T>().swap(v);
}

// Projects points stored as (lon, lat) to Lambert-93 in place, a block at a time.
void project(std::span<Point2> points, const CrsTransform& ct, const std::string& name) {
    constexpr std::size_t kBlock = 1 << 16;
    std::vector<double> x, y;
    for (std::size_t at = 0; at < points.size(); at += kBlock) {
        const std::size_t n = std::min(kBlock, points.size() - at);
        x.resize(n);
        y.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            x[i] = points[at + i].x;
            y[i] = points[at + i].y;
        }
        if (!ct.ogr().Transform(n, x.data(), y.data()))
            throw InputError({name, "", ""}, "coordinates cannot be projected to Lambert-93");
        for (std::size_t i = 0; i < n; ++i) points[at + i] = {x[i], y[i]};
    }
}

}  // namespace

LoadedGraph load_osm(const std::filesystem::path& file, const Profile& profile, const OsmLoadOptions& options) {
    const std::string name = file.string();
    const std::uintmax_t file_bytes = osm_pass::extract_size(file);
    Progress progress("reading " + file.filename().string(), 2 * static_cast<std::size_t>(file_bytes));

    // Pass 1: the routable ways (the rule of each, where its references start) and their
    // references, as listed.
    std::vector<WayRecord> ways;
    std::vector<OsmId> refs;
    osm_pass::RoutableWays pass1(profile, [&](const osmium::Way& w, const WayRule& rule) {
        ways.push_back({refs.size(), static_cast<std::uint32_t>(w.nodes().size()), rule});
        for (const auto& ref : w.nodes()) refs.push_back(ref.ref());
    });
    osm_pass::read_pass(name, osmium::osm_entity_bits::way, pass1, &progress);
    if (ways.empty())
        throw InputError({name, "", ""}, "no way routable with profile '" + profile.name + "' (" +
                                             std::to_string(pass1.ways_read) + " ways read)",
                         "highways of the profile's classes");
    std::vector<OsmId> needed = osm_pass::needed_nodes(refs);
    if (needed.size() >= kMissing) throw InputError({name, "", ""}, "too many nodes for one graph");

    if (options.max_memory_bytes) {
        const std::uint64_t needs = osm_build_memory_bytes(osm_pass::way_counts(file_bytes, pass1, needed.size()));
        if (needs > *options.max_memory_bytes)
            throw InputError({name, "", ""},
                             "building this network needs about " + format_gigabytes(needs) +
                                 ", more than the budget of " + format_gigabytes(*options.max_memory_bytes) +
                                 " (--max-memory)",
                             "a smaller extract, or a larger --max-memory");
    }

    // Pass 2: their locations.
    LocationCollector located(needed);
    osm_pass::read_pass(name, osmium::osm_entity_bits::node, located, &progress);
    progress.done();
    const std::size_t nodes_read = located.nodes_read;
    std::vector<osmium::Location> locations = std::move(located.locations);

    // References as ranks into `needed` / `locations`; kMissing for a node outside the extract.
    std::vector<std::uint32_t> ranks(refs.size());
    {
        std::size_t hint = 0;
        for (std::size_t i = 0; i < refs.size(); ++i) {
            const OsmId id = refs[i];
            std::uint32_t r = kMissing;
            if (id >= 0 && !needed.empty()) {
                if (hint + 1 < needed.size() && needed[hint + 1] == id) ++hint;
                else if (needed[hint] != id)
                    hint = static_cast<std::size_t>(std::lower_bound(needed.begin(), needed.end(), id) - needed.begin());
                r = static_cast<std::uint32_t>(hint);
            }
            ranks[i] = r;
        }
    }
    release(refs);
    release(needed);

    // Pieces of ways: a node outside the extract cuts the way there, since joining its
    // neighbours would invent a straight road across whatever lies outside; a repeated node
    // is read once; a piece of fewer than two nodes is no line. Compacted in place.
    std::vector<WayRecord> pieces;
    std::size_t missing_locations = 0;
    {
        std::uint64_t out = 0;
        auto finish = [&](const WayRecord& raw) {
            if (raw.count >= 2) pieces.push_back(raw);
            else out = raw.first;
            return WayRecord{out, 0, raw.rule};
        };
        for (const auto& w : ways) {
            WayRecord raw{out, 0, w.rule};
            for (std::uint64_t i = w.first; i < w.first + w.count; ++i) {
                const std::uint32_t r = ranks[i];
                if (r == kMissing || !locations[r].valid()) {
                    ++missing_locations;
                    raw = finish(raw);
                    continue;
                }
                if (raw.count && ranks[out - 1] == r) continue;  // repeated node
                ranks[out++] = r;
                ++raw.count;
            }
            finish(raw);
        }
        ranks.resize(out);
    }
    const std::size_t ways_read = pass1.ways_read, ways_routable = pass1.routable_ways;
    release(ways);

    // Graph nodes: piece ends and nodes used more than once; the rest becomes shape.
    std::vector<std::uint8_t> junction(locations.size(), 0);  // 0 unused, 1 once, 2 graph node
    for (const auto& p : pieces)
        for (std::uint32_t k = 0; k < p.count; ++k) {
            std::uint8_t& j = junction[ranks[p.first + k]];
            j = (k == 0 || k + 1 == p.count || j != 0) ? 2 : 1;
        }

    // Exact sizes first, so no array grows by doubling.
    std::size_t edge_count = 0, shape_count = 0, shape_points = 0, node_count = 0;
    for (const auto& p : pieces) {
        std::uint64_t start = p.first;
        const std::size_t directions = (p.rule.forward ? 1 : 0) + (p.rule.backward ? 1 : 0);
        for (std::uint64_t i = p.first + 1; i < p.first + p.count; ++i) {
            if (junction[ranks[i]] != 2) continue;
            if (ranks[i] != ranks[start] && directions) {
                edge_count += directions;
                ++shape_count;
                shape_points += i - start - 1;
            }
            start = i;
        }
    }
    for (auto j : junction) node_count += j == 2;

    std::vector<NodeId> node_of(locations.size(), kNoNode);
    std::vector<Point2> nodes;  // (lon, lat) until projected
    nodes.reserve(node_count);
    auto graph_node = [&](std::uint32_t r) {
        NodeId& n = node_of[r];
        if (n == kNoNode) {
            n = static_cast<NodeId>(nodes.size());
            nodes.push_back({locations[r].lon(), locations[r].lat()});
        }
        return n;
    };
    if (shape_count >= ShapeRef::kMaxIndex) throw InputError({name, "", ""}, "too many roads for one graph");
    EdgeArrays edges;
    edges.reserve(edge_count);
    ShapeTable shapes;
    shapes.offsets.reserve(shape_count + 1);
    shapes.points.reserve(shape_points);
    auto distance = [&](std::uint32_t a, std::uint32_t b) {
        return ground_distance(locations[a].lon(), locations[a].lat(), locations[b].lon(), locations[b].lat()).value();
    };
    for (const auto& p : pieces) {
        const std::uint64_t end = p.first + p.count;
        double piece_length = 0;
        if (p.rule.ferry_seconds)
            for (std::uint64_t i = p.first; i + 1 < end; ++i) piece_length += distance(ranks[i], ranks[i + 1]);
        NodeId source = graph_node(ranks[p.first]);
        double metres = 0;
        for (std::uint64_t i = p.first + 1; i < end; ++i) {
            const std::uint32_t r = ranks[i];
            metres += distance(ranks[i - 1], r);
            if (junction[r] != 2) {
                shapes.points.push_back({locations[r].lon(), locations[r].lat()});
                continue;
            }
            const NodeId target = graph_node(r);
            const Metres length(metres);
            const Seconds duration =
                p.rule.ferry_seconds ? Seconds(*p.rule.ferry_seconds * (piece_length > 0 ? metres / piece_length : 1.0))
                                     : travel_time(length, kmh(p.rule.speed_kmh));
            if (target != source && (p.rule.forward || p.rule.backward)) {
                shapes.offsets.push_back(shapes.points.size());
                const auto shape = static_cast<std::uint32_t>(shapes.size() - 1);
                if (p.rule.forward) edges.add(source, target, duration, length, ShapeRef(shape, false));
                if (p.rule.backward) edges.add(target, source, duration, length, ShapeRef(shape, true));
            } else {
                shapes.points.resize(shapes.offsets.back());
            }
            source = target;
            metres = 0;
        }
    }
    release(pieces);
    release(ranks);
    release(junction);
    release(node_of);
    release(locations);

    // Project every kept point, in PROJ calls of many points.
    {
        CrsTransform ct = CrsTransform::wgs84_to_lambert93();
        project(nodes, ct, name);
        project(shapes.points, ct, name);
    }

    LoadedGraph out;
    out.stats["osm_file"] = file.filename().string();
    out.stats["osm_nodes_read"] = nodes_read;
    out.stats["osm_ways_read"] = ways_read;
    out.stats["routable_ways"] = ways_routable;
    out.stats["way_nodes_outside_extract"] = missing_locations;
    out.stats["graph_nodes_before_cleanup"] = nodes.size();
    out.stats["graph_edges_before_cleanup"] = edges.size();
    keep_main_network(RoadGraph(std::move(nodes), std::move(edges), std::move(shapes)), name, out);
    out.stats["graph_nodes"] = out.graph.node_count();
    out.stats["graph_edges"] = out.graph.edge_count();
    out.info.source = TravelTimeSource::osm;
    out.info.profile = profile.name;
    out.info.description = "OpenStreetMap " + file.filename().string() + ", profile " + profile.name;
    out.snap.access_speed = kmh(profile.access_speed_kmh);
    out.snap.access_detour = 1.3;
    out.snap.max_distance = Metres(profile.max_snap_distance_m);
    return out;
}

}  // namespace maillage
