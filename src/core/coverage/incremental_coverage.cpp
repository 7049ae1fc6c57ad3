#include "coverage/incremental_coverage.hpp"

namespace maillage {

IncrementalCoverage::IncrementalCoverage(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                                         const std::vector<std::optional<Attachment>>& demand_attachments,
                                         AttachedSites sites, Seconds limit)
    : network_(network), demand_(demand), demand_attachments_(demand_attachments), sites_(std::move(sites)) {
    search_ = network_.toward(sites_.attachments(), limit);
    units_.resize(demand_.size());
    stamp_.assign(demand_.size(), 0);
    // Units by node, counted then filled (one pass each), so a changed node finds its
    // units without a search.
    const std::size_t n = network_.graph().node_count();
    node_first_.assign(n + 1, 0);
    std::vector<TravelNetwork::Dependencies> deps(demand_.size());
    for (std::size_t i = 0; i < demand_.size(); ++i) {
        if (!demand_attachments_[i]) continue;
        deps[i] = network_.depends_on(search_, *demand_attachments_[i]);
        for (NodeId node : deps[i].nodes)
            if (node != kNoNode) ++node_first_[node + 1];
        for (EdgeId e : deps[i].edges)
            if (e != kNoEdge) edge_units_.emplace(e, static_cast<std::uint32_t>(i));
    }
    for (std::size_t v = 0; v < n; ++v) node_first_[v + 1] += node_first_[v];
    node_units_.resize(node_first_[n]);
    std::vector<std::uint32_t> fill(node_first_.begin(), node_first_.end() - 1);
    for (std::size_t i = 0; i < demand_.size(); ++i)
        for (NodeId node : deps[i].nodes)
            if (node != kNoNode) node_units_[fill[node]++] = static_cast<std::uint32_t>(i);
    for (std::size_t i = 0; i < demand_.size(); ++i) {
        if (!demand_attachments_[i]) continue;
        Reach r = network_.evaluate(search_, *demand_attachments_[i]);
        units_[i] = {r.time, r.site, demand_attachments_[i]->distance};
    }
}

void IncrementalCoverage::refresh(const std::vector<NodeId>& changed_nodes, const Attachment& site) {
    changed_units_.clear();
    ++round_;
    auto visit = [&](std::uint32_t i) {
        if (stamp_[i] == round_) return;
        stamp_[i] = round_;
        const auto& a = demand_attachments_[i];
        Reach r = network_.evaluate(search_, *a);
        UnitResult next{r.time, r.site, a->distance};
        if (!(next == units_[i])) {
            units_[i] = next;
            changed_units_.push_back(i);
        }
    };
    for (NodeId v : changed_nodes)
        for (std::uint32_t k = node_first_[v]; k < node_first_[v + 1]; ++k) visit(node_units_[k]);
    // Units on the site's own edge or node read it directly (same edge, same node), not
    // only through node times.
    if (site.edge != kNoEdge) {
        for (EdgeId e : {site.edge, network_.graph().twin(site.edge)}) {
            if (e == kNoEdge) continue;
            auto [lo, hi] = edge_units_.equal_range(e);
            for (auto it = lo; it != hi; ++it) visit(it->second);
        }
    } else {
        for (std::uint32_t k = node_first_[site.node]; k < node_first_[site.node + 1]; ++k) visit(node_units_[k]);
    }
    std::sort(changed_units_.begin(), changed_units_.end());
}

SiteId IncrementalCoverage::add(const ServiceSite* site, const Attachment& attachment) {
    std::vector<NodeId> changed;
    SiteId id = network_.add_site(search_, attachment, changed);
    sites_.add(site, attachment);
    refresh(changed, attachment);
    return id;
}

void IncrementalCoverage::close(SiteId site) {
    std::vector<NodeId> changed;
    network_.close_site(search_, site, changed);
    refresh(changed, sites_.attachment(site));
}

SiteId IncrementalCoverage::move(SiteId site, const ServiceSite* moved, const Attachment& attachment) {
    close(site);
    auto closed_changes = changed_units_;
    SiteId id = add(moved, attachment);
    closed_changes.insert(closed_changes.end(), changed_units_.begin(), changed_units_.end());
    std::sort(closed_changes.begin(), closed_changes.end());
    closed_changes.erase(std::unique(closed_changes.begin(), closed_changes.end()), closed_changes.end());
    changed_units_ = std::move(closed_changes);
    return id;
}

CoverageResult IncrementalCoverage::snapshot() const {
    CoverageResult r;
    std::vector<SiteId> renumbered(sites_.size());
    for (std::uint32_t i = 0; i < sites_.size(); ++i)
        if (search_.open[i]) renumbered[i] = r.sites.add(sites_.sites()[i], sites_.attachments()[i]);
    r.units = units_;
    for (auto& u : r.units)
        if (u.site.valid()) u.site = renumbered[u.site.index()];
    return r;
}

}  // namespace maillage
