#include "network/osm_loader.hpp"

#include <unordered_map>

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include "geo/crs.hpp"
#include "geo/ground_distance.hpp"
#include "network/osm_way_rules.hpp"
#include "network/graph_tools.hpp"
#include "util/errors.hpp"
#include "util/progress.hpp"

namespace maillage {

namespace {

struct RawWay {
    std::uint32_t first = 0;  // into the point arrays
    std::uint32_t count = 0;
    WayRule rule;
};

struct Collector : osmium::handler::Handler {
    const Profile& profile;
    std::vector<RawWay> ways;
    std::vector<osmium::object_id_type> ids;
    std::vector<double> lon, lat;
    std::size_t ways_read = 0, ways_routable = 0, nodes_read = 0, missing_locations = 0;

    explicit Collector(const Profile& p) : profile(p) {}
    void node(const osmium::Node&) { ++nodes_read; }
    void way(const osmium::Way& w) {
        ++ways_read;
        auto rule = evaluate_way(w.tags(), profile);
        if (!rule) return;
        ++ways_routable;
        RawWay raw{static_cast<std::uint32_t>(ids.size()), 0, *rule};
        for (const auto& ref : w.nodes()) {
            // A node outside the extract: the way is cut there, since joining its neighbours
            // would invent a straight road across whatever lies outside.
            if (!ref.location().valid()) {
                ++missing_locations;
                raw = finish(raw);
                continue;
            }
            if (raw.count && ids.back() == ref.ref()) continue;  // repeated node
            ids.push_back(ref.ref());
            lon.push_back(ref.location().lon());
            lat.push_back(ref.location().lat());
            ++raw.count;
        }
        finish(raw);
    }
    // Keeps the piece when it is a line, then starts the next piece of the same way.
    RawWay finish(const RawWay& raw) {
        if (raw.count >= 2) ways.push_back(raw);
        else {
            ids.resize(raw.first);
            lon.resize(raw.first);
            lat.resize(raw.first);
        }
        return {static_cast<std::uint32_t>(ids.size()), 0, raw.rule};
    }
};

}  // namespace

LoadedGraph load_osm(const std::filesystem::path& file, const Profile& profile) {
    const std::string name = file.string();
    {
        std::error_code ec;
        const auto status = std::filesystem::status(file, ec);
        if (status.type() == std::filesystem::file_type::not_found) throw InputError({name, "", ""}, "file not found");
        if (ec) throw InputError({name, "", ""}, "cannot be read: " + ec.message());
        if (!std::filesystem::is_regular_file(status))
            throw InputError({name, "", ""}, "not a regular file", "an OpenStreetMap extract (.osm.pbf, .osm)");
    }
    Collector collector(profile);
    try {
        using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
        Index index;
        osmium::handler::NodeLocationsForWays<Index> locations(index);
        locations.ignore_errors();
        osmium::io::Reader reader(name, osmium::osm_entity_bits::node | osmium::osm_entity_bits::way);
        Progress progress("reading " + file.filename().string(), reader.file_size());
        std::size_t shown = 0;
        while (osmium::memory::Buffer buffer = reader.read()) {
            osmium::apply(buffer, locations, collector);
            progress.advance(reader.offset() - shown);
            shown = reader.offset();
        }
        reader.close();
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        throw InputError({name, "", ""}, std::string("cannot read OpenStreetMap data: ") + e.what(),
                         "a complete .osm.pbf (or .osm) file");
    }
    if (collector.ways.empty())
        throw InputError({name, "", ""}, "no way routable with profile '" + profile.name + "' (" +
                                             std::to_string(collector.ways_read) + " ways read)",
                         "highways of the profile's classes");

    // Graph nodes: way ends and nodes shared by several routable ways; the rest becomes shape.
    std::unordered_map<osmium::object_id_type, std::uint32_t> uses;
    uses.reserve(collector.ids.size());
    for (const auto& w : collector.ways)
        for (std::uint32_t i = 0; i < w.count; ++i) {
            bool end = i == 0 || i + 1 == w.count;
            uses[collector.ids[w.first + i]] += end ? 2 : 1;
        }
    // Project every point once, in one PROJ call.
    std::vector<double> x = collector.lon, y = collector.lat;
    CrsTransform ct = CrsTransform::wgs84_to_lambert93();
    if (!x.empty() && !ct.ogr().Transform(x.size(), x.data(), y.data()))
        throw InputError({name, "", ""}, "coordinates cannot be projected to Lambert-93");

    std::unordered_map<osmium::object_id_type, NodeId> node_of;
    std::vector<Point2> nodes;
    auto graph_node = [&](std::uint32_t k) {
        auto [it, fresh] = node_of.emplace(collector.ids[k], static_cast<NodeId>(nodes.size()));
        if (fresh) nodes.push_back({x[k], y[k]});
        return it->second;
    };
    std::vector<GraphEdgeInput> edges;
    for (const auto& w : collector.ways) {
        double way_length = 0;
        if (w.rule.ferry_seconds)
            for (std::uint32_t i = w.first; i + 1 < w.first + w.count; ++i)
                way_length += ground_distance(collector.lon[i], collector.lat[i], collector.lon[i + 1], collector.lat[i + 1]).value();
        std::uint32_t start = w.first;
        GraphEdgeInput piece{graph_node(start), kNoNode, Seconds(0), Metres(0), {}};
        double metres = 0;
        for (std::uint32_t i = w.first + 1; i < w.first + w.count; ++i) {
            metres += ground_distance(collector.lon[i - 1], collector.lat[i - 1], collector.lon[i], collector.lat[i]).value();
            bool split = i + 1 == w.first + w.count || uses[collector.ids[i]] > 1;
            if (!split) {
                piece.shape.push_back({x[i], y[i]});
                continue;
            }
            piece.target = graph_node(i);
            piece.length = Metres(metres);
            piece.duration = w.rule.ferry_seconds
                                 ? Seconds(*w.rule.ferry_seconds * (way_length > 0 ? metres / way_length : 1.0))
                                 : travel_time(piece.length, kmh(w.rule.speed_kmh));
            if (piece.target != piece.source) {
                if (w.rule.forward) edges.push_back(piece);
                if (w.rule.backward) {
                    GraphEdgeInput back{piece.target, piece.source, piece.duration, piece.length,
                                        {piece.shape.rbegin(), piece.shape.rend()}};
                    edges.push_back(std::move(back));
                }
            }
            piece = {piece.target, kNoNode, Seconds(0), Metres(0), {}};
            metres = 0;
            start = i;
        }
    }
    LoadedGraph out;
    out.stats["osm_file"] = file.filename().string();
    out.stats["osm_nodes_read"] = collector.nodes_read;
    out.stats["osm_ways_read"] = collector.ways_read;
    out.stats["routable_ways"] = collector.ways_routable;
    out.stats["way_nodes_outside_extract"] = collector.missing_locations;
    out.stats["graph_nodes_before_cleanup"] = nodes.size();
    out.stats["graph_edges_before_cleanup"] = edges.size();
    keep_main_network(RoadGraph(std::move(nodes), std::move(edges)), name, out);
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
