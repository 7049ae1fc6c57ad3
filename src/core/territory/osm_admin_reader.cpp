#include "territory/osm_admin_reader.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <ogr_api.h>
#include <osmium/area/assembler.hpp>
#include <osmium/area/multipolygon_manager.hpp>
#include <osmium/handler/node_locations_for_ways.hpp>
#include <osmium/index/map/flex_mem.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/relations/relations_manager.hpp>
#include <osmium/tags/taglist.hpp>
#include <osmium/tags/tags_filter.hpp>
#include <osmium/visitor.hpp>

#include "geo/crs.hpp"
#include "territory/area_builder.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {
// osmium's WKB factory does not compile as C++20 (libosmium 2.19), so rings are copied here.
GeometryPtr to_multipolygon(const osmium::Area& area) {
    auto ring_of = [](const auto& osm_ring) {
        auto* ring = new OGRLinearRing();
        for (const auto& nr : osm_ring)
            if (nr.location().valid()) ring->addPoint(nr.location().lon(), nr.location().lat());
        ring->closeRings();
        return ring;
    };
    auto* mp = new OGRMultiPolygon();
    for (const auto& outer : area.outer_rings()) {
        OGRPolygon poly;
        poly.addRingDirectly(ring_of(outer));
        for (const auto& inner : area.inner_rings(outer)) poly.addRingDirectly(ring_of(inner));
        if (poly.getExteriorRing()->getNumPoints() >= 4) mp->addGeometry(&poly);
    }
    return GeometryPtr(mp);
}
}  // namespace

std::vector<Commune> read_osm_communes(const std::filesystem::path& pbf, int level, Diagnostics& diagnostics) {
    const std::string file = pbf.string();
    const std::string level_text = std::to_string(level);
    std::vector<Commune> out;
    try {
        osmium::area::Assembler::config_type config;
        osmium::TagsFilter filter{false};
        filter.add_rule(true, "boundary", "administrative");
        osmium::area::MultipolygonManager<osmium::area::Assembler> manager{config, filter};
        osmium::relations::read_relations(osmium::io::File{file}, manager);

        using Index = osmium::index::map::FlexMem<osmium::unsigned_object_id_type, osmium::Location>;
        Index index;
        osmium::handler::NodeLocationsForWays<Index> locations{index};
        locations.ignore_errors();
        CrsTransform ct = CrsTransform::wgs84_to_lambert93();
        osmium::io::Reader reader{file};
        osmium::apply(reader, locations, manager.handler([&](const osmium::memory::Buffer& areas) {
            for (const auto& area : areas.select<osmium::Area>()) {
                const char* lvl = area.tags().get_value_by_key("admin_level");
                if (!lvl || level_text != lvl || area.from_way()) continue;
                Commune c;
                const char* ref = area.tags().get_value_by_key("ref");
                const char* iso = area.tags().get_value_by_key("ISO3166-2");
                std::string code = ref ? ref : iso ? iso : "r" + std::to_string(area.orig_id());
                c.code = InseeCode::external(code);
                const char* name = area.tags().get_value_by_key("name");
                c.name = name ? name : code;
                if (const char* pop = area.tags().get_value_by_key("population")) {
                    char* end = nullptr;
                    long long v = std::strtoll(pop, &end, 10);
                    if (*end == '\0' && v >= 0 && v <= kMaxCommunePopulation) c.population = v;
                }
                c.geometry = to_multipolygon(area);
                if (c.geometry->IsEmpty()) {
                    diagnostics.warn({file, "relation " + std::to_string(area.orig_id()), "geometry"},
                                     "boundary of " + c.name + " could not be assembled: skipped");
                    continue;
                }
                c.geometry->transform(&ct.ogr());
                if (!c.geometry->IsValid()) c.geometry.reset(c.geometry->MakeValid());
                GeometryPtr inside(OGRGeometry::FromHandle(OGR_G_PointOnSurface(OGRGeometry::ToHandle(c.geometry.get()))));
                if (!inside || inside->IsEmpty()) continue;
                c.representative = {inside->toPoint()->getX(), inside->toPoint()->getY()};
                c.area_m2 = OGR_G_Area(OGRGeometry::ToHandle(c.geometry.get()));
                out.push_back(std::move(c));
            }
        }));
        reader.close();
    } catch (const std::exception& e) {
        throw InputError({file, "", ""}, std::string("cannot read OpenStreetMap boundaries: ") + e.what());
    }
    if (out.empty())
        throw InputError({file, "", "admin_level"}, "no administrative boundary of level " + level_text,
                         "relations boundary=administrative admin_level=" + level_text);
    std::sort(out.begin(), out.end(), [](const Commune& a, const Commune& b) { return a.code < b.code; });
    for (std::size_t i = 1; i < out.size(); ++i)
        if (out[i].code == out[i - 1].code)
            throw InputError({file, "code " + out[i].code.str(), "ref"}, "two boundaries share this code");
    return out;
}

}  // namespace maillage
