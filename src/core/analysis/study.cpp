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
    return study;
}

}  // namespace maillage
