#include "coverage/coverage.hpp"

#include <algorithm>

#include "util/errors.hpp"
#include "util/progress.hpp"

namespace maillage {

CoverageResult compute_coverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                std::vector<const ServiceSite*> sites) {
    CoverageResult r;
    std::sort(sites.begin(), sites.end(), [](const ServiceSite* a, const ServiceSite* b) { return a->id < b->id; });
    r.sites = sites;
    for (const ServiceSite* s : sites) {
        try {
            r.site_attachments.push_back(network.attach(s->position, "site " + s->id + " (" + s->name + ")"));
        } catch (const InputError& e) {
            throw e.with_context({s->source, "", ""});
        }
    }
    r.units.resize(demand.size());
    if (sites.empty()) return r;
    SiteSearch search = network.toward(r.site_attachments);
    Progress progress("coverage", demand.size());
    for (std::size_t i = 0; i < demand.size(); ++i) {
        auto a = network.try_attach(demand[i].position);
        if (!a) continue;
        Reach reach = network.evaluate(search, *a);
        r.units[i] = {reach.time, reach.reached() ? static_cast<int>(reach.label) : -1, a->distance};
        progress.advance();
    }
    return r;
}

}  // namespace maillage
