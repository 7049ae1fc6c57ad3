#pragma once
// Coverage kept up to date while sites are added, closed or moved (what-if): adding a
// site searches only where it beats the current nearest site; closing one searches again
// only where it was the nearest. Only the demand units reading a changed node are
// evaluated again. The result equals compute_coverage over the open sites, in id order,
// bit for bit (tested on random graphs and on Vienne).
#include <optional>
#include <vector>

#include "coverage/coverage.hpp"

namespace maillage {

class IncrementalCoverage {
public:
    // `demand_attachments` parallel to `demand` (see attach_demand); both must outlive this.
    IncrementalCoverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                        const std::vector<std::optional<Attachment>>& demand_attachments, AttachedSites sites,
                        Seconds limit = Seconds::infinity());

    // A new site (attached by the caller, see attach_site); its id is the next one.
    SiteId add(const ServiceSite* site, const Attachment& attachment);
    // Closes an open site (std::invalid_argument otherwise).
    void close(SiteId site);
    // Closes `site` and adds `moved` in its place (a new id).
    SiteId move(SiteId site, const ServiceSite* moved, const Attachment& attachment);

    [[nodiscard]] bool is_open(SiteId site) const { return search_.open.at(site.index()); }
    // Every site ever added, closed ones included (ids never change).
    [[nodiscard]] const AttachedSites& all_sites() const { return sites_; }
    // Per demand unit, against every site id (closed ones are never nearest).
    [[nodiscard]] const std::vector<UnitResult>& units() const { return units_; }
    // Demand units whose result changed in the last add / close / move.
    [[nodiscard]] const std::vector<std::size_t>& changed_units() const { return changed_units_; }

    // The open sites, in id order and renumbered, with unit results pointing at them: what
    // compute_coverage over those sites gives.
    [[nodiscard]] CoverageResult snapshot() const;

private:
    void refresh(const std::vector<NodeId>& changed_nodes, const Attachment& site);

    const TravelNetwork& network_;
    const std::vector<DemandUnit>& demand_;
    const std::vector<std::optional<Attachment>>& demand_attachments_;
    AttachedSites sites_;
    SiteSearch search_;
    std::vector<UnitResult> units_;
    // Which units read a node / an edge (see TravelNetwork::depends_on), CSR-like.
    std::vector<std::uint32_t> node_first_, node_units_;
    std::unordered_multimap<EdgeId, std::uint32_t> edge_units_;
    std::vector<std::size_t> changed_units_;
    std::vector<std::uint32_t> stamp_;  // per unit: last refresh that visited it
    std::uint32_t round_ = 0;
};

}  // namespace maillage
