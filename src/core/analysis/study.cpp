#include "analysis/study.hpp"

namespace maillage {

Provenance Study::provenance() const {
    Provenance p;
    for (const auto* part : {&territory.provenance, &services.set.provenance})
        for (const auto& in : part->inputs()) p.add_input(in.role, in.path);
    return p;
}

std::vector<std::string> Study::warnings() const {
    std::vector<std::string> out;
    for (const Diagnostics* d : {&territory.diagnostics, &services.set.diagnostics})
        for (const auto& w : d->warnings()) out.push_back(w.text());
    return out;
}

Study load_study(const StudySources& sources) {
    Study study{load_territory(sources.territory), {}, sources.services.margin_m};
    study.services = load_services(sources.services, study.territory);
    // A site file that gave no site (a header and no row) is most likely a mistake: say so
    // whatever the other sources hold.
    for (const auto& f : sources.services.site_files) {
        const std::string file = f.path.string();
        bool any = false;
        for (const auto& site : study.services.set.sites) any = any || site.source == file;
        if (!any) study.services.set.diagnostics.warn({file, "", ""}, "0 sites: the file holds no site (no data row)");
    }
    return study;
}

}  // namespace maillage
