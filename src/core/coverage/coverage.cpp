#include "coverage/coverage.hpp"

#include <algorithm>
#include <cmath>

#include "util/errors.hpp"
#include "util/progress.hpp"

namespace maillage {

CoverageResult compute_coverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                std::vector<const ServiceSite*> sites) {
    CoverageResult r;
    std::sort(sites.begin(), sites.end(), [](const ServiceSite* a, const ServiceSite* b) { return a->id < b->id; });
    r.sites = sites;
    for (const ServiceSite* s : sites) {
        const std::string what = "site " + s->id + " (" + s->name + ")";
        try {
            r.site_attachments.push_back(network.attach(s->position, what));
            if (auto note = cut_off_note(r.site_attachments.back()); !note.empty()) r.diagnostics.warn({s->source, what, ""}, note);
        } catch (const InputError& e) {
            throw e.with_context({s->source, "", ""});
        }
    }
    r.units.resize(demand.size());
    if (sites.empty()) return r;
    SiteSearch search = network.toward(r.site_attachments);
    Progress progress("coverage", demand.size());
    std::size_t beside_cut_off = 0;
    double people_beside_cut_off = 0;
    for (std::size_t i = 0; i < demand.size(); ++i) {
        auto a = network.try_attach(demand[i].position);
        if (!a) continue;
        if (a->beside_cut_off_road()) {
            ++beside_cut_off;
            people_beside_cut_off += demand[i].population;
        }
        Reach reach = network.evaluate(search, *a);
        r.units[i] = {reach.time, reach.reached() ? static_cast<int>(reach.label) : -1, a->distance};
        progress.advance();
    }
    if (beside_cut_off > 0)
        r.diagnostics.warn({}, std::to_string(beside_cut_off) + " demand points (" +
                                   std::to_string(static_cast<long long>(std::llround(people_beside_cut_off))) +
                                   " inhabitants) are nearer to a road cut off from the network than to the network: "
                                   "attached to the network further away");
    return r;
}

}  // namespace maillage
