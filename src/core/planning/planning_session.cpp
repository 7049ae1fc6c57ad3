#include "planning/planning_session.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <sstream>

#include <ogr_geometry.h>

#include "analysis/defaults.hpp"
#include "coverage/attached_sites.hpp"
#include "geo/crs.hpp"
#include "output/feature.hpp"
#include "output/geojson_writer.hpp"

namespace maillage {

// The state after a number of changes: the incremental coverage (the next change starts
// from a copy of it), the site ids in it, and the figures.
struct PlanningSession::Computed {
    std::optional<IncrementalCoverage> coverage;
    std::map<std::string, SiteId> ids;             // site id → SiteId in `coverage`
    SitesByCategory sites;                         // the category's open sites, as apply_variant keeps them
    CoverageResult result;                         // the open sites, renumbered (snapshot)
    CoverageTables tables;
    double beyond_gap = 0;                         // département
    std::map<std::string, double> beyond_by_area;  // EPCI and territory ids
    std::vector<std::string> descriptions;         // of the applied changes
};

namespace {

constexpr double kMaxThresholdMinutes = 24 * 60;

double round_cm(double v) { return std::round(v * 100.0) / 100.0; }

std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

// YAML double-quoted scalar.
std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string band_key_of(double minutes) {
    if (minutes == std::floor(minutes)) return std::to_string(static_cast<long long>(minutes));
    return number_text(minutes);
}

}  // namespace

PlanningSession::PlanningSession(const PlanningBase& base, const std::string& category,
                                 const std::vector<double>& thresholds, std::optional<double> gap_threshold)
    : base_(base), thresholds_given_(thresholds), gap_given_(gap_threshold) {
    const Workspace& ws = *base.workspace;
    if (!ws.catalogue().find(category))
        throw RequestRefused(RequestRefused::Reason::unknown_category, "unknown category '" + category + "'");
    for (std::size_t i = 0; i < thresholds.size(); ++i)
        if (!std::isfinite(thresholds[i]) || thresholds[i] <= 0 || thresholds[i] > kMaxThresholdMinutes ||
            (i > 0 && thresholds[i] <= thresholds[i - 1]))
            throw RequestRefused(RequestRefused::Reason::bad_request,
                                 "thresholds must be increasing minutes in (0, 1440]");
    if (gap_threshold && (!std::isfinite(*gap_threshold) || *gap_threshold <= 0 || *gap_threshold > kMaxThresholdMinutes))
        throw RequestRefused(RequestRefused::Reason::bad_request, "gap_threshold must be minutes in (0, 1440]");
    CoverageParameters p{category, thresholds, gap_threshold, false, {}};
    params_ = resolve(p, ws);
    classes_ = time_classes(params_.bands_minutes);
    Diagnostics diagnostics;
    static const std::vector<const ServiceSite*> none;  // a category without data: sites are only added
    auto it = base.baseline.find(category);
    AttachedSites attached = attach_sites(ws.network(), it == base.baseline.end() ? none : it->second, diagnostics);
    auto first = std::make_shared<Computed>();
    for (std::uint32_t i = 0; i < attached.size(); ++i) first->ids[attached.sites()[i]->id] = SiteId(i);
    first->sites[category] = it == base.baseline.end() ? none : it->second;
    first->coverage.emplace(ws.network(), ws.demand(), ws.demand_attachments(), std::move(attached));
    figures(*first);
    history_.push_back(first);
}

Variant PlanningSession::variant_spec(std::size_t applied, const std::vector<PlanningChange>& changes) const {
    Variant v;
    v.id = "session";
    v.title = "Session de la carte interactive";
    for (std::size_t i = 0; i < applied; ++i) {
        const auto& c = changes[i];
        SiteChange s;
        s.mark = {"request", static_cast<int>(i + 1), 0, "changes[" + std::to_string(i) + "]"};
        s.category = params_.category.key;
        switch (c.kind) {
            case PlanningChange::Kind::add:
                s.kind = SiteChange::Kind::add;
                s.id = c.site_id;
                s.name = c.name;
                s.placement.x = c.at->x;
                s.placement.y = c.at->y;
                break;
            case PlanningChange::Kind::close:
                s.kind = SiteChange::Kind::close;
                s.site = {params_.category.key, c.site_id, "", ""};
                break;
            case PlanningChange::Kind::move:
                s.kind = SiteChange::Kind::move;
                s.site = {params_.category.key, c.site_id, "", ""};
                s.placement.x = c.at->x;
                s.placement.y = c.at->y;
                break;
        }
        v.changes.push_back(std::move(s));
    }
    return v;
}

// Figures of a state: the snapshot of its coverage (open sites renumbered, as the scenario
// runner's variants), the tables and the population beyond the gap threshold per area.
void PlanningSession::figures(Computed& c) const {
    const Workspace& ws = *base_.workspace;
    c.result = c.coverage->snapshot();
    c.tables = aggregate_coverage(ws.territory(), ws.demand(), c.result, params_.bands_minutes);
    const double gap = params_.gap_threshold_minutes;
    const Territory& t = ws.territory();
    c.beyond_gap = 0;
    c.beyond_by_area.clear();
    for (std::size_t u = 0; u < ws.demand().size(); ++u) {
        const auto& unit = ws.demand()[u];
        const auto& r = c.result.units[u];
        if (r.reached() && r.time.value() / 60.0 <= gap) continue;
        c.beyond_gap += unit.population;
        if (auto i = t.find_commune(unit.commune_code)) {
            const Commune& commune = t.communes[*i];
            if (!commune.epci_id.empty()) c.beyond_by_area["e:" + commune.epci_id] += unit.population;
            if (!commune.territory_id.empty()) c.beyond_by_area["t:" + commune.territory_id] += unit.population;
        }
    }
}

// The scenario runner's way: the new change is checked and placed by apply_variant against
// the sites the earlier changes left (what apply_variant does with the whole list, one change
// at a time), then applied to a copy of the previous state's incremental coverage.
std::shared_ptr<PlanningSession::Computed> PlanningSession::next_state(const Computed& previous,
                                                                       const std::vector<PlanningChange>& changes) {
    const Workspace& ws = *base_.workspace;
    SiteFactory factory(ws.study());
    Variant variant = variant_spec(changes.size(), changes);
    variant.changes.erase(variant.changes.begin(), variant.changes.end() - 1);
    VariantSites vs = apply_variant(ws.study(), previous.sites, variant, factory);
    const AppliedChange& change = vs.changes.back();
    auto next = std::make_shared<Computed>();
    next->coverage.emplace(*previous.coverage);
    next->ids = previous.ids;
    next->descriptions = previous.descriptions;
    Diagnostics diagnostics;
    // The factory goes with this call: the site put in is kept by the session.
    const ServiceSite* added = nullptr;
    if (change.added) {
        site_store_.push_back(*change.added);
        added = &site_store_.back();
        for (auto& s : vs.sites[change.category])
            if (s == change.added) s = added;
    }
    next->sites = std::move(vs.sites);
    auto& inc = *next->coverage;
    if (change.removed && added) {
        const SiteId old = next->ids.at(change.removed->id);
        next->ids.erase(change.removed->id);
        next->ids[added->id] = inc.move(old, added, attach_site(ws.network(), *added, diagnostics));
    } else if (change.removed) {
        inc.close(next->ids.at(change.removed->id));
        next->ids.erase(change.removed->id);
    } else if (added) {
        next->ids[added->id] = inc.add(added, attach_site(ws.network(), *added, diagnostics));
    }
    next->descriptions.push_back(change.description);
    figures(*next);
    return next;
}

void PlanningSession::apply(PlanningChange change) {
    const auto start = std::chrono::steady_clock::now();
    const Workspace& ws = *base_.workspace;
    if (change.at) {
        if (!std::isfinite(change.at->x) || !std::isfinite(change.at->y))
            throw RequestRefused(RequestRefused::Reason::bad_request, "x and y must be finite Lambert-93 metres");
        change.at = Point2{round_cm(change.at->x), round_cm(change.at->y)};
        OGRPoint p(change.at->x, change.at->y);
        const double d = ws.territory().study_area->Distance(&p);
        if (d > ws.study().margin_m) {
            char buf[128];
            std::snprintf(buf, sizeof buf, "the point is %.1f km outside the study area: nothing changed", d / 1000.0);
            throw RequestRefused(RequestRefused::Reason::outside, buf);
        }
    } else if (change.kind != PlanningChange::Kind::close) {
        throw RequestRefused(RequestRefused::Reason::bad_request, "x and y are required to add or move a site");
    }
    if (change.kind != PlanningChange::Kind::add) {
        bool open = false;
        for (const ServiceSite* s : current().result.sites.sites()) open = open || s->id == change.site_id;
        if (!open)
            throw RequestRefused(RequestRefused::Reason::not_found,
                                 "no open site '" + change.site_id + "' in category " + params_.category.key);
    } else {
        change.site_id = "session-" + std::to_string(next_site_number_);
        // The name is part of the change, so the export names the site as the map did.
        if (change.name.empty()) change.name = params_.category.label_fr + " (ajout " + change.site_id + ")";
    }
    std::vector<PlanningChange> next(changes_.begin(), changes_.begin() + static_cast<std::ptrdiff_t>(applied_));
    next.push_back(change);
    std::shared_ptr<Computed> computed;
    try {
        computed = next_state(current(), next);
    } catch (const InputError& e) {
        throw RequestRefused(RequestRefused::Reason::bad_request, e.message());
    }
    // Nothing above changed the session (but for a site kept in the store): from here on it cannot fail.
    if (change.kind == PlanningChange::Kind::add) ++next_site_number_;
    const double before = current().beyond_gap;
    changes_ = std::move(next);
    history_.resize(applied_ + 1);
    history_.push_back(std::move(computed));
    applied_ = changes_.size();
    last_ = LastChange{current().descriptions.back(), current().beyond_gap - before,
                       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()};
}

void PlanningSession::undo() {
    if (applied_ == 0) throw RequestRefused(RequestRefused::Reason::bad_request, "nothing to undo");
    const auto start = std::chrono::steady_clock::now();
    const double before = current().beyond_gap;
    --applied_;
    last_ = LastChange{"undo", current().beyond_gap - before,
                       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()};
}

void PlanningSession::redo() {
    if (applied_ == changes_.size()) throw RequestRefused(RequestRefused::Reason::bad_request, "nothing to redo");
    const auto start = std::chrono::steady_clock::now();
    const double before = current().beyond_gap;
    ++applied_;
    last_ = LastChange{"redo", current().beyond_gap - before,
                       std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count()};
}

nlohmann::ordered_json PlanningSession::area_json(const AreaCoverage& now, const AreaCoverage& before, double beyond_now,
                                                  double beyond_before) const {
    auto within = [&](const AreaCoverage& a) {
        nlohmann::ordered_json w = nlohmann::ordered_json::object();
        for (std::size_t b = 0; b < params_.bands_minutes.size(); ++b)
            w[band_key_of(params_.bands_minutes[b])] = round_to(a.within_band[b], 1);
        return w;
    };
    nlohmann::ordered_json j;
    j["id"] = now.id;
    j["name"] = now.name;
    j["population"] = round_to(now.population, 1);
    j["within_minutes"] = within(now);
    j["beyond_gap"] = round_to(beyond_now, 1);
    j["mean_minutes"] = round_to(now.mean_minutes, 1);
    j["baseline"] = {{"within_minutes", within(before)},
                     {"beyond_gap", round_to(beyond_before, 1)},
                     {"mean_minutes", round_to(before.mean_minutes, 1)}};
    return j;
}

nlohmann::ordered_json PlanningSession::state() const {
    const Workspace& ws = *base_.workspace;
    nlohmann::ordered_json j;
    j["category"] = params_.category.key;
    j["category_label"] = params_.category.label_fr;
    j["bands_minutes"] = params_.bands_minutes;
    j["gap_threshold_minutes"] = params_.gap_threshold_minutes;
    nlohmann::ordered_json classes = nlohmann::ordered_json::array();
    for (const auto& c : classes_)
        classes.push_back({{"label", c.label},
                           {"lower", std::isfinite(c.lower_minutes) ? nlohmann::ordered_json(c.lower_minutes) : nullptr},
                           {"upper", std::isfinite(c.upper_minutes) ? nlohmann::ordered_json(c.upper_minutes) : nullptr},
                           {"colour", c.colour},
                           {"unreachable", c.unreachable}});
    j["classes"] = classes;

    // Per commune, in the study's order (the order of /api/study).
    const auto& communes = current().tables.communes;
    nlohmann::ordered_json minutes = nlohmann::ordered_json::array(), klass = nlohmann::ordered_json::array(),
                           nearest = nlohmann::ordered_json::array();
    std::map<std::string, const AreaCoverage*> by_code;
    for (const auto& c : communes) by_code[c.id] = &c;
    for (const auto& commune : ws.territory().communes) {
        auto it = by_code.find(commune.code.str());
        const AreaCoverage* a = it == by_code.end() ? nullptr : it->second;
        if (!a || !a->nearest_site.valid()) {
            minutes.push_back(nullptr);
            klass.push_back(classes_.size() - 1);
            nearest.push_back(nullptr);
            continue;
        }
        minutes.push_back(round_to(a->mean_minutes, 1));
        klass.push_back(time_class_index(classes_, round_to(a->mean_minutes, 1), true));
        const ServiceSite* s = current().result.sites.find(a->nearest_site);
        nearest.push_back(s ? nlohmann::ordered_json(s->id) : nlohmann::ordered_json(nullptr));
    }
    j["communes"] = {{"minutes", minutes}, {"class", klass}, {"nearest_site", nearest}};

    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    for (const ServiceSite* s : current().result.sites.sites())
        sites.push_back({{"id", s->id},
                         {"name", s->name},
                         {"x", round_to(s->position.x, 2)},
                         {"y", round_to(s->position.y, 2)},
                         {"added", s->id.rfind("session-", 0) == 0}});
    j["sites"] = sites;

    nlohmann::ordered_json figures;
    figures["departement"] = area_json(current().tables.departement, history_.front()->tables.departement, current().beyond_gap,
                                       history_.front()->beyond_gap);
    auto areas = [&](const std::vector<AreaCoverage>& now, const std::vector<AreaCoverage>& before, const char* prefix) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < now.size() && i < before.size(); ++i) {
            const std::string k = std::string(prefix) + now[i].id;
            auto get = [&](const Computed& c) {
                auto it = c.beyond_by_area.find(k);
                return it == c.beyond_by_area.end() ? 0.0 : it->second;
            };
            list.push_back(area_json(now[i], before[i], get(current()), get(*history_.front())));
        }
        return list;
    };
    figures["territories"] = areas(current().tables.territories, history_.front()->tables.territories, "t:");
    figures["epcis"] = areas(current().tables.epcis, history_.front()->tables.epcis, "e:");
    j["figures"] = figures;

    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < applied_; ++i) {
        const char* kind = changes_[i].kind == PlanningChange::Kind::add     ? "add"
                           : changes_[i].kind == PlanningChange::Kind::close ? "close"
                                                                              : "move";
        changes.push_back({{"kind", kind},
                           {"site_id", changes_[i].site_id},
                           {"description", i < current().descriptions.size() ? current().descriptions[i] : ""}});
    }
    j["changes"] = changes;
    j["can_undo"] = applied_ > 0;
    j["can_redo"] = applied_ < changes_.size();
    if (last_)
        j["last_change"] = {{"description", last_->description},
                            {"beyond_gap_delta", round_to(last_->beyond_gap_delta, 1)},
                            {"server_ms", round_to(last_->server_ms, 3)}};
    else
        j["last_change"] = nullptr;
    return j;
}

std::string PlanningSession::export_yaml() const {
    std::ostringstream os;
    os << "# Exported from `maillage serve`: one variant holding the session's changes in order.\n"
          "# `maillage run` on this file gives the figures the map showed.\n";
    if (!base_.scenario_file.empty()) os << "extends: " << quoted(base_.scenario_file) << "\n";
    os << "title: " << quoted(base_.title.empty() ? "Carte interactive : " + params_.category.label_fr : base_.title) << "\n";
    os << "analyses:\n  coverage:\n    - {category: " << params_.category.key;
    if (!thresholds_given_.empty()) {
        os << ", thresholds: [";
        for (std::size_t i = 0; i < thresholds_given_.size(); ++i) os << (i ? ", " : "") << number_text(thresholds_given_[i]);
        os << "]";
    }
    if (gap_given_) os << ", gap_threshold: " << number_text(*gap_given_);
    os << ", catchments: false}\n";
    os << "variants:\n  - id: session\n    title: \"Session de la carte interactive\"\n";
    if (applied_ == 0) {
        os << "    changes: []\n";
        return os.str();
    }
    os << "    changes:\n";
    for (std::size_t i = 0; i < applied_; ++i) {
        const auto& c = changes_[i];
        switch (c.kind) {
            case PlanningChange::Kind::add:
                os << "      - add: {category: " << params_.category.key << ", id: " << quoted(c.site_id)
                   << (c.name.empty() ? "" : ", name: " + quoted(c.name)) << ", x: " << number_text(c.at->x)
                   << ", y: " << number_text(c.at->y) << "}\n";
                break;
            case PlanningChange::Kind::close:
                os << "      - close: {category: " << params_.category.key << ", id: " << quoted(c.site_id) << "}\n";
                break;
            case PlanningChange::Kind::move:
                os << "      - move: {category: " << params_.category.key << ", id: " << quoted(c.site_id)
                   << ", to: {x: " << number_text(c.at->x) << ", y: " << number_text(c.at->y) << "}}\n";
                break;
        }
    }
    return os.str();
}

std::string PlanningSession::export_geojson() const {
    const Workspace& ws = *base_.workspace;
    const auto st = state();
    FeatureLayer layer{"session", {}};
    std::size_t i = 0;
    for (const auto& commune : ws.territory().communes) {
        Feature f;
        f.geometry.reset(commune.geometry->clone());
        const auto& m = st["communes"]["minutes"][i];
        const std::size_t k = st["communes"]["class"][i].get<std::size_t>();
        f.properties = {{"layer", "commune"},
                        {"code", commune.code.str()},
                        {"nom", commune.name},
                        {"population", commune.population ? nlohmann::ordered_json(*commune.population) : nullptr},
                        {"minutes", m},
                        {"class", classes_[k].label}};
        layer.features.push_back(std::move(f));
        ++i;
    }
    for (const ServiceSite* s : current().result.sites.sites()) {
        Feature f;
        f.geometry = GeometryPtr(new OGRPoint(s->position.x, s->position.y));
        f.properties = {{"layer", "site"}, {"site_id", s->id}, {"name", s->name}, {"added", s->id.rfind("session-", 0) == 0}};
        layer.features.push_back(std::move(f));
    }
    nlohmann::json metadata = ws.provenance().to_json();
    std::string out = "{\"type\":\"FeatureCollection\",\"name\":\"session\",\"features\":[";
    for (std::size_t n = 0; n < layer.features.size(); ++n) {
        const auto& f = layer.features[n];
        out += (n ? ",{" : "{");
        out += "\"type\":\"Feature\",\"properties\":" + f.properties.dump() + ",\"geometry\":" +
               geometry_to_geojson(*f.geometry) + "}";
    }
    out += "],\"metadata\":" + metadata.dump() + "}\n";
    return out;
}

}  // namespace maillage
