#pragma once
// Sites of one analysis with where each joins the network. A site's SiteId is its position
// here: searches label nodes with it, results name sites with it.
#include <vector>

#include "routing/site_id.hpp"
#include "routing/travel_network.hpp"
#include "services/service.hpp"
#include "util/diagnostics.hpp"

namespace maillage {

class AttachedSites {
public:
    AttachedSites() = default;
    // Appends a site; returns its id.
    SiteId add(const ServiceSite* site, const Attachment& attachment);

    [[nodiscard]] std::size_t size() const { return sites_.size(); }
    [[nodiscard]] bool empty() const { return sites_.empty(); }
    [[nodiscard]] const ServiceSite& site(SiteId id) const { return *sites_.at(id.index()); }
    // nullptr for SiteId::none().
    [[nodiscard]] const ServiceSite* find(SiteId id) const { return id.valid() ? sites_.at(id.index()) : nullptr; }
    [[nodiscard]] const Attachment& attachment(SiteId id) const { return attachments_.at(id.index()); }
    [[nodiscard]] const std::vector<const ServiceSite*>& sites() const { return sites_; }
    [[nodiscard]] const std::vector<Attachment>& attachments() const { return attachments_; }

private:
    std::vector<const ServiceSite*> sites_;
    std::vector<Attachment> attachments_;
};

// Attaches each site in the given order (SiteId = position). A site too far from the
// network is an InputError naming it and its file; a site beside a cut-off road is a warning.
AttachedSites attach_sites(const TravelNetwork& network, const std::vector<const ServiceSite*>& sites,
                           Diagnostics& diagnostics);
Attachment attach_site(const TravelNetwork& network, const ServiceSite& site, Diagnostics& diagnostics);

}  // namespace maillage
