#include "coverage/aggregation.hpp"

#include <algorithm>
#include <map>

namespace maillage {

namespace {

struct Accumulator {
    AreaCoverage area;
    double weighted_minutes = 0, reachable = 0;

    void add(double pop, const UnitResult& u, const std::vector<double>& bands) {
        area.population += pop;
        if (area.within_band.empty()) area.within_band.assign(bands.size(), 0.0);
        if (!u.reached()) {
            area.unreachable += pop;
            area.beyond_last_band += pop;
            return;
        }
        double m = to_minutes(u.time);
        for (std::size_t b = 0; b < bands.size(); ++b)
            if (m <= bands[b]) area.within_band[b] += pop;
        if (m > bands.back()) area.beyond_last_band += pop;
        weighted_minutes += pop * m;
        reachable += pop;
        if (pop > 0) area.max_minutes = std::max(area.max_minutes, m);
    }
    AreaCoverage finish(const std::vector<double>& bands) {
        if (area.within_band.empty()) area.within_band.assign(bands.size(), 0.0);
        area.mean_minutes = reachable > 0 ? weighted_minutes / reachable : 0.0;
        return area;
    }
};

}  // namespace

CoverageTables aggregate_coverage(const Territory& territory, const std::vector<DemandUnit>& demand,
                                  const CoverageResult& result, const std::vector<double>& bands) {
    CoverageTables t;
    t.bands_minutes = bands;
    std::vector<Accumulator> communes(territory.communes.size());
    std::map<std::string, Accumulator> epcis, territories;
    Accumulator dep;
    dep.area = {"departement", "departement", "Département", 0, {}, 0, 0, 0, 0, SiteId::none(), 0};
    for (std::size_t i = 0; i < territory.communes.size(); ++i) {
        const Commune& c = territory.communes[i];
        communes[i].area = {"commune", c.code.str(), c.name, 0, {}, 0, 0, 0, 0, SiteId::none(), 0};
    }
    for (const auto& a : territory.epcis) epcis[a.id].area = {"epci", a.id, a.name, 0, {}, 0, 0, 0, 0, SiteId::none(), 0};
    for (const auto& a : territory.territories) territories[a.id].area = {"territory", a.id, a.name, 0, {}, 0, 0, 0, 0, SiteId::none(), 0};
    for (std::size_t u = 0; u < demand.size(); ++u) {
        auto idx = territory.find_commune(demand[u].commune_code);
        if (!idx) continue;
        const UnitResult& r = result.units[u];
        double pop = demand[u].population;
        auto& ca = communes[*idx];
        ca.add(pop, r, bands);
        if (r.reached() && (!ca.area.nearest_site.valid() || to_minutes(r.time) < ca.area.nearest_minutes)) {
            ca.area.nearest_site = r.site;
            ca.area.nearest_minutes = to_minutes(r.time);
        }
        const Commune& c = territory.communes[*idx];
        if (auto e = epcis.find(c.epci_id); e != epcis.end()) e->second.add(pop, r, bands);
        if (auto tt = territories.find(c.territory_id); tt != territories.end()) tt->second.add(pop, r, bands);
        dep.add(pop, r, bands);
    }
    for (auto& c : communes) t.communes.push_back(c.finish(bands));
    for (auto& [id, e] : epcis) t.epcis.push_back(e.finish(bands));
    for (auto& [id, e] : territories) t.territories.push_back(e.finish(bands));
    t.departement = dep.finish(bands);
    return t;
}

}  // namespace maillage
