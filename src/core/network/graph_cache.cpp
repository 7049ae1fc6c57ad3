#include "network/graph_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "network/profile.hpp"
#include "routing/travel_network.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"
#include "util/sha256.hpp"

namespace maillage {

namespace {

// File layout: a 32-byte preamble (magic, format, byte-order mark, header length), the
// header (JSON: identity, provenance, network description, column table), then each column's
// raw bytes at a 64-byte-aligned offset.
constexpr char kMagic[16] = {'m', 'a', 'i', 'l', 'l', 'a', 'g', 'e', '-', 'g', 'r', 'a', 'p', 'h', 0, 0};
constexpr std::uint32_t kByteOrderMark = 0x01020304;
constexpr std::size_t kPreamble = 32;
constexpr std::size_t kAlign = 64;
const char* const kRebuild = "a graph cache written by this maillage: maillage network build --network SOURCE -o FILE";

std::uint64_t aligned(std::uint64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

struct RawColumn {
    std::string name;
    const void* data;
    std::uint64_t bytes;
    std::uint64_t element_size;
};

template <class T>
void add(std::vector<RawColumn>& out, const std::string& name, const Column<T>& c) {
    out.push_back({name, c.data(), c.bytes(), sizeof(T)});
}

// `shared_with`: a graph whose nodes and shapes `g` shares (the reverse shares the forward
// graph's): those arrays are then written once, under the other graph's names.
void add_graph(std::vector<RawColumn>& out, const std::string& prefix, const RoadGraph& g,
               const RoadGraph* shared_with = nullptr) {
    const auto& c = g.columns();
    const auto* other = shared_with ? &shared_with->columns() : nullptr;
    const bool shares = other && c.nodes.data() == other->nodes.data() &&
                        c.shape_offsets.data() == other->shape_offsets.data() &&
                        c.shape_points.data() == other->shape_points.data() && c.nodes.size() == other->nodes.size() &&
                        c.shape_offsets.size() == other->shape_offsets.size() &&
                        c.shape_points.size() == other->shape_points.size();
    if (!shares) add(out, prefix + "nodes", c.nodes);
    add(out, prefix + "offsets", c.offsets);
    add(out, prefix + "sources", c.sources);
    add(out, prefix + "targets", c.targets);
    add(out, prefix + "durations", c.durations);
    add(out, prefix + "lengths", c.lengths);
    add(out, prefix + "shapes", c.shapes);
    if (!shares) {
        add(out, prefix + "shape_offsets", c.shape_offsets);
        add(out, prefix + "shape_points", c.shape_points);
    }
    add(out, prefix + "twins", c.twins);
    add(out, prefix + "arcs", c.arcs);
}

void add_tree(std::vector<RawColumn>& out, const std::string& prefix, const PackedRTree& t) {
    add(out, prefix + "boxes", t.columns().boxes);
    add(out, prefix + "ids", t.columns().ids);
    add(out, prefix + "level_ends", t.columns().level_ends);
}

nlohmann::json source_identity(const Provenance& provenance) {
    nlohmann::json sources = nlohmann::json::array();
    for (const auto& r : provenance.inputs()) {
        if (r.role != "network" && r.role != "road_mapping") continue;
        std::error_code ec;
        const auto absolute = std::filesystem::absolute(r.path, ec);
        const auto size = std::filesystem::file_size(r.path, ec);
        const auto time = std::filesystem::last_write_time(r.path, ec);
        sources.push_back({{"role", r.role},
                           {"path", absolute.string()},
                           {"sha256", r.sha256},
                           {"size", ec ? 0 : size},
                           {"mtime", ec ? 0 : static_cast<long long>(time.time_since_epoch().count())}});
    }
    return sources;
}

struct Mapping {
    void* address = MAP_FAILED;
    std::size_t size = 0;
    Mapping() = default;
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    ~Mapping() {
        if (address != MAP_FAILED) munmap(address, size);
    }
    [[nodiscard]] const char* bytes() const { return static_cast<const char*>(address); }
};

std::shared_ptr<const Mapping> map_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    const int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        throw InputError({name, "", ""}, err == ENOENT ? "file not found" : std::string("cannot be read: ") + std::strerror(err),
                         kRebuild);
    }
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw InputError({name, "", ""}, "not a regular file", kRebuild);
    }
    auto m = std::make_shared<Mapping>();
    m->size = static_cast<std::size_t>(st.st_size);
    if (m->size > 0) m->address = ::mmap(nullptr, m->size, PROT_READ, MAP_PRIVATE, fd, 0);
    const int err = errno;
    ::close(fd);
    if (m->size > 0 && m->address == MAP_FAILED)
        throw InputError({name, "", ""}, std::string("cannot be mapped into memory: ") + std::strerror(err));
    return m;
}

}  // namespace

void write_graph_cache(const std::filesystem::path& path, LoadedGraph& g, const Provenance& provenance) {
    prepare_for_routing(g);
    const RoutingParts& r = *g.routing;
    std::vector<RawColumn> columns;
    add_graph(columns, "graph.", g.graph);
    add_graph(columns, "reverse.", r.reverse, &g.graph);
    add_tree(columns, "edge_index.", r.edge_index);
    add(columns, "indexed", r.indexed);
    add(columns, "cut_off.offsets", r.cut_off_offsets);
    add(columns, "cut_off.points", r.cut_off_points);
    add_tree(columns, "cut_off_index.", r.cut_off_index);
    add(columns, "node_access", Column<Seconds>(g.snap.node_access));
    const ContractionHierarchy& ch = r.hierarchy;
    if (!ch.empty()) {
        add(columns, "hierarchy.node_of", ch.node_of);
        add(columns, "hierarchy.position_of", ch.position_of);
        add(columns, "hierarchy.up_first", ch.up_first);
        add(columns, "hierarchy.up_arcs", ch.up_arcs);
        add(columns, "hierarchy.down_first", ch.down_first);
        add(columns, "hierarchy.down_arcs", ch.down_arcs);
    }

    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& in : provenance.inputs())
        inputs.push_back({{"role", in.role}, {"path", in.path}, {"sha256", in.sha256}});
    nlohmann::json diagnostics = nlohmann::json::array();
    for (const auto& d : g.info.diagnostics.warnings())
        diagnostics.push_back({{"file", d.where.file}, {"feature", d.where.feature}, {"field", d.where.field},
                               {"message", d.message}});
    nlohmann::json header = {
        {"tool", tool_version()},
        {"format", kGraphCacheFormat},
        {"sources", source_identity(provenance)},
        {"provenance",
         {{"inputs", inputs},
          {"parameters", provenance.parameters()},
          {"travel_time_source", provenance.travel_time_source()},
          {"profile", provenance.profile()}}},
        {"info",
         {{"source", static_cast<int>(g.info.source)},
          {"description", g.info.description},
          {"profile", g.info.profile},
          {"travel_time_uncertainty", g.info.travel_time_uncertainty},
          {"diagnostics", diagnostics}}},
        {"snap",
         {{"max_distance_m", g.snap.max_distance.value()},
          {"access_speed_m_s", g.snap.access_speed.value()},
          {"access_detour", g.snap.access_detour},
          {"nodes_only", g.snap.nodes_only}}},
        {"stats", g.stats},
        {"items", {{"edge_index", r.edge_index.size()}, {"cut_off_index", r.cut_off_index.size()}}},
        {"hierarchy", ch.empty() ? nlohmann::json(nullptr) : nlohmann::json{{"shortcuts", ch.shortcut_count}}},
    };
    // Offsets depend on the header's length, which depends on the offsets' digits: lay out
    // with a generous header reservation, then pad the header to it.
    nlohmann::json table = nlohmann::json::array();
    std::string text;
    std::uint64_t reserve = 4096;
    for (;;) {
        table = nlohmann::json::array();
        std::uint64_t at = aligned(kPreamble + reserve);
        for (const auto& c : columns) {
            table.push_back({{"name", c.name}, {"offset", at}, {"bytes", c.bytes}, {"element_size", c.element_size}});
            at = aligned(at + c.bytes);
        }
        header["columns"] = table;
        text = header.dump();
        if (text.size() <= reserve) break;
        reserve = aligned(text.size() + 1024);
    }
    text.resize(reserve, ' ');
    write_file_atomically(path, [&](std::ostream& out) {
        out.write(kMagic, sizeof kMagic);
        const std::uint32_t format = kGraphCacheFormat, mark = kByteOrderMark;
        const std::uint64_t length = text.size();
        out.write(reinterpret_cast<const char*>(&format), 4);
        out.write(reinterpret_cast<const char*>(&mark), 4);
        out.write(reinterpret_cast<const char*>(&length), 8);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        std::uint64_t at = kPreamble + text.size();
        const std::string zeros(kAlign, '\0');
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const std::uint64_t offset = table[i]["offset"].get<std::uint64_t>();
            out.write(zeros.data(), static_cast<std::streamsize>(offset - at));
            out.write(static_cast<const char*>(columns[i].data), static_cast<std::streamsize>(columns[i].bytes));
            at = offset + columns[i].bytes;
        }
    });
}

namespace {

class CacheReader {
public:
    CacheReader(const std::filesystem::path& path) : name_(path.string()), map_(map_file(path)) {
        const char* b = map_->bytes();
        if (map_->size < kPreamble || std::memcmp(b, kMagic, sizeof kMagic) != 0)
            fail("not a maillage graph cache");
        std::uint32_t format = 0, mark = 0;
        std::uint64_t length = 0;
        std::memcpy(&format, b + 16, 4);
        std::memcpy(&mark, b + 20, 4);
        std::memcpy(&length, b + 24, 8);
        if (mark != kByteOrderMark) fail("written on a machine of another byte order");
        if (format != kGraphCacheFormat)
            fail("written in graph cache format " + std::to_string(format) + ", this maillage reads format " +
                 std::to_string(kGraphCacheFormat) + ": rebuild it");
        if (length > map_->size - kPreamble) fail("damaged: the header runs past the end of the file");
        try {
            header_ = nlohmann::json::parse(std::string_view(b + kPreamble, length));
            for (const auto& c : header_.at("columns"))
                table_[c.at("name").get<std::string>()] = {c.at("offset").get<std::uint64_t>(),
                                                           c.at("bytes").get<std::uint64_t>(),
                                                           c.at("element_size").get<std::uint64_t>()};
        } catch (const nlohmann::json::exception& e) {
            fail(std::string("damaged: the header cannot be read (") + e.what() + ")");
        }
    }

    [[noreturn]] void fail(const std::string& message) const { throw InputError({name_, "", ""}, message, kRebuild); }
    [[nodiscard]] const nlohmann::json& header() const { return header_; }
    [[nodiscard]] const std::string& name() const { return name_; }

    template <class T>
    Column<T> column(const std::string& name) const {
        auto it = table_.find(name);
        if (it == table_.end()) fail("damaged: no array '" + name + "'");
        const Entry& e = it->second;
        if (e.element_size != sizeof(T) || e.bytes % sizeof(T) != 0 || e.offset % alignof(T) != 0 ||
            e.offset > map_->size || e.bytes > map_->size - e.offset)
            fail("damaged: array '" + name + "' does not fit the file (truncated?)");
        const auto* first = reinterpret_cast<const T*>(map_->bytes() + e.offset);
        return Column<T>(std::span<const T>(first, e.bytes / sizeof(T)), map_);
    }

    [[nodiscard]] bool has(const std::string& name) const { return table_.count(name) != 0; }

    // `fallback`: where the arrays a graph shares with another were written (the reverse's
    // nodes and shapes are the forward graph's).
    RoadGraph graph(const std::string& prefix, const std::string& fallback = "") const {
        const auto name = [&](const std::string& array) {
            return !fallback.empty() && !has(prefix + array) ? fallback + array : prefix + array;
        };
        RoadGraph::Columns c;
        c.nodes = column<Point2>(name("nodes"));
        c.offsets = column<EdgeId>(prefix + "offsets");
        c.sources = column<NodeId>(prefix + "sources");
        c.targets = column<NodeId>(prefix + "targets");
        c.durations = column<Seconds>(prefix + "durations");
        c.lengths = column<Metres>(prefix + "lengths");
        c.shapes = column<ShapeRef>(prefix + "shapes");
        c.shape_offsets = column<std::uint64_t>(name("shape_offsets"));
        c.shape_points = column<Point2>(name("shape_points"));
        c.twins = column<EdgeId>(prefix + "twins");
        c.arcs = column<Arc>(prefix + "arcs");
        try {
            return RoadGraph::from_columns(std::move(c));
        } catch (const std::exception& e) {
            fail(std::string("damaged: ") + e.what());
        }
    }

    ContractionHierarchy hierarchy(std::size_t graph_nodes, std::size_t shortcuts) const {
        ContractionHierarchy h;
        h.node_of = column<NodeId>("hierarchy.node_of");
        h.position_of = column<ChPosition>("hierarchy.position_of");
        h.up_first = column<std::uint32_t>("hierarchy.up_first");
        h.up_arcs = column<ChArc>("hierarchy.up_arcs");
        h.down_first = column<std::uint32_t>("hierarchy.down_first");
        h.down_arcs = column<ChArc>("hierarchy.down_arcs");
        h.shortcut_count = shortcuts;
        try {
            return ContractionHierarchy::from_columns(std::move(h), graph_nodes);
        } catch (const std::exception& e) {
            fail(std::string("damaged: ") + e.what());
        }
    }

    PackedRTree tree(const std::string& prefix, std::size_t items) const {
        PackedRTree::Columns c{column<Box>(prefix + "boxes"), column<std::uint32_t>(prefix + "ids"),
                               column<std::uint64_t>(prefix + "level_ends")};
        try {
            return PackedRTree::from_columns(std::move(c), items);
        } catch (const std::exception& e) {
            fail(std::string("damaged: ") + e.what());
        }
    }

private:
    struct Entry {
        std::uint64_t offset, bytes, element_size;
    };
    std::string name_;
    std::shared_ptr<const Mapping> map_;
    nlohmann::json header_;
    std::map<std::string, Entry> table_;
};

// Refuses the cache when it is not what building its source now would give.
void check_identity(const CacheReader& cache, const GraphCacheExpectation& expected) {
    const auto& h = cache.header();
    const std::string built_by = h.at("tool").get<std::string>();
    if (built_by != tool_version())
        cache.fail("built by " + built_by + ", this is " + tool_version() + ": rebuild it");
    const std::string built_profile = h.at("provenance").at("profile").get<std::string>();
    if (built_profile != expected.profile)
        cache.fail("built with profile '" + built_profile + "', the command asks for '" + expected.profile +
                   "' (give --profile " + built_profile + ", or build a cache for '" + expected.profile + "')");
    const Profile profile = load_profile(expected.profile, expected.geodata_dir);
    const std::string profile_sha = sha256_file(profile.file);
    for (const auto& in : h.at("provenance").at("inputs"))
        if (in.at("role") == "profile" && in.at("sha256") != profile_sha)
            cache.fail("stale: the profile file " + profile.file + " changed since the cache was built");
    for (const auto& src : h.at("sources")) {
        const std::filesystem::path file = src.at("path").get<std::string>();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) continue;  // a cache may travel without its source
        const auto size = std::filesystem::file_size(file, ec);
        const auto time = std::filesystem::last_write_time(file, ec);
        if (!ec && size == src.at("size").get<std::uintmax_t>() &&
            static_cast<long long>(time.time_since_epoch().count()) == src.at("mtime").get<long long>())
            continue;
        if (sha256_file(file) != src.at("sha256").get<std::string>())
            cache.fail("stale: " + file.string() + " changed since the cache was built");
    }
}

}  // namespace

LoadedGraph read_graph_cache(const std::filesystem::path& path, const GraphCacheExpectation& expected,
                             Provenance& provenance) {
    CacheReader cache(path);
    LoadedGraph g;
    try {
        check_identity(cache, expected);
        const auto& h = cache.header();
        g.graph = cache.graph("graph.");
        RoutingParts r;
        r.reverse = cache.graph("reverse.", "graph.");
        if (r.reverse.node_count() != g.graph.node_count() || r.reverse.edge_count() != g.graph.edge_count())
            cache.fail("damaged: the reverse graph does not match the graph");
        r.edge_index = cache.tree("edge_index.", h.at("items").at("edge_index").get<std::size_t>());
        r.indexed = cache.column<std::uint32_t>("indexed");
        const std::size_t limit = h.at("snap").at("nodes_only").get<bool>() ? g.graph.node_count() : g.graph.edge_count();
        if (r.indexed.size() != r.edge_index.size()) cache.fail("damaged: the edge index does not match its items");
        for (std::uint32_t id : r.indexed)
            if (id >= limit) cache.fail("damaged: the edge index refers to a missing edge");
        r.cut_off_offsets = cache.column<std::uint64_t>("cut_off.offsets");
        r.cut_off_points = cache.column<Point2>("cut_off.points");
        r.cut_off_index = cache.tree("cut_off_index.", h.at("items").at("cut_off_index").get<std::size_t>());
        const auto& offs = r.cut_off_offsets;
        if (offs.empty() || offs[0] != 0 || offs.size() != r.cut_off_index.size() + 1 ||
            offs[offs.size() - 1] != r.cut_off_points.size())
            cache.fail("damaged: the cut-off roads do not match their index");
        for (std::size_t i = 0; i + 1 < offs.size(); ++i) {
            if (offs[i] >= offs[i + 1]) cache.fail("damaged: an empty cut-off road");
            g.cut_off_roads.emplace_back(r.cut_off_points.begin() + static_cast<std::ptrdiff_t>(offs[i]),
                                         r.cut_off_points.begin() + static_cast<std::ptrdiff_t>(offs[i + 1]));
        }
        if (const auto& ch = h.at("hierarchy"); !ch.is_null())
            r.hierarchy = cache.hierarchy(g.graph.node_count(), ch.at("shortcuts").get<std::size_t>());
        g.routing = std::move(r);

        const auto& info = h.at("info");
        g.info.source = static_cast<TravelTimeSource>(info.at("source").get<int>());
        g.info.description = info.at("description").get<std::string>();
        g.info.profile = info.at("profile").get<std::string>();
        g.info.travel_time_uncertainty = info.at("travel_time_uncertainty").get<std::string>();
        for (const auto& d : info.at("diagnostics"))
            g.info.diagnostics.warn({d.at("file").get<std::string>(), d.at("feature").get<std::string>(),
                                     d.at("field").get<std::string>()},
                                    d.at("message").get<std::string>());
        const auto& snap = h.at("snap");
        g.snap.max_distance = Metres(snap.at("max_distance_m").get<double>());
        g.snap.access_speed = MetresPerSecond(snap.at("access_speed_m_s").get<double>());
        g.snap.access_detour = snap.at("access_detour").get<double>();
        g.snap.nodes_only = snap.at("nodes_only").get<bool>();
        const auto node_access = cache.column<Seconds>("node_access");
        g.snap.node_access.assign(node_access.begin(), node_access.end());
        g.stats = h.at("stats");

        const auto& p = h.at("provenance");
        for (const auto& in : p.at("inputs"))
            provenance.add_input(InputRecord{in.at("role").get<std::string>(), in.at("path").get<std::string>(),
                                             in.at("sha256").get<std::string>()});
        for (const auto& [key, value] : p.at("parameters").items()) provenance.set_parameter(key, value);
        provenance.set_travel_time_source(p.at("travel_time_source").get<std::string>());
        provenance.set_profile(p.at("profile").get<std::string>());
    } catch (const nlohmann::json::exception& e) {
        cache.fail(std::string("damaged: the header lacks a field (") + e.what() + ")");
    }
    return g;
}

}  // namespace maillage
