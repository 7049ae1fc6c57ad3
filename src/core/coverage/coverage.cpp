#include "coverage/coverage.hpp"

#include <cmath>

#include "util/progress.hpp"

namespace maillage {

std::vector<std::optional<Attachment>> attach_demand(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                                     Diagnostics& diagnostics) {
    std::vector<std::optional<Attachment>> out(demand.size());
    std::size_t beside_cut_off = 0;
    double people_beside_cut_off = 0;
    Progress progress("attaching demand", demand.size());
    for (std::size_t i = 0; i < demand.size(); ++i) {
        out[i] = network.try_attach(demand[i].position);
        if (out[i] && out[i]->beside_cut_off_road()) {
            ++beside_cut_off;
            people_beside_cut_off += demand[i].population;
        }
        progress.advance();
    }
    if (beside_cut_off > 0)
        diagnostics.warn({}, std::to_string(beside_cut_off) + " demand points (" +
                                 std::to_string(static_cast<long long>(std::llround(people_beside_cut_off))) +
                                 " inhabitants) are nearer to a road cut off from the network than to the network: "
                                 "attached to the network further away");
    return out;
}

CoverageResult compute_coverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                const std::vector<std::optional<Attachment>>& demand_attachments, AttachedSites sites) {
    CoverageResult r;
    r.sites = std::move(sites);
    r.units.resize(demand.size());
    for (std::size_t i = 0; i < demand.size(); ++i)
        if (demand_attachments[i]) r.units[i].snap_distance = demand_attachments[i]->distance;
    if (r.sites.empty()) return r;
    SiteSearch search = network.toward(r.sites.attachments());
    for (std::size_t i = 0; i < demand.size(); ++i) {
        const auto& a = demand_attachments[i];
        if (!a) continue;
        Reach reach = network.evaluate(search, *a);
        r.units[i] = {reach.time, reach.site, a->distance};
    }
    return r;
}

CoverageResult compute_coverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                const std::vector<const ServiceSite*>& sites) {
    Diagnostics diagnostics;
    AttachedSites attached = attach_sites(network, sites, diagnostics);
    auto units = attach_demand(network, demand, diagnostics);
    CoverageResult r = compute_coverage(network, demand, units, std::move(attached));
    r.diagnostics = std::move(diagnostics);
    return r;
}

}  // namespace maillage
