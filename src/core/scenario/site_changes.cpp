#include "scenario/site_changes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "geo/crs.hpp"
#include "util/errors.hpp"
#include "util/text_distance.hpp"

namespace maillage {

namespace {

[[noreturn]] void fail(const SourceMark& mark, const std::string& field, const std::string& message,
                       const std::string& expected = {}) {
    throw InputError({mark.str(), mark.path, field}, message, expected);
}

// " — did you mean 'X'?" for an id near one of the areas', else empty.
std::string suggestion(const std::string& id, const std::vector<Area>& areas) {
    std::vector<std::string_view> ids;
    for (const auto& a : areas) ids.push_back(a.id);
    std::string guess = nearest_word(id, ids);
    return guess.empty() ? "" : " — did you mean '" + guess + "'?";
}

std::string percent(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g %%", std::round(share * 1000.0) / 10.0);
    return buf;
}

// "86194 (Poitiers)" or "outside the study area".
std::string commune_label(const Territory& t, const std::string& code) {
    if (code.empty()) return "outside the study area";
    auto i = t.find_commune(code);
    return i ? code + " (" + t.communes[*i].name + ")" : code;
}

std::string describe_site(const Territory& t, const ServiceSite& s) {
    return s.id + " '" + s.name + "' in " + commune_label(t, s.commune_code);
}

// Up to `n` sites, one per line, then how many more.
std::string list_sites(const Territory& t, const std::vector<const ServiceSite*>& sites, std::size_t n = 10) {
    std::string out;
    for (std::size_t i = 0; i < sites.size() && i < n; ++i) out += "\n    " + describe_site(t, *sites[i]);
    if (sites.size() > n) out += "\n    ... and " + std::to_string(sites.size() - n) + " more";
    return out;
}

const std::vector<const ServiceSite*>& sites_of(const SitesByCategory& sites, const std::string& category) {
    static const std::vector<const ServiceSite*> none;
    auto it = sites.find(category);
    return it == sites.end() ? none : it->second;
}

// The commune a site is in: its code when known, else the commune containing its point.
std::optional<std::size_t> commune_of(const Territory& t, const ServiceSite& s) {
    if (!s.commune_code.empty()) return t.find_commune(s.commune_code);
    OGRPoint p(s.position.x, s.position.y);
    for (std::size_t i = 0; i < t.communes.size(); ++i)
        if (t.communes[i].geometry->Contains(&p)) return i;
    return std::nullopt;
}

}  // namespace

std::string require_category(const Study& ws, const std::string& key, const SourceMark& mark) {
    if (ws.services.catalogue.find(key)) return key;
    std::vector<std::string_view> keys;
    std::string all;
    for (const auto& c : ws.services.catalogue.categories()) {
        keys.push_back(c.key);
        all += (all.empty() ? "" : ", ") + c.key;
    }
    std::string guess = nearest_word(key, keys);
    fail(mark, "category", "unknown category '" + key + "'" + (guess.empty() ? "" : " — did you mean '" + guess + "'?"),
         "one of " + all + " (geodata/service_catalogue.csv)");
}

namespace {

// The one site a selector names, among the sites of its category (or of every category
// when it gives none).
const ServiceSite* select_site(const Study& ws, const SitesByCategory& sites, const SiteSelector& sel,
                               const SourceMark& mark, const char* change) {
    const Territory& t = ws.territory;
    std::vector<const ServiceSite*> pool;
    if (!sel.category.empty()) {
        require_category(ws, sel.category, mark);
        pool = sites_of(sites, sel.category);
    } else {
        for (const auto& [category, list] : sites) pool.insert(pool.end(), list.begin(), list.end());
    }
    const std::string where = sel.category.empty() ? "in any category" : "of category " + sel.category;
    std::optional<std::size_t> commune;
    if (!sel.commune.empty()) {
        commune = t.find_commune(sel.commune);
        if (!commune) fail(mark, "commune", "unknown commune code '" + sel.commune + "' in the study", "an INSEE code of the study");
    }
    auto in_commune = [&](const ServiceSite* s) { return !commune || commune_of(t, *s) == commune; };
    std::vector<const ServiceSite*> found;
    if (!sel.id.empty()) {
        for (const ServiceSite* s : pool)
            if (s->id == sel.id && in_commune(s)) found.push_back(s);
        if (found.empty()) {
            std::vector<std::string_view> ids;
            for (const ServiceSite* s : pool) ids.push_back(s->id);
            std::string guess = nearest_word(sel.id, ids);
            std::vector<const ServiceSite*> listed;
            for (const ServiceSite* s : pool)
                if (in_commune(s)) listed.push_back(s);
            fail(mark, change,
                 "no site with id '" + sel.id + "' " + where + (guess.empty() ? "" : " — did you mean '" + guess + "'?") +
                     "; sites" + (commune ? " in " + commune_label(t, sel.commune) : "") + ":" + list_sites(t, listed),
                 "the id of an existing site (see coverage_communes.geojson, nearest_site_id)");
        }
        if (found.size() > 1)
            fail(mark, change, "id '" + sel.id + "' names " + std::to_string(found.size()) + " sites " + where + ":" +
                                   list_sites(t, found),
                 "a category to tell them apart");
        return found.front();
    }
    const std::string name = ascii_lower(sel.name);
    for (const ServiceSite* s : pool)
        if (ascii_lower(s->name) == name && in_commune(s)) found.push_back(s);
    if (found.size() == 1) return found.front();
    if (found.size() > 1)
        fail(mark, change, "the name '" + sel.name + "' is ambiguous: " + std::to_string(found.size()) + " sites " + where +
                               ":" + list_sites(t, found),
             "`id` (or `commune`) to say which one");
    std::vector<const ServiceSite*> near;
    for (const ServiceSite* s : pool) {
        const std::string n = ascii_lower(s->name);
        if (in_commune(s) && (commune || n.find(name) != std::string::npos || name.find(n) != std::string::npos ||
                              edit_distance(n, name) <= std::max<std::size_t>(2, name.size() / 4)))
            near.push_back(s);
    }
    fail(mark, change,
         "no site named '" + sel.name + "' " + where + (commune ? " in " + commune_label(t, sel.commune) : "") +
             (near.empty() ? "" : "; the nearest names:" + list_sites(t, near)),
         "the exact name of an existing site, or its `id`");
}

}  // namespace

Point2 SiteFactory::place(const SitePlacement& at, const SourceMark& mark, const std::string& what, ServiceSite& site,
                          std::string& note) {
    const Territory& t = study_.territory;
    if (!at.commune.empty()) {
        auto i = t.find_commune(at.commune);
        if (!i) {
            std::vector<std::string_view> codes;
            for (const auto& c : t.communes) codes.push_back(c.code.str());
            std::string guess = nearest_word(at.commune, codes);
            fail(mark, "commune",
                 "unknown commune code '" + at.commune + "' for " + what +
                     (guess.empty() ? "" : " — did you mean '" + guess + "' (" + t.communes[*t.find_commune(guess)].name + ")?"),
                 "an INSEE code of a commune of the study");
        }
        const Commune& c = t.communes[*i];
        site.precision = LocationPrecision::commune;
        site.commune_code = c.code.str();
        site.in_study_area = true;
        note = "placed at the representative point of " + c.name + " (" + c.code.str() + "): its address is not given";
        return c.representative;
    }
    Point2 p;
    std::string field;
    if (at.lon) {
        p = lonlat_to_lambert93({*at.lon, *at.lat});
        field = "lon";
    } else {
        p = {*at.x, *at.y};
        field = "x";
    }
    OGRPoint point(p.x, p.y);
    double d = t.study_area->Distance(&point);
    const double margin = study_.margin_m;
    if (d > margin) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s is %.1f km outside the study area", what.c_str(), d / 1000.0);
        fail(mark, field, buf,
             "a position within " + std::to_string(static_cast<int>(margin / 1000)) +
                 " km of the study area (longitude and latitude swapped? x/y are Lambert-93 metres)");
    }
    site.precision = LocationPrecision::exact;
    site.in_study_area = d == 0.0;
    site.commune_code.clear();
    site.position = p;
    if (auto c = commune_of(t, site)) site.commune_code = t.communes[*c].code.str();
    note = site.commune_code.empty() ? "placed at the given coordinates, outside the study area (within the margin)"
                                     : "placed at the given coordinates, in " + commune_label(t, site.commune_code);
    return p;
}

const ServiceSite* SiteFactory::add(const SiteChange& change, const std::string& default_id, std::string& note) {
    ServiceSite s;
    s.category = require_category(study_, change.category, change.mark);
    s.id = change.id.empty() ? default_id : change.id;
    s.name = change.name.empty() ? study_.services.catalogue.find(s.category)->label_fr + " (" + s.id + ")" : change.name;
    s.places = change.places;
    s.fte = change.fte;
    s.source = change.mark.file;
    s.position = place(change.placement, change.mark, "site " + s.id, s, note);
    sites_.push_back(std::move(s));
    return &sites_.back();
}

const ServiceSite* SiteFactory::moved(const ServiceSite& site, const SitePlacement& to, const SourceMark& mark,
                                      std::string& note) {
    ServiceSite s = site;
    s.position = place(to, mark, "site " + site.id, s, note);
    s.source = mark.file;
    sites_.push_back(std::move(s));
    return &sites_.back();
}

const ServiceSite* SiteFactory::copy(const ServiceSite& site) {
    sites_.push_back(site);
    return &sites_.back();
}

SitesByCategory baseline_sites(const Study& ws, const ScenarioSpec& spec, SiteFactory& factory,
                               std::vector<AppliedChange>& additions) {
    SitesByCategory out;
    for (const auto& category : ws.services.catalogue.categories()) out[category.key] = ws.services.set.in_category(category.key);
    std::size_t n = 0;
    for (const auto& change : spec.baseline_additions) {
        AppliedChange a;
        a.spec = &change;
        std::string note;
        a.added = factory.add(change, "baseline-" + std::to_string(++n), note);
        a.category = a.added->category;
        for (const ServiceSite* s : out[a.category])
            if (s->id == a.added->id)
                fail(change.mark, "id", "a site with id '" + s->id + "' already exists in category " + a.category,
                     "a new id");
        a.description = "baseline site " + a.added->id + " '" + a.added->name + "': " + note;
        out[a.category].push_back(a.added);
        additions.push_back(std::move(a));
    }
    return out;
}

VariantSites apply_variant(const Study& ws, const SitesByCategory& baseline, const Variant& variant,
                           SiteFactory& factory) {
    const Territory& t = ws.territory;
    VariantSites v{baseline, {}, {}};
    std::size_t added = 0;
    auto remove = [&](const ServiceSite* s) {
        auto& list = v.sites[s->category];
        list.erase(std::find(list.begin(), list.end(), s));
    };
    auto replace = [&](const ServiceSite* old, const ServiceSite* next) {
        auto& list = v.sites[old->category];
        *std::find(list.begin(), list.end(), old) = next;
    };
    for (const SiteChange& change : variant.changes) {
        AppliedChange a;
        a.spec = &change;
        std::string note;
        switch (change.kind) {
            case SiteChange::Kind::add: {
                a.added = factory.add(change, variant.id + "-" + std::to_string(++added), note);
                a.category = a.added->category;
                for (const ServiceSite* s : v.sites[a.category])
                    if (s->id == a.added->id)
                        fail(change.mark, "id", "a site with id '" + s->id + "' already exists in category " + a.category,
                             "a new id");
                v.sites[a.category].push_back(a.added);
                a.description = "open " + a.added->id + " '" + a.added->name + "' (" + a.category + "): " + note;
                break;
            }
            case SiteChange::Kind::close: {
                a.removed = select_site(ws, v.sites, change.site, change.mark, "close");
                a.category = a.removed->category;
                remove(a.removed);
                a.description = "close " + describe_site(t, *a.removed) + " (" + a.category + ")";
                break;
            }
            case SiteChange::Kind::move: {
                a.removed = select_site(ws, v.sites, change.site, change.mark, "move");
                a.category = a.removed->category;
                a.added = factory.moved(*a.removed, change.placement, change.mark, note);
                remove(a.removed);
                v.sites[a.category].push_back(a.added);
                a.description = "move " + describe_site(t, *a.removed) + " (" + a.category + "): " + note;
                break;
            }
            case SiteChange::Kind::capacity: {
                const ServiceSite* old = select_site(ws, v.sites, change.site, change.mark, "capacity");
                a.category = old->category;
                ServiceSite next = *old;
                if (change.places) next.places = change.places;
                if (change.fte) next.fte = change.fte;
                const ServiceSite* made = factory.copy(next);
                replace(old, made);
                a.replaced.push_back({old, made});
                a.description = "capacity of " + describe_site(t, *old) + ":" +
                                (change.places ? " " + std::to_string(static_cast<long long>(*change.places)) + " places" : "") +
                                (change.fte ? " " + std::to_string(*change.fte).substr(0, 6) + " FTE" : "");
                break;
            }
            case SiteChange::Kind::depart: {
                a.category = require_category(ws, change.category, change.mark);
                // Which sites: all of the category, or those in the listed places.
                std::set<std::string> epcis(change.epcis.begin(), change.epcis.end());
                std::set<std::string> territories(change.territories.begin(), change.territories.end());
                std::set<std::size_t> communes;
                for (const auto& code : change.communes) {
                    auto i = t.find_commune(code);
                    if (!i) fail(change.mark, "communes", "unknown commune code '" + code + "'", "INSEE codes of the study");
                    communes.insert(*i);
                }
                for (const auto& id : epcis)
                    if (std::none_of(t.epcis.begin(), t.epcis.end(), [&](const Area& e) { return e.id == id; })) {
                        std::string all;
                        for (const auto& e : t.epcis) all += (all.empty() ? "" : ", ") + e.id + " " + e.name;
                        fail(change.mark, "epcis", "unknown EPCI '" + id + "'" + suggestion(id, t.epcis), "one of " + all);
                    }
                for (const auto& id : territories)
                    if (std::none_of(t.territories.begin(), t.territories.end(), [&](const Area& e) { return e.id == id; })) {
                        std::string all;
                        for (const auto& e : t.territories) all += (all.empty() ? "" : ", ") + e.id + " " + e.name;
                        fail(change.mark, "territories", "unknown territory '" + id + "'" + suggestion(id, t.territories),
                             "one of " + all);
                    }
                const bool everywhere = communes.empty() && epcis.empty() && territories.empty();
                std::vector<const ServiceSite*> selected;
                for (const ServiceSite* s : v.sites[a.category]) {
                    if (everywhere) {
                        selected.push_back(s);
                        continue;
                    }
                    auto c = commune_of(t, *s);
                    if (!c) continue;
                    const Commune& cm = t.communes[*c];
                    if (communes.count(*c) || epcis.count(cm.epci_id) || territories.count(cm.territory_id))
                        selected.push_back(s);
                }
                std::string where = everywhere ? "everywhere" : "in the selected";
                if (!everywhere) {
                    where = "in";
                    for (const auto& code : change.communes) where += " commune " + commune_label(t, code) + ",";
                    for (const auto& id : change.epcis) where += " EPCI " + id + ",";
                    for (const auto& id : change.territories) where += " territory " + id + ",";
                    where.pop_back();
                }
                std::size_t without_age = 0;
                for (const ServiceSite* s : selected) {
                    if (change.max_age) {
                        if (!s->practitioner_age) {
                            ++without_age;
                            continue;
                        }
                        if (*s->practitioner_age > *change.max_age) a.replaced.push_back({s, nullptr});
                        continue;
                    }
                    if (*change.share >= 1.0) {
                        a.replaced.push_back({s, nullptr});
                        continue;
                    }
                    ServiceSite next = *s;
                    if (next.fte) next.fte = *next.fte * (1.0 - *change.share);
                    else next.count = next.count * (1.0 - *change.share);
                    a.replaced.push_back({s, factory.copy(next)});
                }
                for (const auto& [old, next] : a.replaced) {
                    if (next) replace(old, next);
                    else remove(old);
                }
                if (change.max_age) {
                    a.assumption = "practitioners (" + a.category + ") older than " + std::to_string(*change.max_age) +
                                   " leave, by the ages of the site file, " + where;
                    if (without_age == selected.size() && !selected.empty())
                        v.warnings.push_back(change.mark.str() + ": no site of " + a.category +
                                             " has a practitioner age (the BPE has none): nobody leaves under max_age; "
                                             "give a share instead, or a site file with ages");
                    else if (without_age > 0)
                        v.warnings.push_back(change.mark.str() + ": " + std::to_string(without_age) + " sites of " +
                                             a.category + " have no practitioner age: they are kept");
                } else {
                    a.assumption = percent(*change.share) + " of the supply of " + a.category +
                                   " (FTE when known, else the BPE count) leaves " + where;
                }
                if (!change.assumption.empty()) a.assumption += " — " + change.assumption;
                a.description = "departures: " + a.assumption + " (" + std::to_string(a.replaced.size()) + " of " +
                                std::to_string(selected.size()) + " sites affected)";
                break;
            }
        }
        v.changes.push_back(std::move(a));
    }
    return v;
}

}  // namespace maillage
