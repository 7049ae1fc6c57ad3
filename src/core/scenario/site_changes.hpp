#pragma once
// A variant's changes applied to the baseline sites: which site a `close` names, where an
// `add` goes, what a `depart` leaves. Every refusal is an InputError at the change's
// file:line:column, listing the candidates when a site is unknown or ambiguous.
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "analysis/study.hpp"
#include "scenario/scenario_spec.hpp"

namespace maillage {

// The sites of each category, in SiteId order: the baseline's, then those added.
using SitesByCategory = std::map<std::string, std::vector<const ServiceSite*>>;

// One change as applied, for the comparison and the incremental coverage.
struct AppliedChange {
    const SiteChange* spec = nullptr;
    std::string category;
    std::string description;                   // plain words: what was done, and how it was placed
    const ServiceSite* removed = nullptr;      // close, move: the site taken away
    const ServiceSite* added = nullptr;        // add, move: the site put in
    // capacity, depart: sites whose capacity or supply changed (old, new); new is null when
    // nothing is left (every practitioner leaves: the site closes).
    std::vector<std::pair<const ServiceSite*, const ServiceSite*>> replaced;
    std::string assumption;                    // depart: stated in every output
};

struct VariantSites {
    SitesByCategory sites;
    std::vector<AppliedChange> changes;        // in the variant's order
    std::vector<std::string> warnings;
};

// Creates the sites the scenario adds and keeps them alive (stable addresses).
class SiteFactory {
public:
    explicit SiteFactory(const Study& study) : study_(study) {}
    // A new site from an `add` (category checked against the catalogue, position placed
    // and checked against the study area and its margin).
    const ServiceSite* add(const SiteChange& change, const std::string& default_id, std::string& placement_note);
    // A copy of `site` at another place (move) or with other capacity / supply.
    const ServiceSite* moved(const ServiceSite& site, const SitePlacement& to, const SourceMark& mark,
                             std::string& placement_note);
    const ServiceSite* copy(const ServiceSite& site);

private:
    Point2 place(const SitePlacement& placement, const SourceMark& mark, const std::string& what, ServiceSite& site,
                 std::string& note);
    const Study& study_;
    std::deque<ServiceSite> sites_;
};

// `key` if the catalogue has it; else an InputError at `mark` with the nearest key and the list.
std::string require_category(const Study& study, const std::string& key, const SourceMark& mark);

// The baseline: the study's sites of each category, then the scenario's `sites.add`.
SitesByCategory baseline_sites(const Study& study, const ScenarioSpec& spec, SiteFactory& factory,
                               std::vector<AppliedChange>& additions);

// Applies a variant to the baseline.
VariantSites apply_variant(const Study& study, const SitesByCategory& baseline, const Variant& variant,
                           SiteFactory& factory);

}  // namespace maillage
