#include "coverage/equipment_rate.hpp"

namespace maillage {

RateTable equipment_rates(const Territory& t, const std::vector<const ServiceSite*>& sites,
                          const std::map<std::string, double>& target, const std::string& target_label) {
    RateTable out;
    bool all_places = !sites.empty();
    for (const auto* s : sites) all_places = all_places && s->places.has_value();
    out.capacity_measure = all_places ? "places" : "equipment count (places unknown)";
    out.denominator = target.empty() ? "total population (no age data given; target group '" + target_label + "' not isolated)"
                                     : "population " + target_label;
    auto target_of = [&](const Commune& c) {
        if (target.empty()) return static_cast<double>(c.population.value_or(0));
        auto it = target.find(c.code.str());
        return it == target.end() ? 0.0 : it->second;
    };
    std::map<std::string, RateRow> epci, terr;
    RateRow dep{"departement", "departement", "Département", 0, 0, 0, 0};
    for (const auto& a : t.epcis) epci[a.id] = {"epci", a.id, a.name, 0, 0, 0, 0};
    for (const auto& a : t.territories) terr[a.id] = {"territory", a.id, a.name, 0, 0, 0, 0};
    for (const auto& c : t.communes) {
        double p = target_of(c);
        dep.target_population += p;
        if (auto e = epci.find(c.epci_id); e != epci.end()) e->second.target_population += p;
        if (auto r = terr.find(c.territory_id); r != terr.end()) r->second.target_population += p;
    }
    for (const auto* s : sites) {
        double cap = all_places ? *s->places : s->count;
        auto idx = t.find_commune(s->commune_code);
        if (!idx) {  // cross-border sites are not part of a local equipment rate
            continue;
        }
        const Commune& c = t.communes[*idx];
        for (RateRow* row : {&dep, epci.count(c.epci_id) ? &epci[c.epci_id] : nullptr,
                             terr.count(c.territory_id) ? &terr[c.territory_id] : nullptr}) {
            if (!row) continue;
            row->capacity += cap;
            ++row->sites;
        }
    }
    auto finish = [](RateRow r) {
        r.per_1000 = r.target_population > 0 ? 1000.0 * r.capacity / r.target_population : 0.0;
        return r;
    };
    for (auto& [id, r] : epci) out.rows.push_back(finish(r));
    for (auto& [id, r] : terr) out.rows.push_back(finish(r));
    out.rows.push_back(finish(dep));
    return out;
}

}  // namespace maillage
