#include "scenario/optimise_runner.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/access_analysis.hpp"
#include "coverage/attached_sites.hpp"
#include "coverage/coverage.hpp"
#include "coverage/e2sfca.hpp"
#include "optimise/exact_solver.hpp"
#include "output/csv_writer.hpp"
#include "output/feature.hpp"
#include "output/geojson_writer.hpp"
#include "services/site_reader.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {

using optimise::LocationProblem;
using optimise::Objective;
using optimise::Reachable;
using optimise::Solution;
using optimise::SolveOptions;

[[noreturn]] void fail(const OptimiseSpec& spec, const std::string& field, const std::string& message,
                       const std::string& expected = {}) {
    throw InputError({spec.mark.str(), "optimise " + spec.id, field}, message, expected);
}

Objective objective_of(const std::string& problem) {
    if (problem == "lscp") return Objective::lscp;
    if (problem == "itinerant") return Objective::mclp;  // the stops: an MCLP on the people left out
    if (problem == "pmedian") return Objective::pmedian;
    if (problem == "cmclp") return Objective::cmclp;
    return Objective::mclp;
}

// The communes a candidate restriction keeps (EPCI, territories, explicit list).
bool commune_kept(const Commune& c, const CandidatesSpec& s) {
    if (!s.communes.empty() && std::find(s.communes.begin(), s.communes.end(), c.code.str()) == s.communes.end())
        return false;
    if (!s.epcis.empty() && std::find(s.epcis.begin(), s.epcis.end(), c.epci_id) == s.epcis.end()) return false;
    if (!s.territories.empty() &&
        std::find(s.territories.begin(), s.territories.end(), c.territory_id) == s.territories.end())
        return false;
    return true;
}

void check_areas(const Territory& t, const OptimiseSpec& spec) {
    for (const auto& id : spec.candidates.epcis)
        if (std::none_of(t.epcis.begin(), t.epcis.end(), [&](const Area& a) { return a.id == id; }))
            fail(spec, "candidates.epcis", "unknown EPCI '" + id + "'", "a SIREN of an EPCI of the study");
    for (const auto& id : spec.candidates.territories)
        if (std::none_of(t.territories.begin(), t.territories.end(), [&](const Area& a) { return a.id == id; }))
            fail(spec, "candidates.territories", "unknown territory '" + id + "'", "a territory id of the study");
    for (const auto& code : spec.candidates.communes)
        if (!t.find_commune(code)) fail(spec, "candidates.communes", "unknown commune code '" + code + "'", "INSEE codes of the study");
}

std::optional<std::size_t> containing_commune(const Territory& t, Point2 p) {
    OGRPoint point(p.x, p.y);
    for (std::size_t i = 0; i < t.communes.size(); ++i)
        if (t.communes[i].geometry->Contains(&point)) return i;
    return std::nullopt;
}

std::vector<Candidate> new_candidates(const Study& study, const OptimiseSpec& spec) {
    const Territory& t = study.territory;
    const CandidatesSpec& cs = spec.candidates;
    std::vector<Candidate> out;
    if (cs.kind == "communes") {
        for (const Commune& c : t.communes) {
            if (!commune_kept(c, cs)) continue;
            if (c.population.value_or(0) < cs.min_population) continue;
            out.push_back({"commune-" + c.code.str(), c.name + " (" + c.code.str() + ")", c.representative, c.code.str(),
                           LocationPrecision::commune, nullptr, 0});
        }
    } else if (cs.kind == "file") {
        auto sites = read_sites({cs.file, spec.category, cs.crs, ""}, study.services.catalogue);
        Diagnostics ignored;
        place_sites(sites, t, study.margin_m, /*reject_far=*/true, ignored);
        for (const auto& s : sites) {
            auto c = containing_commune(t, s.position);
            if (c && !commune_kept(t.communes[*c], cs)) continue;
            if (!c && (!cs.epcis.empty() || !cs.territories.empty())) continue;
            out.push_back({s.id, s.name, s.position, c ? t.communes[*c].code.str() : "", LocationPrecision::exact, nullptr, 0});
        }
    } else {
        OGREnvelope e;
        t.study_area->getEnvelope(&e);
        const double step = cs.grid_km * 1000.0;
        for (double y = std::floor(e.MinY / step) * step + step / 2; y < e.MaxY; y += step)
            for (double x = std::floor(e.MinX / step) * step + step / 2; x < e.MaxX; x += step) {
                auto c = containing_commune(t, {x, y});
                if (!c || !commune_kept(t.communes[*c], cs)) continue;
                char id[64];
                std::snprintf(id, sizeof id, "grid-%.0f-%.0f", x, y);
                out.push_back({id, "Point " + std::string(id + 5) + " (" + t.communes[*c].name + ")", {x, y},
                               t.communes[*c].code.str(), LocationPrecision::exact, nullptr, 0});
            }
    }
    return out;
}

double existing_capacity(const ServiceSite& s, const OptimiseSpec& spec) {
    const double units = s.places ? *s.places : s.fte ? *s.fte : s.count;
    return units * spec.capacity_per_unit.value_or(0.0);
}

// The `add` that puts candidate c in the variant, named by its rank ("Site proposé n° 2 — Loudun").
SiteChange add_change(const OptimiseSpec& spec, const Candidate& c, std::size_t rank, const std::string& label) {
    SiteChange add;
    add.kind = SiteChange::Kind::add;
    add.mark = spec.mark;
    add.category = spec.category;
    add.id = spec.id + "-" + std::to_string(rank + 1);
    add.name = label + " n° " + std::to_string(rank + 1) + " — " + c.name;
    if (c.precision == LocationPrecision::commune) {
        add.placement.commune = c.commune_code;
    } else {
        add.placement.x = c.position.x;
        add.placement.y = c.position.y;
    }
    return add;
}

// Orders a chosen set the way a planner reads it: each next site is the one that adds the
// most (ties: smaller candidate index), with its gain.
void rank_answer(OptimiseOutcome& o, const std::vector<std::uint32_t>& chosen) {
    SolveOptions eval = o.options;
    if (eval.objective == Objective::lscp) eval.objective = Objective::mclp;  // rank by population covered
    const bool lower_is_better = eval.objective == Objective::pmedian;
    std::vector<std::uint32_t> remaining = chosen, taken;
    double current = optimise::evaluate(*o.problem, eval, taken);
    while (!remaining.empty()) {
        std::size_t best = 0;
        double best_value = 0;
        for (std::size_t r = 0; r < remaining.size(); ++r) {
            auto trial = taken;
            trial.push_back(remaining[r]);
            double v = optimise::evaluate(*o.problem, eval, trial);
            bool better = r == 0 || (lower_is_better ? v < best_value : v > best_value);
            if (better) {
                best = r;
                best_value = v;
            }
        }
        taken.push_back(remaining[best]);
        o.ranked.push_back(remaining[best]);
        o.ranked_gain.push_back(eval.objective == Objective::pmedian ? current - best_value : best_value - current);
        current = best_value;
        remaining.erase(remaining.begin() + static_cast<std::ptrdiff_t>(best));
    }
}

// The tour of an itinerant service through the chosen stops, from the base commune.
void plan_itinerant_tour(const Workspace& ws, const OptimiseSpec& spec, OptimiseOutcome& o) {
    const Territory& t = ws.territory();
    const Commune& base = t.communes[*t.find_commune(spec.base)];  // checked by validate_optimise
    o.base = {"base-" + base.code.str(), base.name + " (" + base.code.str() + ")", base.representative, base.code.str(),
              LocationPrecision::commune, nullptr, 0};
    std::vector<Attachment> points{ws.network().attach(base.representative, "base " + base.name)};
    for (auto j : o.ranked) points.push_back(ws.network().attach(o.candidates[j].position, o.candidates[j].id));
    o.tour_minutes.assign(points.size(), std::vector<double>(points.size(), 0.0));
    for (std::size_t a = 0; a < points.size(); ++a) {
        SiteSearch from = ws.network().from(std::span(&points[a], 1));
        for (std::size_t c = 0; c < points.size(); ++c) {
            if (a == c) continue;
            Reach r = ws.network().evaluate(from, points[c]);
            if (!r.reached()) fail(spec, "base", "stop " + std::to_string(c) + " cannot be reached from " + base.name);
            o.tour_minutes[a][c] = to_minutes(r.time);
        }
    }
    o.tour = optimise::plan_tour(o.tour_minutes, spec.day_budget_minutes, static_cast<std::size_t>(spec.stops_per_day));
    for (const auto& d : o.tour->days)
        if (d.driving_minutes > spec.day_budget_minutes)
            o.notes.push_back("a day drives " + std::to_string(static_cast<int>(std::lround(d.driving_minutes))) +
                              " min, over the budget of " + std::to_string(static_cast<int>(spec.day_budget_minutes)) +
                              " min: its stop is too far from the base for a day within the budget");
}

// Where `fte` more practitioners raise the APL-style index the most for the people below the
// threshold. A new site changes no other site's ratio (a ratio depends on the supply of its
// site and the demand around it), so adding site c adds R_c·W(t_ic) to each unit's index,
// R_c = fte / Σ_k P_k·W(t_kc): each candidate's effect is one search, and the greedy's gains
// are exact at every step.
OptimiseOutcome run_access_priority(const Workspace& ws, const OptimiseSpec& spec, const SitesByCategory& baseline) {
    OptimiseOutcome o;
    o.spec = spec;
    check_areas(ws.territory(), spec);
    // The index as `access` computes it: the inhabitants beyond the study's edge compete for the
    // practitioners (a new one near the border serves them too: in each candidate's denominator),
    // but the threshold and the gains are the study's.
    const AccessDemand inputs = access_demand(ws, baseline.at(spec.category));
    const auto& demand = inputs.units;
    const auto& attachments = inputs.attachments;
    const std::size_t study_units = inputs.study_units;
    DecayTable decay = DecayTable::load(ws.geodata_dir() / "e2sfca_decay.csv");
    Diagnostics diagnostics;
    E2sfcaResult now = compute_e2sfca(ws.network(), demand, attach_sites(ws.network(), inputs.sites, diagnostics), decay, {});
    std::vector<double> access = now.unit_access;
    double weighted = 0, population = 0;
    for (std::size_t i = 0; i < study_units; ++i) {
        weighted += demand[i].population * access[i];
        population += demand[i].population;
    }
    const double threshold = spec.threshold_per_100k ? *spec.threshold_per_100k / 1e5 : (population > 0 ? weighted / population : 0);
    o.threshold_per_100k = threshold * 1e5;
    for (auto& c : new_candidates(ws.study(), spec)) o.candidates.push_back(std::move(c));  // checked by validate_optimise
    // Each candidate's added index per demand unit.
    std::vector<std::vector<std::pair<std::uint32_t, double>>> delta(o.candidates.size());
    const Seconds limit = minutes(decay.max_minutes());
    for (std::size_t c = 0; c < o.candidates.size(); ++c) {
        auto a = ws.network().try_attach(o.candidates[c].position);
        if (!a) continue;
        SiteSearch search = ws.network().toward(std::span(&*a, 1), limit);
        std::vector<std::pair<std::uint32_t, double>> weights;
        double denominator = 0;
        for (std::size_t i = 0; i < demand.size(); ++i) {
            if (!attachments[i]) continue;
            Reach r = ws.network().evaluate(search, *attachments[i]);
            if (!r.reached()) continue;
            const double w = decay.weight(to_minutes(r.time));
            if (w <= 0) continue;
            weights.push_back({static_cast<std::uint32_t>(i), w});
            denominator += demand[i].population * w;
        }
        if (denominator <= 0) continue;
        for (auto& [i, w] : weights)
            if (i < study_units) delta[c].push_back({i, spec.fte / denominator * w});
    }
    auto below = [&]() {
        double p = 0;
        for (std::size_t i = 0; i < study_units; ++i)
            if (access[i] < threshold) p += demand[i].population;
        return p;
    };
    o.population_below_before = below();
    Solution greedy;
    greedy.solver = "greedy (exact gains)";
    std::vector<bool> taken(o.candidates.size(), false);
    for (int step = 0; step < spec.k.value_or(1); ++step) {
        std::size_t best = o.candidates.size();
        double best_gain = 0;
        for (std::size_t c = 0; c < o.candidates.size(); ++c) {
            if (taken[c]) continue;
            // The squared shortfall below the threshold (a poverty-gap² measure): an index point
            // counts more where access is lowest, so an FTE goes where people lack it most, not
            // merely where the whole catchment is below the threshold (every such FTE would tie:
            // the index spreads exactly its supply over its catchment).
            double gain = 0;
            for (const auto& [i, d] : delta[c]) {
                const double before = std::max(0.0, threshold - access[i]), after = std::max(0.0, threshold - access[i] - d);
                gain += demand[i].population * (before * before - after * after);
            }
            if (best == o.candidates.size() || gain > best_gain) {
                best = c;
                best_gain = gain;
            }
        }
        if (best == o.candidates.size()) break;
        taken[best] = true;
        for (const auto& [i, d] : delta[best]) access[i] += d;
        greedy.chosen.push_back(static_cast<std::uint32_t>(best));
        const double reported = best_gain * 1e10;  // in (points per 100 000)²
        greedy.marginal_gain.push_back(reported);
        greedy.objective += reported;
        o.ranked.push_back(static_cast<std::uint32_t>(best));
        o.ranked_gain.push_back(reported);
    }
    o.population_below_after = below();
    o.heuristic = greedy;
    o.answered_by = greedy.solver;
    o.variant.id = spec.id;
    o.variant.title = spec.title.empty() ? "Priorités d'installation : " + spec.category : spec.title;
    o.variant.mark = spec.mark;
    for (std::size_t r = 0; r < o.ranked.size(); ++r) {
        SiteChange add = add_change(spec, o.candidates[o.ranked[r]], r, "Installation proposée");
        add.fte = spec.fte;
        o.variant.changes.push_back(std::move(add));
    }
    o.notes.push_back("decay table: geodata/e2sfca_decay.csv; gain = reduction of Σ inhabitants × (threshold − index)² "
                      "below the threshold, index in points per 100 000");
    for (const auto& w : inputs.warnings) o.notes.push_back(w);
    for (const auto& w : diagnostics.warnings()) o.notes.push_back(w.text());
    return o;
}

}  // namespace

void validate_optimise(const Study& study, const OptimiseSpec& spec, const SitesByCategory& baseline) {
    require_category(study, spec.category, spec.mark);
    check_areas(study.territory, spec);
    for (const auto& c : spec.beyond_categories) require_category(study, c, spec.mark);
    if (spec.problem == "itinerant" && !study.territory.find_commune(spec.base))
        fail(spec, "base", "unknown commune code '" + spec.base + "'", "an INSEE code of the study");
    const std::size_t fresh = new_candidates(study, spec).size();
    if (fresh == 0)
        fail(spec, "candidates", "no candidate place: the restriction keeps none",
             "candidates in the study (check min_population, communes, epcis, territories, the file)");
    const bool existing_candidates = !spec.existing_fixed && spec.problem != "itinerant" && spec.problem != "access";
    const std::size_t free_count = fresh + (existing_candidates ? baseline.at(spec.category).size() : 0);
    if (spec.k && static_cast<std::size_t>(*spec.k) > free_count)
        fail(spec, "k", "k = " + std::to_string(*spec.k) + " but only " + std::to_string(free_count) + " candidates",
             "k at most the number of candidates");
}

OptimiseOutcome run_optimise(const Workspace& ws, const OptimiseSpec& spec, const SitesByCategory& baseline) {
    validate_optimise(ws.study(), spec, baseline);
    if (spec.problem == "access") return run_access_priority(ws, spec, baseline);
    OptimiseOutcome o;
    const bool itinerant = spec.problem == "itinerant";
    // An itinerant service's stops are all new: existing sites only decide who is left out.
    std::vector<const ServiceSite*> existing;
    if (!itinerant) existing = baseline.at(spec.category);
    o.spec = spec;
    const Territory& t = ws.territory();
    check_areas(t, spec);
    o.options.objective = objective_of(spec.problem);
    o.options.k = spec.k ? static_cast<std::size_t>(*spec.k) : 0;
    o.options.max_time = minutes(spec.max_minutes);
    o.options.coverage_share = spec.share;
    o.options.time_limit_seconds = spec.time_limit_s;

    // Candidates: the existing sites (fixed, or free), then the new places.
    Diagnostics diagnostics;
    for (const ServiceSite* s : existing)
        o.candidates.push_back({s->id, s->name, s->position, s->commune_code, s->precision, s, 0});
    // Their number against k was checked by validate_optimise; again below once attached.
    for (auto& c : new_candidates(ws.study(), spec)) o.candidates.push_back(std::move(c));

    // Travel times: one search toward each candidate, bounded by T (covering) or not (p-median).
    const bool bounded = o.options.objective != Objective::pmedian;
    const Seconds limit = bounded ? o.options.max_time : Seconds::infinity();
    const auto& demand = ws.demand();
    const auto& attachments = ws.demand_attachments();
    std::vector<std::vector<Reachable>> pairs(demand.size());
    std::vector<bool> fixed;
    std::vector<double> capacities;
    std::vector<Candidate> kept;
    for (std::size_t j = 0; j < o.candidates.size(); ++j) {
        Candidate& c = o.candidates[j];
        std::optional<Attachment> a;
        if (c.existing) {
            a = attach_site(ws.network(), *c.existing, diagnostics);
        } else {
            a = ws.network().try_attach(c.position);
            if (!a || a->distance > ws.network().snap_options().max_distance) {
                o.notes.push_back("candidate " + c.id + " left out: too far from the network");
                continue;
            }
        }
        const auto index = static_cast<std::uint32_t>(kept.size());
        SiteSearch search = ws.network().toward(std::span(&*a, 1), limit);
        for (std::size_t i = 0; i < demand.size(); ++i) {
            if (!attachments[i] || demand[i].population <= 0) continue;
            Reach r = ws.network().evaluate(search, *attachments[i]);
            if (r.reached()) pairs[i].push_back({index, r.time});
        }
        fixed.push_back(c.existing && spec.existing_fixed);
        c.capacity = c.existing ? existing_capacity(*c.existing, spec) : spec.capacity.value_or(0.0);
        capacities.push_back(c.capacity);
        kept.push_back(std::move(c));
    }
    o.candidates = std::move(kept);
    std::size_t usable = 0;
    for (bool f : fixed) usable += f ? 0 : 1;
    if (o.options.objective != Objective::lscp && o.options.k > usable)
        fail(spec, "k", "k = " + std::to_string(o.options.k) + " but only " + std::to_string(usable) +
                            " candidates are within reach of the network", "k at most the candidates that can be attached");
    std::vector<double> weights;
    for (const auto& u : demand) {
        weights.push_back(u.population);
        o.demand_ids.push_back(u.id);
        o.demand_communes.push_back(u.commune_code);
    }
    if (itinerant) {
        // Only the people farther than the threshold from every site of the categories count.
        std::vector<const ServiceSite*> served;
        auto categories = spec.beyond_categories.empty() ? std::vector<std::string>{spec.category} : spec.beyond_categories;
        for (const auto& c : categories) {  // categories checked by validate_optimise
            const auto& sites = baseline.at(c);
            served.insert(served.end(), sites.begin(), sites.end());
        }
        Diagnostics ignored;
        CoverageResult now = compute_coverage(ws.network(), demand, attachments, attach_sites(ws.network(), served, ignored));
        const Seconds beyond = minutes(spec.beyond_minutes.value_or(spec.max_minutes));
        for (std::size_t i = 0; i < demand.size(); ++i)
            if (now.units[i].reached() && now.units[i].time <= beyond) weights[i] = 0;
        for (double w : weights) o.population_beyond += w;
        if (o.population_beyond <= 0) o.notes.push_back("nobody is farther than the threshold: the stops serve no one");
    }
    if (o.options.objective != Objective::cmclp) capacities.clear();
    o.problem.emplace(weights, pairs, fixed, capacities);

    const bool heuristic = spec.solver != "exact", exact = spec.solver != "heuristic";
    if (heuristic) o.heuristic = optimise::solve_heuristic(*o.problem, o.options);
    if (exact) o.exact = optimise::solve_exact(*o.problem, o.options);
    const Solution& first = exact ? *o.exact : *o.heuristic;
    if (o.options.objective == Objective::lscp && !first.feasible) {
        // Nobody can cover the communes beyond T of every candidate: say which, and cover the rest.
        std::set<std::string> codes;
        for (auto i : first.uncoverable) codes.insert(demand[i].commune_code);
        o.uncoverable_communes.assign(codes.begin(), codes.end());
        for (auto i : first.uncoverable) weights[i] = 0;
        o.problem.emplace(weights, pairs, fixed, capacities);
        o.notes.push_back(std::to_string(codes.size()) + " communes are farther than " +
                          std::to_string(static_cast<int>(spec.max_minutes)) +
                          " min from every candidate: no set of sites covers them; the answer covers everyone else");
        if (heuristic) o.heuristic = optimise::solve_heuristic(*o.problem, o.options);
        if (exact) o.exact = optimise::solve_exact(*o.problem, o.options);
    }
    // The answer: the exact one when it is at least as good (it always is when proven), else the heuristic's.
    const Solution* answer = o.exact ? &*o.exact : &*o.heuristic;
    if (o.exact && o.heuristic) {
        const bool minimise = o.options.objective == Objective::pmedian || o.options.objective == Objective::lscp;
        const bool heuristic_better = minimise ? o.heuristic->objective < o.exact->objective
                                               : o.heuristic->objective > o.exact->objective;
        if (heuristic_better || !o.exact->feasible) answer = &*o.heuristic;
    }
    o.answered_by = answer->solver;
    if (o.options.objective != Objective::lscp || answer->feasible) rank_answer(o, answer->chosen);
    if (o.options.objective != Objective::lscp && o.ranked.size() < o.options.k)
        o.notes.push_back("the " + answer->solver + " answer has " + std::to_string(o.ranked.size()) + " sites, not " +
                          std::to_string(o.options.k) + ": no further site improves the objective");
    std::size_t zero_gain = 0;
    for (double g : o.ranked_gain) zero_gain += g <= 0 ? 1 : 0;
    if (zero_gain > 0)
        o.notes.push_back(std::to_string(zero_gain) + " of the chosen sites add nothing (the objective is already reached "
                          "without them): the answer needed k sites");
    if (spec.curve > 0 && o.options.objective == Objective::pmedian)
        o.notes.push_back("curve: computed for covering problems (mclp, lscp, cmclp, itinerant), not for pmedian");
    if (spec.curve > 0 && o.options.objective != Objective::pmedian) {
        SolveOptions curve = o.options;
        curve.objective = Objective::mclp;
        o.curve = optimise::coverage_curve(*o.problem, curve, std::min<std::size_t>(spec.curve, usable));
    }

    // The answer as a variant: chosen new places added, free existing sites not chosen closed.
    o.variant.id = spec.id;
    o.variant.title = spec.title.empty() ? "Optimisation (" + spec.problem + ") : " + spec.category : spec.title;
    o.variant.mark = spec.mark;
    std::set<std::uint32_t> chosen(o.ranked.begin(), o.ranked.end());
    for (std::size_t r = 0; r < o.ranked.size(); ++r) {
        const Candidate& c = o.candidates[o.ranked[r]];
        if (c.existing) continue;
        SiteChange add = add_change(spec, c, r, "Site proposé");
        if (spec.capacity) add.places = spec.capacity;
        o.variant.changes.push_back(std::move(add));
    }
    if (!spec.existing_fixed)
        for (std::uint32_t j = 0; j < o.candidates.size(); ++j) {
            const Candidate& c = o.candidates[j];
            if (!c.existing || chosen.count(j)) continue;
            SiteChange close;
            close.kind = SiteChange::Kind::close;
            close.mark = spec.mark;
            close.site.category = spec.category;
            close.site.id = c.existing->id;
            o.variant.changes.push_back(std::move(close));
        }
    if (itinerant) plan_itinerant_tour(ws, spec, o);
    for (const auto& w : diagnostics.warnings()) o.notes.push_back(w.text());
    return o;
}

nlohmann::ordered_json optimise_summary(const OptimiseOutcome& o, const Territory& t) {
    auto solution_json = [&](const Solution& s) {
        nlohmann::ordered_json j;
        j["solver"] = s.solver;
        j["feasible"] = s.feasible;
        j["objective"] = round_to(s.objective, 1);
        j["bound"] = s.bound ? nlohmann::ordered_json(round_to(*s.bound, 1)) : nlohmann::ordered_json(nullptr);
        auto gap = s.gap();
        j["gap"] = gap ? nlohmann::ordered_json(round_to(*gap, 6)) : nlohmann::ordered_json(nullptr);
        j["proven_optimal"] = s.proven_optimal;
        j["time_limit_reached"] = s.time_limit_reached;
        nlohmann::ordered_json ids = nlohmann::ordered_json::array();
        for (auto c : s.chosen) ids.push_back(o.candidates[c].id);
        j["chosen"] = ids;
        return j;
    };
    nlohmann::ordered_json j;
    j["id"] = o.spec.id;
    j["title"] = o.variant.title;
    j["category"] = o.spec.category;
    j["problem"] = o.spec.problem;
    j["objective_meaning"] = o.spec.problem == "lscp"      ? (o.spec.existing_fixed ? "number of new sites" : "number of sites (existing kept and new)")
                             : o.spec.problem == "pmedian" ? "inhabitants x minutes to the nearest site (lower is better)"
                                                           : "inhabitants within max_minutes (higher is better)";
    if (o.spec.k) j["k"] = *o.spec.k;
    j["max_minutes"] = o.spec.max_minutes;
    if (o.spec.problem == "lscp") j["share"] = o.spec.share;
    j["existing"] = o.spec.existing_fixed ? "fixed" : "free";
    std::size_t existing = 0;
    for (const auto& c : o.candidates) existing += c.existing ? 1 : 0;
    j["candidates"] = {{"kind", o.spec.candidates.kind}, {"new", o.candidates.size() - existing}, {"existing", existing}};
    if (o.problem) {
        j["demand_units"] = o.problem->demand_count();
        j["population"] = round_to(o.problem->total_weight(), 1);
    }
    if (o.spec.problem == "access") {
        j["objective_meaning"] = "reduction of the squared shortfall below the threshold: sum of inhabitants x (threshold - index)^2, index per 100 000";
        j["access"] = {{"threshold_per_100k", round_to(o.threshold_per_100k, 2)}, {"fte_per_site", o.spec.fte},
                       {"population_below_before", round_to(o.population_below_before, 1)},
                       {"population_below_after", round_to(o.population_below_after, 1)}};
    }
    j["time_limit_s"] = o.spec.time_limit_s;
    if (o.heuristic) j["heuristic"] = solution_json(*o.heuristic);
    if (o.exact) j["exact"] = solution_json(*o.exact);
    if (o.heuristic && o.exact && o.exact->bound) {
        const double b = *o.exact->bound;
        j["heuristic_gap_to_bound"] = round_to(std::abs(o.heuristic->objective - b) / std::max(std::abs(b), 1e-9), 6);
    }
    j["answer_from"] = o.answered_by;
    nlohmann::ordered_json sites = nlohmann::ordered_json::array();
    for (std::size_t r = 0; r < o.ranked.size(); ++r) {
        const Candidate& c = o.candidates[o.ranked[r]];
        sites.push_back({{"rank", r + 1}, {"candidate", c.id}, {"name", c.name}, {"commune", c.commune_code},
                         {"existing", c.existing != nullptr}, {"marginal_gain", round_to(o.ranked_gain[r], 1)}});
    }
    j["sites"] = sites;
    nlohmann::ordered_json uncoverable = nlohmann::ordered_json::array();
    for (const auto& code : o.uncoverable_communes) {
        auto i = t.find_commune(code);
        uncoverable.push_back({{"code", code}, {"nom", i ? t.communes[*i].name : ""}});
    }
    j["uncoverable_communes"] = uncoverable;
    nlohmann::ordered_json curve = nlohmann::ordered_json::array();
    for (const auto& p : o.curve)
        curve.push_back({{"k", p.k}, {"added", p.k == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(o.candidates[p.added].id)},
                         {"covered", round_to(p.covered, 1)}, {"marginal", round_to(p.marginal, 1)}});
    j["curve"] = curve;
    if (o.tour) {
        nlohmann::ordered_json days = nlohmann::ordered_json::array();
        for (std::size_t d = 0; d < o.tour->days.size(); ++d) {
            nlohmann::ordered_json stops = nlohmann::ordered_json::array();
            for (auto s : o.tour->days[d].stops) stops.push_back(o.candidates[o.ranked[s - 1]].name);
            days.push_back({{"day", d + 1}, {"stops", stops}, {"driving_minutes", round_to(o.tour->days[d].driving_minutes, 1)}});
        }
        j["itinerant"] = {{"base", o.base.name},
                          {"population_beyond_threshold", round_to(o.population_beyond, 1)},
                          {"beyond_minutes", o.spec.beyond_minutes.value_or(o.spec.max_minutes)},
                          {"tour_driving_minutes", round_to(o.tour->driving_minutes, 1)},
                          {"tour_order_proven_shortest", o.tour->exact},
                          {"day_budget_minutes", o.spec.day_budget_minutes},
                          {"days", days}};
    }
    j["notes"] = o.notes;
    return j;
}

void write_optimise_outputs(const std::filesystem::path& dir, const OptimiseOutcome& o, const Territory& t,
                            const nlohmann::json& metadata) {
    FeatureLayer layer{"chosen_sites", {}};
    for (std::size_t r = 0; r < o.ranked.size(); ++r) {
        const Candidate& c = o.candidates[o.ranked[r]];
        Feature f;
        f.geometry.reset(new OGRPoint(c.position.x, c.position.y));
        f.properties["rank"] = r + 1;
        f.properties["candidate"] = c.id;
        f.properties["name"] = c.name;
        f.properties["commune"] = c.commune_code;
        f.properties["existing"] = c.existing != nullptr;
        f.properties["location_precision"] = to_string(c.precision);
        f.properties["marginal_gain"] = round_to(o.ranked_gain[r], 1);
        f.properties["problem"] = o.spec.problem;
        f.properties["solver"] = o.answered_by;
        layer.features.push_back(std::move(f));
    }
    std::vector<CsvRow> rows;
    for (const auto& p : o.curve)
        rows.push_back({std::to_string(p.k), p.k == 0 ? "" : o.candidates[p.added].id,
                        p.k == 0 ? "" : o.candidates[p.added].name, csv_number(p.covered, 1), csv_number(p.marginal, 1)});
    const std::string text = optimise_summary(o, t).dump(2) + "\n";
    if (o.spec.write_problem && o.problem) {
        // The instance itself, for an independent solver (scripts/spopt-compare.sh).
        std::vector<CsvRow> pairs;
        const auto& p = *o.problem;
        for (std::size_t i = 0; i < p.demand_count(); ++i)
            for (const auto& r : p.reachable(i))
                pairs.push_back({o.demand_ids[i], o.demand_communes[i], csv_number(p.weight(i), 3),
                                 o.candidates[r.candidate].id, p.fixed(r.candidate) ? "1" : "0",
                                 csv_number(to_minutes(r.time), 6)});
        write_csv_with_provenance(dir / "problem_pairs.csv", {"demand_id", "commune", "weight", "candidate", "fixed", "minutes"},
                                  pairs, metadata);
    }
    if (o.tour) {
        // One line per day: base → stops → base, straight segments between stops (the times are
        // the network's; the drawn line is not the road).
        FeatureLayer tour{"tour", {}};
        std::vector<CsvRow> schedule;
        auto point = [&](std::size_t index) { return index == 0 ? o.base.position : o.candidates[o.ranked[index - 1]].position; };
        auto name = [&](std::size_t index) { return index == 0 ? o.base.name : o.candidates[o.ranked[index - 1]].name; };
        for (std::size_t d = 0; d < o.tour->days.size(); ++d) {
            const auto& day = o.tour->days[d];
            auto* line = new OGRLineString();
            std::size_t previous = 0;
            double driven = 0;
            line->addPoint(point(0).x, point(0).y);
            for (std::size_t k = 0; k < day.stops.size(); ++k) {
                const std::size_t s = day.stops[k];
                line->addPoint(point(s).x, point(s).y);
                driven += o.tour_minutes[previous][s];
                schedule.push_back({std::to_string(d + 1), std::to_string(k + 1), o.candidates[o.ranked[s - 1]].id, name(s),
                                    o.candidates[o.ranked[s - 1]].commune_code, csv_number(o.tour_minutes[previous][s], 1),
                                    csv_number(driven, 1), csv_number(o.ranked_gain[s - 1], 0)});
                previous = s;
            }
            line->addPoint(point(0).x, point(0).y);
            driven += o.tour_minutes[previous][0];
            schedule.push_back({std::to_string(d + 1), std::to_string(day.stops.size() + 1), o.base.id, name(0), o.base.commune_code,
                                csv_number(o.tour_minutes[previous][0], 1), csv_number(driven, 1), ""});
            Feature f;
            f.geometry.reset(line);
            f.properties["day"] = d + 1;
            f.properties["stops"] = day.stops.size();
            f.properties["driving_minutes"] = round_to(day.driving_minutes, 1);
            f.properties["geometry_note"] = "straight segments between stops";
            tour.features.push_back(std::move(f));
        }
        write_geojson(dir / "tour.geojson", tour, metadata);
        write_csv_with_provenance(dir / "schedule.csv",
                                  {"day", "order", "stop", "name", "commune", "drive_from_previous_minutes",
                                   "driving_so_far_minutes", "inhabitants_newly_within"},
                                  schedule, metadata);
    }
    write_geojson(dir / "chosen_sites.geojson", layer, metadata);
    write_csv_with_provenance(dir / "curve.csv", {"k", "added_candidate", "added_name", "covered_population", "marginal_gain"},
                              rows, metadata);
    write_file_atomically(dir / "summary.json", [&](std::ostream& os) { os << text; });
}

}  // namespace maillage
