#include "territory/area_builder.hpp"

#include <algorithm>

namespace maillage {

namespace {
GeometryPtr union_of(const std::vector<const Commune*>& members) {
    OGRMultiPolygon all;
    for (const Commune* c : members) {
        const OGRGeometry* g = c->geometry.get();
        if (wkbFlatten(g->getGeometryType()) == wkbPolygon)
            all.addGeometry(g);
        else
            for (const auto* part : *g->toMultiPolygon()) all.addGeometry(part);
    }
    // Cascaded union: O(n log n) instead of folding polygons one by one.
    return GeometryPtr(all.UnionCascaded());
}
}  // namespace

std::vector<Area> dissolve_areas(const std::vector<Commune>& communes,
                                 const std::function<std::string(const Commune&)>& key,
                                 const std::map<std::string, std::string>& names) {
    std::map<std::string, std::vector<const Commune*>> groups;
    for (const auto& c : communes) {
        std::string k = key(c);
        if (!k.empty()) groups[k].push_back(&c);
    }
    std::vector<Area> out;
    for (auto& [id, members] : groups) {
        Area a;
        a.id = id;
        auto n = names.find(id);
        a.name = n != names.end() ? n->second : id;
        for (const Commune* c : members) {
            a.communes.push_back(c->code);
            // Populations are bounded where they are read (kMaxCommunePopulation); clamped here
            // too, so that no input can overflow the sum.
            a.population += std::clamp<long long>(c->population.value_or(0), 0, kMaxCommunePopulation);
        }
        a.geometry = union_of(members);
        out.push_back(std::move(a));
    }
    return out;
}

GeometryPtr union_of_communes(const std::vector<Commune>& communes) {
    std::vector<const Commune*> all;
    for (const auto& c : communes) all.push_back(&c);
    return union_of(all);
}

}  // namespace maillage
