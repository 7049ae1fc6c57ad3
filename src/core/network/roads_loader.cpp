#include "network/roads_loader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "geo/vector_source.hpp"
#include "network/graph_tools.hpp"
#include "network/osm_memory_estimate.hpp"
#include "network/roads_memory_estimate.hpp"
#include "util/errors.hpp"
#include "util/json_file.hpp"

namespace maillage {

namespace {

// Lambert-93 coordinates of anything on Earth that the projection can sensibly hold.
constexpr double kMaxLambertMetres = 1e7;

FieldNames field_names(const nlohmann::json& j, const std::string& key, const std::string& file, const std::string& ptr) {
    auto bad = [&] {
        return InputError({file, ptr, key}, "not a field name", "a field name, or a list of alternative names");
    };
    FieldNames out;
    if (j.is_string()) out.push_back(j.get<std::string>());
    else if (j.is_array())
        for (const auto& v : j) {
            if (!v.is_string()) throw bad();
            out.push_back(v.get<std::string>());
        }
    if (out.empty() || std::any_of(out.begin(), out.end(), [](const std::string& n) { return n.empty(); })) throw bad();
    return out;
}

}  // namespace

RoadMapping RoadMapping::load(const std::filesystem::path& path) {
    const std::string file = path.string();
    auto j = read_json_file(path);
    check_keys(j, {"description", "class_field", "speeds_kmh", "direction_field", "directions", "default_direction",
                   "node_tolerance_m", "speed_field", "exclude"},
               file, "");
    RoadMapping m;
    m.file = file;
    if (!j.contains("class_field"))
        throw InputError({file, "/class_field", "class_field"}, "missing", "the name of the class field");
    m.class_field = field_names(j["class_field"], "class_field", file, "/class_field");
    if (!j.contains("speeds_kmh") || !j["speeds_kmh"].is_object() || j["speeds_kmh"].empty())
        throw InputError({file, "/speeds_kmh", "speeds_kmh"}, "missing or empty", "{\"class value\": km/h, ...}");
    for (const auto& [k, v] : j["speeds_kmh"].items()) {
        if (!v.is_number() || !(v.get<double>() > 0))
            throw InputError({file, "/speeds_kmh/" + k, k}, "invalid speed " + v.dump(), "km/h > 0");
        m.speeds_kmh[k] = v;
    }
    if (j.contains("direction_field")) m.direction_field = field_names(j["direction_field"], "direction_field", file, "/direction_field");
    if (j.contains("directions"))
        for (const auto& [k, v] : j["directions"].items()) {
            std::string d = v.is_string() ? v.get<std::string>() : "";
            if (d != "both" && d != "forward" && d != "backward" && d != "none")
                throw InputError({file, "/directions/" + k, k}, "invalid direction " + v.dump(),
                                 "both, forward, backward or none");
            m.directions[k] = d;
        }
    if (j.contains("default_direction") && !j["default_direction"].is_string())  // j.value would throw a type_error (fuzz/)
        throw InputError({file, "/default_direction", "default_direction"}, "not a string: " + j["default_direction"].dump(),
                         "both, forward or backward");
    m.default_direction = j.value("default_direction", "both");
    if (m.default_direction != "both" && m.default_direction != "forward" && m.default_direction != "backward")
        throw InputError({file, "/default_direction", "default_direction"}, "invalid direction '" + m.default_direction + "'",
                         "both, forward or backward");
    if (j.contains("node_tolerance_m")) m.node_tolerance_m = json_number(j, "node_tolerance_m", file, "", false);
    if (j.contains("speed_field")) m.speed_field = field_names(j["speed_field"], "speed_field", file, "/speed_field");
    if (j.contains("exclude")) {
        const auto& ex = j["exclude"];
        if (!ex.is_array())
            throw InputError({file, "/exclude", "exclude"}, "not a list", "[{\"field\": NAME, \"values\": [...]}, ...]");
        for (std::size_t i = 0; i < ex.size(); ++i) {
            const std::string ptr = "/exclude/" + std::to_string(i);
            check_keys(ex[i], {"field", "values"}, file, ptr);
            if (!ex[i].contains("field") || !ex[i].contains("values") || !ex[i]["values"].is_array())
                throw InputError({file, ptr, "values"}, "needs a field and a list of values", "{\"field\": NAME, \"values\": [...]}");
            Exclusion e;
            e.field = field_names(ex[i]["field"], "field", file, ptr + "/field");
            for (const auto& v : ex[i]["values"]) {
                if (!v.is_string())
                    throw InputError({file, ptr + "/values", "values"}, "value " + v.dump() + " is not a string", "text values");
                e.values.insert(v.get<std::string>());
            }
            m.exclude.push_back(std::move(e));
        }
    }
    return m;
}

namespace {

// Endpoints within the tolerance share a node: a hash grid of tolerance-sized cells.
class NodeSnapper {
public:
    explicit NodeSnapper(double tolerance) : cell_(std::max(tolerance, 1e-6)), tol2_(tolerance * tolerance) {}
    NodeId node(Point2 p) {
        long long cx = static_cast<long long>(std::floor(p.x / cell_)), cy = static_cast<long long>(std::floor(p.y / cell_));
        for (long long dx = -1; dx <= 1; ++dx)
            for (long long dy = -1; dy <= 1; ++dy) {
                auto it = grid_.find(key(cx + dx, cy + dy));
                if (it == grid_.end()) continue;
                for (NodeId n : it->second) {
                    double ddx = nodes_[n].x - p.x, ddy = nodes_[n].y - p.y;
                    if (ddx * ddx + ddy * ddy <= tol2_) return n;
                }
            }
        NodeId n = static_cast<NodeId>(nodes_.size());
        nodes_.push_back(p);
        grid_[key(cx, cy)].push_back(n);
        return n;
    }
    std::vector<Point2> take() { return std::move(nodes_); }

private:
    static std::uint64_t key(long long x, long long y) {
        return (static_cast<std::uint64_t>(x) * 0x9E3779B97F4A7C15ULL) ^ static_cast<std::uint64_t>(y);
    }
    double cell_, tol2_;
    std::vector<Point2> nodes_;
    std::unordered_map<std::uint64_t, std::vector<NodeId>> grid_;
};

}  // namespace

LoadedGraph load_road_layer(const std::filesystem::path& file, const std::string& layer, const RoadMapping& m,
                            const Profile& profile, const RoadLoadOptions& options) {
    VectorSource src(file, layer);
    auto name_of = [&](int col) { return std::string(src.layer().GetLayerDefn()->GetFieldDefn(col)->GetNameRef()); };
    const int cls = src.require_field(m.class_field);
    const int dir = m.direction_field.empty() ? -1 : src.require_field(m.direction_field);
    const int speed_col = m.speed_field.empty() ? -1 : src.require_field(m.speed_field);
    const std::string class_name = name_of(cls), direction_name = dir >= 0 ? name_of(dir) : "",
                      speed_name = speed_col >= 0 ? name_of(speed_col) : "";
    std::vector<std::pair<int, const std::set<std::string>*>> exclude_cols;
    for (const auto& e : m.exclude) exclude_cols.emplace_back(src.require_field(e.field), &e.values);
    // One pass over the geometries first: the estimate checked against the budget before
    // anything is built, and the edge arrays reserved at their size (not the shape table:
    // the contraction appends the shapes of its chains to it, and a table reserved exactly
    // would then double at once).
    const RoadLayerCounts counts = count_road_layer(src.layer());
    if (options.max_memory_bytes) {
        const std::uint64_t needs = road_build_memory_bytes(counts);
        if (needs > *options.max_memory_bytes)
            throw InputError({src.file(), "", ""},
                             "building this network needs about " + format_gigabytes(needs) +
                                 ", more than the budget of " + format_gigabytes(*options.max_memory_bytes) +
                                 " (--max-memory)",
                             "a smaller layer, or a larger --max-memory");
    }
    std::map<std::string, long long> excluded;
    long long speed_from_field = 0;
    CrsTransform ct = src.to_lambert93();
    NodeSnapper snapper(m.node_tolerance_m);
    // Flat arrays, one stored shape per road read both ways (as the OSM loader builds them):
    // a vector of points per directed edge cost twice the shapes and a heap block each.
    EdgeArrays edges;
    ShapeTable shapes;
    edges.reserve(2 * counts.features);  // both ways; pages never written cost nothing
    std::map<std::string, long long> unmapped;
    long long features = 0;
    for (auto& f : src.layer()) {
        ++features;
        const std::string label = VectorSource::feature_label(*f);
        std::string klass = f->GetFieldAsString(cls);
        auto speed = m.speeds_kmh.find(klass);
        if (speed == m.speeds_kmh.end()) {
            ++unmapped[klass];
            continue;
        }
        auto hit = std::find_if(exclude_cols.begin(), exclude_cols.end(),
                                [&](const auto& c) { return c.second->count(f->GetFieldAsString(c.first)) > 0; });
        if (hit != exclude_cols.end()) {
            ++excluded[name_of(hit->first) + " = " + f->GetFieldAsString(hit->first)];
            continue;
        }
        double kmh_value = speed->second;
        bool field_speed = false;
        if (speed_col >= 0 && f->IsFieldSetAndNotNull(speed_col)) {
            double v = f->GetFieldAsDouble(speed_col);
            if (!std::isfinite(v) || v < 0)
                throw InputError({src.file(), label, speed_name}, "invalid speed '" + std::string(f->GetFieldAsString(speed_col)) + "'",
                                 "km/h >= 0 (0 or empty: the class speed)");
            if (v > 0) {
                kmh_value = v;
                field_speed = true;
            }
        }
        std::string direction = m.default_direction;
        if (dir >= 0) {
            std::string value = f->GetFieldAsString(dir);
            auto d = m.directions.find(value);
            if (d == m.directions.end())
                throw InputError({src.file(), label, direction_name}, "unknown direction value '" + value + "'",
                                 "a value listed in " + m.file + " /directions");
            direction = d->second;
        }
        if (direction == "none") continue;
        if (field_speed) ++speed_from_field;
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        GeometryPtr line(g->clone());
        if (line->transform(&ct.ogr()) != OGRERR_NONE)
            throw InputError({src.file(), label, "geometry"}, "cannot project the road to Lambert-93");
        std::vector<const OGRLineString*> parts;
        auto type = wkbFlatten(line->getGeometryType());
        if (type == wkbLineString) parts.push_back(line->toLineString());
        else if (type == wkbMultiLineString)
            for (const auto* p : *line->toMultiLineString()) parts.push_back(p);
        else
            throw InputError({src.file(), label, "geometry"}, std::string("a ") + line->getGeometryName() + " is not a road",
                             "LineString or MultiLineString");
        for (const OGRLineString* ls : parts) {
            int n = ls->getNumPoints();
            if (n < 2) continue;
            // A non-finite or absurd coordinate (1e300) would make an edge of astronomical
            // length or poison the snapping grid: refused here, where the file is known.
            for (int i = 0; i < n; ++i) {
                const double x = ls->getX(i), y = ls->getY(i);
                if (!std::isfinite(x) || !std::isfinite(y) || std::abs(x) > kMaxLambertMetres ||
                    std::abs(y) > kMaxLambertMetres) {
                    char point[96];
                    std::snprintf(point, sizeof point, "point %d (%.10g, %.10g)", i, x, y);
                    throw InputError({src.file(), label, "geometry"},
                                     std::string("coordinates outside any plausible range once in Lambert-93: ") + point,
                                     "finite coordinates within 10 000 km of the Lambert-93 origin");
                }
            }
            const NodeId source = snapper.node({ls->getX(0), ls->getY(0)});
            const NodeId target = snapper.node({ls->getX(n - 1), ls->getY(n - 1)});
            if (source == target) continue;
            if (shapes.size() >= ShapeRef::kMaxIndex) throw InputError({src.file(), "", ""}, "too many roads for one graph");
            for (int i = 1; i + 1 < n; ++i) shapes.points.push_back({ls->getX(i), ls->getY(i)});
            shapes.offsets.push_back(shapes.points.size());
            const auto shape = static_cast<std::uint32_t>(shapes.size() - 1);
            const Metres length(ls->get_Length());
            const Seconds duration = travel_time(length, kmh(std::min(kmh_value, profile.max_speed_kmh)));
            if (direction == "both" || direction == "forward") edges.add(source, target, duration, length, ShapeRef(shape, false));
            if (direction == "both" || direction == "backward")
                edges.add(target, source, duration, length, ShapeRef(shape, true));
        }
    }
    if (edges.size() == 0)
        throw InputError({src.file(), "", class_name}, "no road of a mapped class",
                         "values of " + class_name + " listed in " + m.file);
    LoadedGraph out;
    out.stats["features"] = features;
    out.stats["unmapped_classes"] = unmapped;
    out.stats["excluded"] = excluded;
    if (speed_col >= 0) out.stats["speed_from_field"] = speed_from_field;
    for (const auto& [k, n] : unmapped)
        out.info.diagnostics.warn({src.file(), "", class_name}, std::to_string(n) + " roads of class '" + k + "' not in the mapping: skipped");
    keep_main_network(RoadGraph(snapper.take(), std::move(edges), std::move(shapes)), src.file(), out);
    out.info.source = TravelTimeSource::roads;
    out.info.profile = profile.name;
    out.info.description = "road layer " + file.filename().string() + " (mapping " + std::filesystem::path(m.file).filename().string() + ")";
    out.snap.access_speed = kmh(profile.access_speed_kmh);
    out.snap.access_detour = 1.3;
    out.snap.max_distance = Metres(profile.max_snap_distance_m);
    return out;
}

}  // namespace maillage
