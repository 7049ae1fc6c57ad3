#pragma once
// Coverage of one category: for every demand unit, the time to the nearest site and which
// site — one multi-source search for all sites, then each unit evaluated on it.
#include <vector>

#include "coverage/attached_sites.hpp"
#include "coverage/demand.hpp"
#include "routing/travel_network.hpp"
#include "services/service.hpp"

namespace maillage {

struct UnitResult {
    Seconds time = Seconds::infinity();  // infinity: no site reachable
    SiteId site;                         // none: no site reachable
    Metres snap_distance;
    [[nodiscard]] bool reached() const { return site.valid(); }
    bool operator==(const UnitResult&) const = default;
};

struct CoverageResult {
    AttachedSites sites;                       // SiteId order; ties between sites go to the smaller id
    std::vector<UnitResult> units;             // parallel to the demand units
    Diagnostics diagnostics;                   // sites and demand beside cut-off roads
};

// Where each demand unit joins the network (nullopt: empty network), with the warning for
// units beside cut-off roads added to `diagnostics`.
std::vector<std::optional<Attachment>> attach_demand(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                                     Diagnostics& diagnostics);

// No site: every unit is unreachable (reported by callers, not an error).
CoverageResult compute_coverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                const std::vector<std::optional<Attachment>>& demand_attachments, AttachedSites sites);
// Attaches the sites (in the given order) and the demand, then as above.
CoverageResult compute_coverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                const std::vector<const ServiceSite*>& sites);

}  // namespace maillage
