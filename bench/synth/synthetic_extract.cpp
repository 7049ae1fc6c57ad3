#include "synthetic_extract.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>
#include <utility>

#include <osmium/builder/osm_object_builder.hpp>
#include <osmium/io/any_output.hpp>
#include <osmium/io/header.hpp>
#include <osmium/io/writer.hpp>
#include <osmium/memory/buffer.hpp>
#include <osmium/osm/box.hpp>
#include <osmium/osm/location.hpp>

namespace maillage::synth {

namespace {

constexpr std::int64_t kLinksPerWay = 8;
constexpr double kOffsetAmplitudeM = 3.0;
constexpr double kPi = 3.14159265358979323846;

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// #{j < w : j % 4 == m}
std::int64_t chunks_mod4(std::int64_t w, std::int64_t m) { return w > m ? (w - 1 - m) / 4 + 1 : 0; }

std::uint64_t splitmix64(std::uint64_t x) {
    std::uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

std::int64_t ways_per_line(std::int64_t n) { return ceil_div(n - 1, kLinksPerWay); }
std::int64_t chunk_links(std::int64_t n, std::int64_t j) { return std::min(kLinksPerWay, n - 1 - kLinksPerWay * j); }

bool oneway_row(std::int64_t r) { return r % 4 == 1; }
bool oneway_chunk(std::int64_t r, std::int64_t j) { return oneway_row(r) && j % 2 == 0; }
bool westwards(std::int64_t r) { return r % 8 == 5; }

// Line classes as in line_class: primary every 32nd line, secondary every 8th otherwise.
const char* maxspeed_of(std::int64_t line, std::int64_t j) {
    if (line % 32 == 0) return j % 4 == 1 ? "50" : nullptr;
    if (line % 8 == 0) return j % 4 == 2 ? "90" : nullptr;
    return nullptr;
}

// Grid positions (row, column, possibly fractional and offset) to WGS84 through the local
// ellipsoidal plane at the centre (see the header).
class Placement {
public:
    explicit Placement(const ExtractOptions& o) : o_(o), half_((static_cast<double>(o.size) - 1) / 2) {
        const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
        const double phi = o.centre_lat * kPi / 180, s2 = std::sin(phi) * std::sin(phi);
        const double meridian = a * (1 - e2) / std::pow(1 - e2 * s2, 1.5);
        const double normal = a / std::sqrt(1 - e2 * s2);
        deg_per_m_lat_ = 180 / kPi / meridian;
        deg_per_m_lon_ = 180 / kPi / (normal * std::cos(phi));
    }
    // x east, y north, in metres from the centre.
    [[nodiscard]] double lon(double x) const { return o_.centre_lon + x * deg_per_m_lon_; }
    [[nodiscard]] double lat(double y) const { return o_.centre_lat + y * deg_per_m_lat_; }
    [[nodiscard]] double x(double col) const { return (col - half_) * o_.spacing_m; }
    [[nodiscard]] double y(double row) const { return (half_ - row) * o_.spacing_m; }
    [[nodiscard]] osmium::Location at(double row, double col, double east_m = 0, double north_m = 0) const {
        return {lon(x(col) + east_m), lat(y(row) + north_m)};
    }

private:
    const ExtractOptions& o_;
    double half_;
    double deg_per_m_lat_ = 0, deg_per_m_lon_ = 0;
};

// Ids of the layout in the header, for the main grid and the islands.
struct Ids {
    std::int64_t n, k;
    std::int64_t east_base() const { return 1 + n * n; }
    std::int64_t south_base() const { return east_base() + n * (n - 1) * k; }
    std::int64_t island_base(std::int64_t i) const { return south_base() + n * (n - 1) * k + i * (9 + 12 * k); }
    std::int64_t node(std::int64_t r, std::int64_t c) const { return 1 + r * n + c; }
    std::int64_t east(std::int64_t r, std::int64_t c, std::int64_t kk) const { return east_base() + (r * (n - 1) + c) * k + kk - 1; }
    std::int64_t south(std::int64_t r, std::int64_t c, std::int64_t kk) const { return south_base() + (r * n + c) * k + kk - 1; }
    std::int64_t island_node(std::int64_t i, std::int64_t a, std::int64_t b) const { return island_base(i) + 3 * a + b; }
    std::int64_t island_east(std::int64_t i, std::int64_t a, std::int64_t b, std::int64_t kk) const {
        return island_base(i) + 9 + (2 * a + b) * k + kk - 1;
    }
    std::int64_t island_south(std::int64_t i, std::int64_t a, std::int64_t b, std::int64_t kk) const {
        return island_base(i) + 9 + 6 * k + (3 * a + b) * k + kk - 1;
    }
};

// Fills buffers of about 1 MB and hands them to the writer, which compresses them on its
// own threads with a bounded queue: memory stays flat whatever the size of the extract.
class Stream {
public:
    explicit Stream(osmium::io::Writer& writer) : writer_(writer) {}
    osmium::memory::Buffer& buffer() { return buffer_; }
    void committed() {
        buffer_.commit();
        if (buffer_.committed() > kFlushBytes) flush();
    }
    void flush() {
        if (buffer_.committed() == 0) return;
        writer_(std::move(buffer_));
        buffer_ = osmium::memory::Buffer(kCapacity, osmium::memory::Buffer::auto_grow::yes);
    }

private:
    static constexpr std::size_t kCapacity = 1024 * 1024 + 64 * 1024;
    static constexpr std::size_t kFlushBytes = 1024 * 1024;
    osmium::io::Writer& writer_;
    osmium::memory::Buffer buffer_{kCapacity, osmium::memory::Buffer::auto_grow::yes};
};

void add_node(Stream& out, std::int64_t id, osmium::Location where) {
    {
        osmium::builder::NodeBuilder b(out.buffer());
        b.set_id(id).set_location(where);
    }
    out.committed();
}

struct WayTags {
    const char* highway;
    const char* maxspeed = nullptr;
    bool oneway = false;
};

// `nodes(emit)` calls emit(id) for each node of the way in order.
template <class Nodes>
void add_way(Stream& out, std::int64_t id, const WayTags& tags, Nodes&& nodes) {
    {
        osmium::builder::WayBuilder b(out.buffer());
        b.set_id(id);
        {
            osmium::builder::TagListBuilder t(b);
            t.add_tag("highway", tags.highway);
            if (tags.maxspeed) t.add_tag("maxspeed", tags.maxspeed);
            if (tags.oneway) t.add_tag("oneway", "yes");
        }
        osmium::builder::WayNodeListBuilder refs(b);
        nodes([&](std::int64_t ref) { refs.add_node_ref(ref); });
    }
    out.committed();
}

void write_nodes(Stream& out, const ExtractOptions& o, const Placement& at, const Ids& ids) {
    const std::int64_t n = o.size, k = o.shape_nodes;
    const double step = 1.0 / static_cast<double>(k + 1);
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t c = 0; c < n; ++c) add_node(out, ids.node(r, c), at.at(r, c));
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t c = 0; c + 1 < n; ++c)
            for (std::int64_t kk = 1; kk <= k; ++kk)
                add_node(out, ids.east(r, c, kk), at.at(r, c + kk * step, 0, shape_offset_m(true, r, c, kk)));
    for (std::int64_t r = 0; r + 1 < n; ++r)
        for (std::int64_t c = 0; c < n; ++c)
            for (std::int64_t kk = 1; kk <= k; ++kk)
                add_node(out, ids.south(r, c, kk), at.at(r + kk * step, c, shape_offset_m(false, r, c, kk), 0));
    for (std::int64_t i = 0; i < o.islands; ++i) {
        const std::int64_t row = n + 4, col = 4 * i;
        for (std::int64_t a = 0; a < 3; ++a)
            for (std::int64_t b = 0; b < 3; ++b) add_node(out, ids.island_node(i, a, b), at.at(row + a, col + b));
        for (std::int64_t a = 0; a < 3; ++a)
            for (std::int64_t b = 0; b < 2; ++b)
                for (std::int64_t kk = 1; kk <= k; ++kk)
                    add_node(out, ids.island_east(i, a, b, kk),
                             at.at(row + a, col + b + kk * step, 0, shape_offset_m(true, row + a, col + b, kk)));
        for (std::int64_t a = 0; a < 2; ++a)
            for (std::int64_t b = 0; b < 3; ++b)
                for (std::int64_t kk = 1; kk <= k; ++kk)
                    add_node(out, ids.island_south(i, a, b, kk),
                             at.at(row + a + kk * step, col + b, shape_offset_m(false, row + a, col + b, kk), 0));
    }
}

void write_ways(Stream& out, const ExtractOptions& o, const Ids& ids) {
    const std::int64_t n = o.size, k = o.shape_nodes, w = ways_per_line(n);
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t j = 0; j < w; ++j) {
            const std::int64_t first = kLinksPerWay * j, last = first + chunk_links(n, j);  // columns of its ends
            const bool oneway = oneway_chunk(r, j), reverse = oneway && westwards(r);
            add_way(out, 1 + r * w + j, {line_class(r), maxspeed_of(r, j), oneway}, [&](auto emit) {
                if (!reverse) {
                    for (std::int64_t c = first; c < last; ++c) {
                        emit(ids.node(r, c));
                        for (std::int64_t kk = 1; kk <= k; ++kk) emit(ids.east(r, c, kk));
                    }
                    emit(ids.node(r, last));
                    return;
                }
                for (std::int64_t c = last; c > first; --c) {
                    emit(ids.node(r, c));
                    for (std::int64_t kk = k; kk >= 1; --kk) emit(ids.east(r, c - 1, kk));
                }
                emit(ids.node(r, first));
            });
        }
    for (std::int64_t c = 0; c < n; ++c)
        for (std::int64_t j = 0; j < w; ++j) {
            const std::int64_t first = kLinksPerWay * j, last = first + chunk_links(n, j);
            add_way(out, 1 + n * w + c * w + j, {line_class(c), maxspeed_of(c, j)}, [&](auto emit) {
                for (std::int64_t r = first; r < last; ++r) {
                    emit(ids.node(r, c));
                    for (std::int64_t kk = 1; kk <= k; ++kk) emit(ids.south(r, c, kk));
                }
                emit(ids.node(last, c));
            });
        }
    for (std::int64_t i = 0; i < o.islands; ++i) {
        const std::int64_t base = 1 + 2 * n * w + 6 * i;
        for (std::int64_t a = 0; a < 3; ++a)
            add_way(out, base + a, {"residential"}, [&](auto emit) {
                for (std::int64_t b = 0; b < 2; ++b) {
                    emit(ids.island_node(i, a, b));
                    for (std::int64_t kk = 1; kk <= k; ++kk) emit(ids.island_east(i, a, b, kk));
                }
                emit(ids.island_node(i, a, 2));
            });
        for (std::int64_t b = 0; b < 3; ++b)
            add_way(out, base + 3 + b, {"residential"}, [&](auto emit) {
                for (std::int64_t a = 0; a < 2; ++a) {
                    emit(ids.island_node(i, a, b));
                    for (std::int64_t kk = 1; kk <= k; ++kk) emit(ids.island_south(i, a, b, kk));
                }
                emit(ids.island_node(i, 2, b));
            });
    }
}

// West, south, east, north of everything written (offsets are at most 3 m), in degrees.
struct Extent {
    double west, south, east, north;
};

Extent extent(const ExtractOptions& o, const Placement& at) {
    const double margin = kOffsetAmplitudeM;
    const double south_row = o.islands > 0 ? static_cast<double>(o.size + 6) : static_cast<double>(o.size - 1);
    const double east_col = std::max(static_cast<double>(o.size - 1), o.islands > 0 ? 4.0 * static_cast<double>(o.islands - 1) + 2 : 0.0);
    return {at.lon(at.x(0) - margin), at.lat(at.y(south_row) - margin), at.lon(at.x(east_col) + margin), at.lat(at.y(0) + margin)};
}

void bad(const std::string& option, const std::string& message) { throw std::invalid_argument(option + ": " + message); }

}  // namespace

const char* line_class(std::int64_t i) {
    if (i % 32 == 0) return "primary";
    if (i % 8 == 0) return "secondary";
    if (i % 4 == 0) return "tertiary";
    if (i % 2 == 0) return "unclassified";
    return "residential";
}

double shape_offset_m(bool east_link, std::int64_t r, std::int64_t c, std::int64_t k) {
    const std::uint64_t key = (static_cast<std::uint64_t>(east_link ? 0 : 1) << 56) | (static_cast<std::uint64_t>(r) << 36) |
                              (static_cast<std::uint64_t>(c) << 16) | static_cast<std::uint64_t>(k);
    const auto h = static_cast<std::int64_t>(splitmix64(key) % 2001);
    return kOffsetAmplitudeM * static_cast<double>(h - 1000) / 1000.0;
}

void check_options(const ExtractOptions& o) {
    if (o.size < 2 || o.size > 100000) bad("size", "must be between 2 and 100000 (got " + std::to_string(o.size) + ")");
    if (o.shape_nodes < 0 || o.shape_nodes > 200)
        bad("shape nodes", "must be between 0 and 200, so a way keeps under OSM's 2000 nodes (got " +
                               std::to_string(o.shape_nodes) + ")");
    if (!(o.spacing_m >= 20 && o.spacing_m <= 10000))
        bad("spacing", "must be between 20 and 10000 metres (got " + std::to_string(o.spacing_m) + ")");
    if (o.islands < 0 || o.islands > 10000) bad("islands", "must be between 0 and 10000 (got " + std::to_string(o.islands) + ")");
    if (!(std::abs(o.centre_lat) <= 80)) bad("centre latitude", "must be between -80 and 80 degrees");
    if (!(std::abs(o.centre_lon) <= 180)) bad("centre longitude", "must be between -180 and 180 degrees");
    const Extent e = extent(o, Placement(o));
    if (!(e.south >= -85 && e.north <= 85 && e.west >= -180 && e.east <= 180))
        bad("size", "the grid would reach beyond ±85° latitude or ±180° longitude (" + std::to_string(e.west) + ", " +
                        std::to_string(e.south) + " to " + std::to_string(e.east) + ", " + std::to_string(e.north) +
                        "): use a smaller size or spacing");
}

ExtractCounts expected_counts(const ExtractOptions& o) {
    check_options(o);
    const std::int64_t n = o.size, k = o.shape_nodes, islands = o.islands, w = ways_per_line(n);
    ExtractCounts c;
    c.osm_nodes = n * n + 2 * n * (n - 1) * k + islands * (9 + 12 * k);
    c.ways = 2 * n * w + 6 * islands;
    c.links = 2 * n * (n - 1) + 12 * islands;
    c.intersections = n * n;
    const std::int64_t oneway_rows = (n + 2) / 4;
    std::int64_t links_per_row = 0;
    for (std::int64_t j = 0; j < w; j += 2) links_per_row += chunk_links(n, j);
    c.oneway_ways = oneway_rows * ((w + 1) / 2);
    c.oneway_links = oneway_rows * links_per_row;
    c.arcs = 4 * n * (n - 1) - c.oneway_links;
    const std::int64_t primary = (n - 1) / 32 + 1, secondary = (n - 1) / 8 + 1 - primary;
    c.maxspeed_ways = 2 * primary * chunks_mod4(w, 1) + 2 * secondary * chunks_mod4(w, 2);
    c.island_nodes = 9 * islands;
    c.island_links = 12 * islands;
    return c;
}

void write_extract(const ExtractOptions& o) {
    check_options(o);
    if (o.output.empty()) bad("output", "no file given");
    const Placement at(o);
    const Ids ids{o.size, o.shape_nodes};

    // The format comes from the final name; the bytes go to a temporary name beside it.
    osmium::io::File file(o.output.string());
    try {
        file.check();
    } catch (const std::exception&) {
        bad("output", o.output.string() + ": unknown OSM format (expected a name ending in .osm.pbf, .pbf, .osm or .opl)");
    }
    file.set("add_metadata", "false");  // no version / timestamp / user: smaller, and nothing varies
    const std::filesystem::path partial =
        o.output.parent_path() / ("." + o.output.filename().string() + ".partial-" + std::to_string(::getpid()));
    file.filename(partial.string());
    osmium::io::Header header;
    header.set("generator", "maillage-synth-osm");
    header.set("sorting", "Type_then_ID");
    const Extent e = extent(o, at);
    header.add_box(osmium::Box(e.west, e.south, e.east, e.north));
    try {
        osmium::io::Writer writer(file, header, osmium::io::overwrite::allow);
        Stream out(writer);
        write_nodes(out, o, at, ids);
        write_ways(out, o, ids);
        out.flush();
        writer.close();
        std::filesystem::rename(partial, o.output);
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(partial, ignored);
        throw;
    }
}

}  // namespace maillage::synth
