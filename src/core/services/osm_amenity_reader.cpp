#include "services/osm_amenity_reader.hpp"

#include <cstring>

#include <osmium/handler.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/visitor.hpp>

#include "geo/crs.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {

struct TagRule {
    const char* category;
    const char* key;
    const char* value;
};

// The usual OSM tagging of each service (wiki: Key:amenity, Key:healthcare).
constexpr TagRule kRules[] = {
    {"gp", "amenity", "doctors"},           {"gp", "healthcare", "doctor"},
    {"pharmacie", "amenity", "pharmacy"},   {"pharmacie", "healthcare", "pharmacy"},
    {"creche", "amenity", "kindergarten"},  {"creche", "amenity", "childcare"},
    {"maison_sante", "healthcare", "centre"}, {"maison_sante", "amenity", "clinic"},
    {"france_services", "office", "government"},
};

bool matches(const osmium::TagList& tags, const std::string& category) {
    for (const auto& r : kRules) {
        if (category != r.category) continue;
        const char* v = tags.get_value_by_key(r.key);
        if (v && !std::strcmp(v, r.value)) return true;
    }
    return false;
}

struct Collector : osmium::handler::Handler {
    std::string category, file;
    std::vector<ServiceSite> sites;

    void add(const char* kind, osmium::object_id_type id, const osmium::TagList& tags, double lon, double lat) {
        ServiceSite s;
        s.id = std::string(kind) + std::to_string(id);
        const char* name = tags.get_value_by_key("name");
        s.name = name ? name : s.id;
        s.category = category;
        s.position = lonlat_to_lambert93({lon, lat});
        s.source = file;
        sites.push_back(std::move(s));
    }
    void node(const osmium::Node& n) {
        if (n.location().valid() && matches(n.tags(), category)) add("n", n.id(), n.tags(), n.location().lon(), n.location().lat());
    }
    void way(const osmium::Way& w) {
        if (!matches(w.tags(), category) || w.nodes().empty()) return;
        double lon = 0, lat = 0;
        int k = 0;
        for (const auto& r : w.nodes())
            if (r.location().valid()) {
                lon += r.location().lon();
                lat += r.location().lat();
                ++k;
            }
        if (k) add("w", w.id(), w.tags(), lon / k, lat / k);
    }
};

}  // namespace

std::vector<std::string> osm_mapped_categories() {
    std::vector<std::string> out;
    for (const auto& r : kRules)
        if (out.empty() || out.back() != r.category) out.push_back(r.category);
    return out;
}

std::vector<ServiceSite> read_osm_amenities(const std::filesystem::path& pbf, const std::string& category) {
    bool known = false;
    for (const auto& r : kRules) known = known || category == r.category;
    if (!known) {
        std::string list;
        for (const auto& c : osm_mapped_categories()) list += (list.empty() ? "" : ", ") + c;
        throw InputError({pbf.string(), "", "category"}, "no OpenStreetMap tags are mapped for category '" + category + "'",
                         "one of " + list);
    }
    Collector c;
    c.category = category;
    c.file = pbf.string();
    try {
        using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
        Index index;
        osmium::handler::NodeLocationsForWays<Index> locations(index);
        locations.ignore_errors();
        osmium::io::Reader reader(pbf.string(), osmium::osm_entity_bits::node | osmium::osm_entity_bits::way);
        osmium::apply(reader, locations, c);
        reader.close();
    } catch (const std::exception& e) {
        throw InputError({pbf.string(), "", ""}, std::string("cannot read OpenStreetMap data: ") + e.what());
    }
    return c.sites;
}

}  // namespace maillage
