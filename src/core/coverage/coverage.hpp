#pragma once
// Coverage of one category: for every demand unit, the time to the nearest site and which
// site — one multi-source search for all sites, then each unit evaluated on it.
#include <vector>

#include "coverage/demand.hpp"
#include "routing/travel_network.hpp"
#include "services/service.hpp"

namespace maillage {

struct UnitResult {
    Seconds time = Seconds::infinity();  // infinity: no site reachable
    int site = -1;                       // index into CoverageResult::sites
    Metres snap_distance;
};

struct CoverageResult {
    std::vector<const ServiceSite*> sites;     // sorted by id
    std::vector<Attachment> site_attachments;  // parallel to sites
    std::vector<UnitResult> units;             // parallel to the demand units
    Diagnostics diagnostics;                   // sites and demand beside cut-off roads
};

// Sites are attached to the network (a site too far from it is an InputError naming it).
// No site: every unit is unreachable (reported by callers, not an error).
CoverageResult compute_coverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                std::vector<const ServiceSite*> sites);

}  // namespace maillage
