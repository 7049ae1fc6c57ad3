#include "coverage/attached_sites.hpp"

#include "util/errors.hpp"

namespace maillage {

SiteId AttachedSites::add(const ServiceSite* site, const Attachment& attachment) {
    sites_.push_back(site);
    attachments_.push_back(attachment);
    return SiteId(static_cast<std::uint32_t>(sites_.size() - 1));
}

Attachment attach_site(const TravelNetwork& network, const ServiceSite& s, Diagnostics& diagnostics) {
    const std::string what = "site " + s.id + " (" + s.name + ")";
    try {
        Attachment a = network.attach(s.position, what);
        if (auto note = cut_off_note(a); !note.empty()) diagnostics.warn({s.source, what, ""}, note);
        return a;
    } catch (const InputError& e) {
        throw e.with_context({s.source, "", ""});
    }
}

AttachedSites attach_sites(const TravelNetwork& network, const std::vector<const ServiceSite*>& sites,
                           Diagnostics& diagnostics) {
    AttachedSites out;
    for (const ServiceSite* s : sites) out.add(s, attach_site(network, *s, diagnostics));
    return out;
}

}  // namespace maillage
