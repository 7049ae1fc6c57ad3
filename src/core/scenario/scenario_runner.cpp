#include "scenario/scenario_runner.hpp"

#include <chrono>
#include <map>
#include <set>

#include "coverage/incremental_coverage.hpp"
#include "output/csv_writer.hpp"
#include "output/feature.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"
#include "util/staged_directory.hpp"

namespace maillage {

namespace fs = std::filesystem;

CoverageFigures coverage_figures(const std::vector<DemandUnit>& demand, const std::vector<UnitResult>& units,
                                 const std::vector<double>& bands, double gap) {
    CoverageFigures f;
    f.within_band.assign(bands.size(), 0.0);
    for (std::size_t i = 0; i < demand.size(); ++i) {
        const double pop = demand[i].population;
        if (!units[i].reached()) {
            f.unreachable += pop;
            f.beyond_gap += pop;
            continue;
        }
        const double m = to_minutes(units[i].time);
        for (std::size_t b = 0; b < bands.size(); ++b)
            if (m <= bands[b]) f.within_band[b] += pop;
        if (m > gap) f.beyond_gap += pop;
        f.person_minutes += pop * m;
    }
    return f;
}

StudySources scenario_study_sources(const ScenarioSpec& spec, const ScenarioContext& context) {
    const StudySpec& st = spec.study;
    StudySources s;
    if (st.communes.empty()) {
        s = context.default_study();
        if (!st.reference_services) {
            s.services.france_services.clear();
            s.services.bpe.clear();
        }
    } else {
        // A study of the scenario's own communes: no reference services unless the files are
        // named (the reference files cover Vienne and its neighbours only).
        s.territory.communes = st.communes;
        s.territory.communes_layer = st.communes_layer;
    }
    if (!st.population.empty()) s.territory.population = st.population;
    if (!st.territories.empty()) s.territory.territories = st.territories;
    if (!st.bpe.empty()) s.services.bpe = st.bpe;
    if (!st.neighbour_communes.empty())
        s.services.neighbour_communes.assign(st.neighbour_communes.begin(), st.neighbour_communes.end());
    if (!st.neighbour_population.empty())
        s.services.neighbour_population.assign(st.neighbour_population.begin(), st.neighbour_population.end());
    s.services.catalogue = context.geodata_dir / "service_catalogue.csv";
    if (st.margin_km) s.services.margin_m = *st.margin_km * 1000.0;
    for (const auto& f : spec.site_files) s.services.site_files.push_back({f.path, f.category, f.crs, ""});
    return s;
}

namespace {


// Every category an analysis names must exist; said at the analysis's line.
void check_categories(const ScenarioSpec& spec, const Study& study) {
    for (const auto& a : spec.coverage) require_category(study, a.category, a.mark);
    for (const auto& a : spec.access) require_category(study, a.category, a.mark);
    for (const auto& a : spec.rates) require_category(study, a.category, a.mark);
    for (const auto& o : spec.optimise) require_category(study, o.category, o.mark);
}

WorkspaceOptions workspace_options_of(const ScenarioSpec& spec, const ScenarioContext& context) {
    WorkspaceOptions o;
    o.network = NetworkSpec::parse(spec.network.spec);
    o.network_options.profile = spec.network.profile;
    if (spec.network.max_snap_m) o.network_options.max_snap = Metres(*spec.network.max_snap_m);
    o.network_options.mapping = spec.network.mapping;
    o.network_options.geodata_dir = context.geodata_dir;
    o.network_options.max_memory_bytes = context.max_memory_bytes;
    o.demand.method = parse_demand_method(spec.demand.method);
    o.demand.grid_step = Metres(spec.demand.step_m);
    return o;
}

// The variant's sites of `category`, the SiteId each has in the incremental coverage.
struct IncrementalState {
    IncrementalCoverage coverage;
    std::map<const ServiceSite*, SiteId> ids;
};

VariantOutcome run_variant(const ScenarioOutcome& o, const Variant* variant, VariantSites sites,
                           const std::vector<IncrementalState>* baseline_states, Provenance provenance) {
    const Workspace& ws = *o.workspace;
    const ScenarioSpec& spec = o.spec;
    VariantOutcome v;
    v.id = variant ? variant->id : "baseline";
    v.title = variant ? variant->title : "Situation de référence";
    v.sites = std::move(sites);
    provenance.set_parameter("variant", v.id);
    nlohmann::json changes = nlohmann::json::array(), assumptions = nlohmann::json::array();
    for (const auto& c : v.sites.changes) {
        changes.push_back(c.spec->mark.str() + ": " + c.description);
        if (!c.assumption.empty()) assumptions.push_back(c.assumption);
    }
    if (variant) provenance.set_parameter("changes", changes);
    if (!assumptions.empty()) provenance.set_parameter("assumptions", assumptions);

    for (std::size_t k = 0; k < spec.coverage.size(); ++k) {
        const auto& params = o.coverage_parameters[k];
        const auto& key = params.category.key;
        const auto& list = v.sites.sites.at(key);
        std::vector<ChangeEffect> effects;
        CoverageResult result;
        if (!baseline_states) {
            Diagnostics diagnostics;
            AttachedSites attached = attach_sites(ws.network(), list, diagnostics);
            result = compute_coverage(ws.network(), ws.demand(), ws.demand_attachments(), std::move(attached));
            result.diagnostics = std::move(diagnostics);
        } else {
            // From the baseline, one change at a time: only what a change touches is searched again.
            IncrementalState state = (*baseline_states)[k];
            Diagnostics diagnostics;
            auto& inc = state.coverage;
            for (std::size_t c = 0; c < v.sites.changes.size(); ++c) {
                const AppliedChange& change = v.sites.changes[c];
                if (change.category != key) continue;
                ChangeEffect e;
                e.change = c;
                e.before = coverage_figures(ws.demand(), inc.units(), params.bands_minutes, params.gap_threshold_minutes);
                auto start = std::chrono::steady_clock::now();
                if (change.removed && change.added) {
                    state.ids[change.added] = inc.move(state.ids.at(change.removed), change.added,
                                                       attach_site(ws.network(), *change.added, diagnostics));
                } else if (change.removed) {
                    inc.close(state.ids.at(change.removed));
                } else if (change.added) {
                    state.ids[change.added] = inc.add(change.added, attach_site(ws.network(), *change.added, diagnostics));
                }
                for (const auto& [old, next] : change.replaced) {
                    if (next) state.ids[next] = state.ids.at(old);  // same place: coverage unchanged
                    else inc.close(state.ids.at(old));
                }
                e.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
                e.after = coverage_figures(ws.demand(), inc.units(), params.bands_minutes, params.gap_threshold_minutes);
                effects.push_back(std::move(e));
            }
            result = inc.snapshot();
            // The snapshot names the sites as the incremental state knew them; a site whose
            // capacity changed is the variant's copy.
            std::map<const ServiceSite*, const ServiceSite*> current;
            for (const auto& change : v.sites.changes)
                for (const auto& [old, next] : change.replaced)
                    if (next) current[old] = next;
            AttachedSites renamed;
            for (std::uint32_t i = 0; i < result.sites.size(); ++i) {
                const ServiceSite* s = result.sites.sites()[i];
                while (current.count(s)) s = current[s];
                renamed.add(s, result.sites.attachments()[i]);
            }
            result.sites = std::move(renamed);
            result.diagnostics = std::move(diagnostics);
        }
        v.coverage.push_back(finish_coverage(ws, params, std::move(result), provenance));
        v.effects.push_back(std::move(effects));
    }
    for (const auto& a : spec.access) {
        AccessParameters p{a.category, a.max_ages, a.decay, a.demand_weights};
        v.access.push_back(run_access(ws, p, v.sites.sites.at(a.category), provenance));
    }
    for (const auto& r : spec.rates) {
        RateParameters p{r.category, r.target, r.target_population};
        v.rates.push_back(run_rates(ws.study(), p, v.sites.sites.at(r.category), provenance));
    }
    return v;
}

}  // namespace

WorkspaceOptions scenario_workspace_options(const ScenarioSpec& spec, const ScenarioContext& context) {
    return workspace_options_of(spec, context);
}

void resolve_scenario(const ScenarioSpec& spec, const ScenarioContext& context) {
    Study study = load_study(scenario_study_sources(spec, context));
    check_categories(spec, study);
    SiteFactory factory(study);
    std::vector<AppliedChange> additions;
    SitesByCategory baseline = baseline_sites(study, spec, factory, additions);
    for (const auto& v : spec.variants) (void)apply_variant(study, baseline, v, factory);
    for (const auto& o : spec.optimise) validate_optimise(study, o, baseline);
}

ScenarioOutcome run_scenario(const ScenarioSpec& input, const ScenarioContext& context) {
    ScenarioOutcome o;
    o.spec = input;
    ScenarioSpec& spec = o.spec;  // the outcome's copy: applied changes point into it
    // An optimisation is judged by the coverage of its category: computed even when not asked.
    for (const auto& opt : spec.optimise)
        if (std::none_of(spec.coverage.begin(), spec.coverage.end(),
                         [&](const CoverageAnalysisSpec& c) { return c.category == opt.category; })) {
            CoverageAnalysisSpec c;
            c.category = opt.category;
            c.gap_threshold_min = opt.max_minutes;
            c.mark = opt.mark;
            spec.coverage.push_back(c);
        }
    Study study = load_study(scenario_study_sources(spec, context));
    check_categories(spec, study);
    o.workspace = std::make_unique<Workspace>(std::move(study), workspace_options_of(spec, context));
    const Workspace& ws = *o.workspace;
    o.factory = std::make_unique<SiteFactory>(ws.study());
    SitesByCategory baseline = baseline_sites(ws.study(), spec, *o.factory, o.baseline_additions);
    // Optimisations first (their answers become variants), then every variant is checked
    // against the study before anything else is computed.
    for (const auto& opt : spec.optimise) {
        o.optimisations.push_back(run_optimise(ws, opt, baseline));
    }
    for (const auto& opt : o.optimisations) spec.variants.push_back(opt.variant);
    std::vector<VariantSites> variant_sites;
    for (const auto& v : spec.variants) variant_sites.push_back(apply_variant(ws.study(), baseline, v, *o.factory));

    o.provenance = ws.provenance();
    for (const auto& f : spec.extends_chain) o.provenance.add_input("scenario", f);
    o.provenance.set_parameter("scenario", {{"title", spec.title}, {"question", spec.question}});
    for (const auto& c : spec.coverage) {
        CoverageParameters p{c.category, c.thresholds_min, c.gap_threshold_min, c.catchments, {}};
        if (c.cell_size_m) p.cell_size = Metres(*c.cell_size_m);
        o.coverage_parameters.push_back(resolve(p, ws));
    }
    VariantSites base_sites{baseline, o.baseline_additions, {}};
    o.baseline = run_variant(o, nullptr, std::move(base_sites), nullptr, o.provenance);

    std::vector<IncrementalState> states;
    for (std::size_t k = 0; k < spec.coverage.size(); ++k) {
        const auto& r = o.baseline.coverage[k].result;
        IncrementalState s{IncrementalCoverage(ws.network(), ws.demand(), ws.demand_attachments(), r.sites), {}};
        for (std::uint32_t i = 0; i < r.sites.size(); ++i) s.ids[r.sites.sites()[i]] = SiteId(i);
        states.push_back(std::move(s));
    }
    for (std::size_t i = 0; i < spec.variants.size(); ++i) {
        for (const auto& w : variant_sites[i].warnings) o.warnings.push_back(w);
        o.variants.push_back(run_variant(o, &spec.variants[i], std::move(variant_sites[i]), &states, o.provenance));
    }
    for (const auto& opt : o.optimisations)
        for (const auto& n : opt.notes) o.warnings.push_back("optimise " + opt.spec.id + ": " + n);
    // Categories the default data does not hold (RAM/MAM, résidences autonomie, MDS...): said
    // plainly, with what to do, rather than left to read from a coverage of nobody.
    std::set<std::string> named;
    for (const auto& c : spec.coverage) named.insert(c.category);
    for (const auto& a : spec.access) named.insert(a.category);
    for (const auto& r : spec.rates) named.insert(r.category);
    for (const auto& key : named) {
        const ServiceCategory* category = ws.catalogue().find(key);
        const bool reference = category && (!category->bpe_codes.empty() || key == "france_services");
        const bool given = std::any_of(spec.site_files.begin(), spec.site_files.end(),
                                       [&](const SiteFileSpec& f) { return f.category == key; });
        if (!reference && !given && baseline.at(key).empty())
            o.warnings.push_back("category '" + key + "' (" + (category ? category->label_fr : key) +
                                 ") has no default data: no site is known today; give the planner's file under "
                                 "sites.files (see docs/SCENARIOS.md)");
    }
    for (const auto& w : ws.warnings()) o.warnings.push_back(w);
    return o;
}

namespace {

nlohmann::ordered_json triple(double baseline, double variant, int decimals = 1) {
    return {{"baseline", round_to(baseline, decimals)}, {"variant", round_to(variant, decimals)},
            {"delta", round_to(variant - baseline, decimals)}};
}

nlohmann::ordered_json figures_delta(const CoverageFigures& before, const CoverageFigures& after,
                                     const std::vector<double>& bands) {
    nlohmann::ordered_json within = nlohmann::ordered_json::object();
    for (std::size_t b = 0; b < bands.size(); ++b)
        within[band_key(bands[b])] = round_to(after.within_band[b] - before.within_band[b], 1);
    return {{"population_within_minutes", within},
            {"population_beyond_gap", round_to(after.beyond_gap - before.beyond_gap, 1)},
            {"person_minutes", round_to(after.person_minutes - before.person_minutes, 0)}};
}

// `beyond`: population beyond the gap threshold (baseline, variant), when known for the area.
nlohmann::ordered_json area_delta(const AreaCoverage& b, const AreaCoverage& v, const std::vector<double>& bands,
                                  const std::vector<double>* beyond) {
    nlohmann::ordered_json j;
    j["id"] = b.id;
    j["name"] = b.name;
    j["population"] = round_to(b.population, 1);
    nlohmann::ordered_json within = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < bands.size(); ++k) within[band_key(bands[k])] = triple(b.within_band[k], v.within_band[k]);
    j["population_within_minutes"] = within;
    if (beyond) j["population_beyond_gap"] = triple((*beyond)[0], (*beyond)[1]);
    j["mean_minutes"] = triple(b.mean_minutes, v.mean_minutes);
    return j;
}

}  // namespace

nlohmann::ordered_json scenario_comparison(const ScenarioOutcome& o) {
    const Workspace& ws = *o.workspace;
    const Territory& t = ws.territory();
    nlohmann::ordered_json out;
    out["title"] = o.spec.title;
    out["question"] = o.spec.question;
    out["travel_time_source"] = to_string(ws.network().info().source);
    nlohmann::ordered_json variants = nlohmann::ordered_json::array();
    for (const auto& v : o.variants) {
        nlohmann::ordered_json vj;
        vj["variant"] = v.id;
        vj["title"] = v.title;
        nlohmann::ordered_json changes = nlohmann::ordered_json::array();
        for (const auto& c : v.sites.changes) {
            nlohmann::ordered_json cj{{"kind", to_string(c.spec->kind)}, {"at", c.spec->mark.str()},
                                      {"category", c.category}, {"description", c.description}};
            if (c.added) cj["site_added"] = c.added->id;
            if (c.removed) cj["site_removed"] = c.removed->id;
            if (!c.replaced.empty()) cj["sites_changed"] = c.replaced.size();
            if (!c.assumption.empty()) cj["assumption"] = c.assumption;
            changes.push_back(cj);
        }
        vj["changes"] = changes;
        nlohmann::ordered_json coverage = nlohmann::ordered_json::array();
        for (std::size_t k = 0; k < v.coverage.size(); ++k) {
            const auto& params = o.coverage_parameters[k];
            const auto& bands = params.bands_minutes;
            const CoverageAnalysis& base = o.baseline.coverage[k];
            const CoverageAnalysis& var = v.coverage[k];
            auto fb = coverage_figures(ws.demand(), base.result.units, bands, params.gap_threshold_minutes);
            auto fv = coverage_figures(ws.demand(), var.result.units, bands, params.gap_threshold_minutes);
            nlohmann::ordered_json cj;
            cj["category"] = params.category.key;
            cj["bands_minutes"] = bands;
            cj["gap_threshold_minutes"] = params.gap_threshold_minutes;
            cj["sites"] = triple(static_cast<double>(base.result.sites.size()), static_cast<double>(var.result.sites.size()), 0);
            std::vector<double> pair{fb.beyond_gap, fv.beyond_gap};
            nlohmann::ordered_json dep = area_delta(base.tables.departement, var.tables.departement, bands, &pair);
            dep["person_minutes"] = triple(fb.person_minutes, fv.person_minutes, 0);
            dep["population_unreachable"] = triple(fb.unreachable, fv.unreachable);
            cj["departement"] = dep;
            for (const char* level : {"territories", "epci"}) {
                const auto& bl = std::string(level) == "epci" ? base.tables.epcis : base.tables.territories;
                const auto& vl = std::string(level) == "epci" ? var.tables.epcis : var.tables.territories;
                nlohmann::ordered_json areas = nlohmann::ordered_json::array();
                for (std::size_t a = 0; a < bl.size(); ++a)
                    areas.push_back(area_delta(bl[a], vl[a], bands, nullptr));
                cj[level] = areas;
            }
            nlohmann::ordered_json moved = nlohmann::ordered_json::array();
            for (std::size_t c = 0; c < t.communes.size(); ++c) {
                const AreaCoverage& b = base.tables.communes[c];
                const AreaCoverage& x = var.tables.communes[c];
                auto bb = coverage_band_label(b.mean_minutes, bands, b.nearest_site.valid());
                auto xb = coverage_band_label(x.mean_minutes, bands, x.nearest_site.valid());
                if (bb == xb) continue;
                moved.push_back({{"code", t.communes[c].code.str()}, {"nom", t.communes[c].name},
                                 {"population", round_to(b.population, 1)}, {"baseline_band", bb}, {"variant_band", xb},
                                 {"baseline_minutes", b.nearest_site.valid() ? nlohmann::ordered_json(round_to(b.mean_minutes, 1)) : nullptr},
                                 {"variant_minutes", x.nearest_site.valid() ? nlohmann::ordered_json(round_to(x.mean_minutes, 1)) : nullptr}});
            }
            cj["communes_changing_band"] = moved;
            nlohmann::ordered_json effects = nlohmann::ordered_json::array();
            for (const auto& e : v.effects[k]) {
                const auto& c = v.sites.changes[e.change];
                nlohmann::ordered_json ej{{"change", e.change}, {"description", c.description}};
                const auto delta = figures_delta(e.before, e.after, bands);
                for (auto it = delta.begin(); it != delta.end(); ++it) ej[it.key()] = it.value();
                effects.push_back(ej);
            }
            cj["effect_of_each_change"] = effects;
            coverage.push_back(cj);
        }
        vj["coverage"] = coverage;
        nlohmann::ordered_json access = nlohmann::ordered_json::array();
        for (std::size_t k = 0; k < v.access.size(); ++k) {
            auto sb = access_summary(o.baseline.access[k]);
            auto sv = access_summary(v.access[k]);
            nlohmann::ordered_json aj;
            aj["category"] = v.access[k].category.key;
            aj["total_supply"] = triple(o.baseline.access[k].total_supply, v.access[k].total_supply, 2);
            nlohmann::ordered_json per = nlohmann::ordered_json::array();
            for (std::size_t x = 0; x < sb["variants"].size(); ++x)
                per.push_back({{"index", sb["variants"][x]["variant"]},
                               {"mean_per_100k", triple(sb["variants"][x]["mean_per_100k"].get<double>(),
                                                        sv["variants"][x]["mean_per_100k"].get<double>(), 2)},
                               {"min_per_100k", triple(sb["variants"][x]["min_per_100k"].get<double>(),
                                                       sv["variants"][x]["min_per_100k"].get<double>(), 2)}});
            aj["index"] = per;
            nlohmann::ordered_json communes = nlohmann::ordered_json::array();
            const auto& ab = o.baseline.access[k];
            const auto& av = v.access[k];
            for (std::size_t c = 0; c < t.communes.size(); ++c) {
                double b = ab.commune_access[0][c] * 1e5, x = av.commune_access[0][c] * 1e5;
                if (round_to(b, 2) == round_to(x, 2)) continue;
                communes.push_back({{"code", t.communes[c].code.str()}, {"nom", t.communes[c].name},
                                    {"access_per_100k", triple(b, x, 2)}});
            }
            aj["communes_changed"] = communes;
            access.push_back(aj);
        }
        vj["access"] = access;
        nlohmann::ordered_json rates = nlohmann::ordered_json::array();
        for (std::size_t k = 0; k < v.rates.size(); ++k) {
            nlohmann::ordered_json rows = nlohmann::ordered_json::array();
            const auto& rb = o.baseline.rates[k].table.rows;
            const auto& rv = v.rates[k].table.rows;
            for (std::size_t r = 0; r < rb.size(); ++r)
                rows.push_back({{"level", rb[r].level}, {"id", rb[r].id}, {"name", rb[r].name},
                                {"capacity", triple(rb[r].capacity, rv[r].capacity, 1)},
                                {"per_1000", triple(rb[r].per_1000, rv[r].per_1000, 3)}});
            rates.push_back({{"category", v.rates[k].category.key}, {"rows", rows}});
        }
        vj["rates"] = rates;
        variants.push_back(vj);
    }
    out["variants"] = variants;
    out["warnings"] = o.warnings;
    out["metadata"] = o.provenance.to_json();
    return out;
}

std::vector<std::vector<std::string>> scenario_comparison_rows(const ScenarioOutcome& o) {
    std::vector<std::vector<std::string>> rows;
    auto comparison = scenario_comparison(o);
    auto add = [&](const std::string& variant, const char* analysis, const std::string& category, const std::string& level,
                   const std::string& id, const std::string& name, const std::string& measure,
                   const nlohmann::ordered_json& t, int decimals) {
        rows.push_back({variant, analysis, category, level, id, name, measure,
                        csv_number(t["baseline"].get<double>(), decimals), csv_number(t["variant"].get<double>(), decimals),
                        csv_number(t["delta"].get<double>(), decimals)});
    };
    for (const auto& v : comparison["variants"]) {
        const std::string vid = v["variant"];
        for (const auto& c : v["coverage"]) {
            const std::string cat = c["category"];
            auto area = [&](const std::string& level, const nlohmann::ordered_json& a) {
                for (auto& [band, t] : a["population_within_minutes"].items())
                    add(vid, "coverage", cat, level, a["id"], a["name"], "population_within_" + band + "_min", t, 1);
                if (a.contains("population_beyond_gap"))
                    add(vid, "coverage", cat, level, a["id"], a["name"], "population_beyond_gap", a["population_beyond_gap"], 1);
                add(vid, "coverage", cat, level, a["id"], a["name"], "mean_minutes", a["mean_minutes"], 1);
            };
            area("departement", c["departement"]);
            for (const auto& a : c["territories"]) area("territory", a);
            for (const auto& a : c["epci"]) area("epci", a);
        }
        for (const auto& a : v["access"]) {
            for (const auto& x : a["index"])
                add(vid, "access", a["category"], "departement", "departement", "Département",
                    "mean_per_100k_" + x["index"].get<std::string>(), x["mean_per_100k"], 2);
            for (const auto& c : a["communes_changed"])
                add(vid, "access", a["category"], "commune", c["code"], c["nom"], "access_per_100k_all", c["access_per_100k"], 2);
        }
        for (const auto& r : v["rates"])
            for (const auto& row : r["rows"])
                add(vid, "rates", r["category"], row["level"], row["id"], row["name"], "per_1000", row["per_1000"], 3);
    }
    return rows;
}

void write_scenario_outputs(const fs::path& dir, const ScenarioOutcome& o,
                            const std::function<void(const fs::path&)>& before_commit) {
    const Workspace& ws = *o.workspace;
    // Everything computed first; then written into a staging directory swapped in at the end.
    auto comparison = scenario_comparison(o);
    auto rows = scenario_comparison_rows(o);
    nlohmann::ordered_json scenario;
    scenario["title"] = o.spec.title;
    scenario["question"] = o.spec.question;
    scenario["files"] = o.spec.extends_chain;
    scenario["notes"] = o.spec.notes;
    scenario["network"] = {{"spec", o.spec.network.spec}, {"profile", o.spec.network.profile},
                           {"travel_time_source", to_string(ws.network().info().source)}};
    nlohmann::ordered_json baseline_additions = nlohmann::ordered_json::array();
    for (const auto& a : o.baseline_additions) baseline_additions.push_back(a.spec->mark.str() + ": " + a.description);
    scenario["baseline_additions"] = baseline_additions;
    nlohmann::ordered_json variants = nlohmann::ordered_json::array();
    for (const auto& v : o.variants) variants.push_back({{"id", v.id}, {"title", v.title}, {"directory", v.id}});
    scenario["variants"] = variants;
    nlohmann::ordered_json optimisations = nlohmann::ordered_json::array();
    for (const auto& opt : o.optimisations) optimisations.push_back(optimise_summary(opt, ws.territory()));
    scenario["optimise"] = optimisations;
    scenario["outputs"] = {{"baseline", "baseline/"},
                           {"comparison", {"comparison.json", "comparison.csv"}},
                           {"per_analysis", "VARIANT/coverage/CATEGORY/, VARIANT/access/CATEGORY/, VARIANT/rates/CATEGORY/"}};
    scenario["warnings"] = o.warnings;
    scenario["metadata"] = o.provenance.to_json();

    StagedDirectory staged(dir);
    const fs::path root = staged.path();
    auto write_variant = [&](const VariantOutcome& v) {
        for (const auto& c : v.coverage)
            write_coverage_outputs(root / v.id / "coverage" / c.parameters.category.key, c.report(ws.territory()));
        for (const auto& a : v.access) write_access_outputs(root / v.id / "access" / a.category.key, a, ws.territory());
        for (const auto& r : v.rates) write_rate_outputs(root / v.id / "rates" / r.category.key, r);
    };
    write_variant(o.baseline);
    for (const auto& v : o.variants) write_variant(v);
    for (const auto& opt : o.optimisations) {
        Provenance p = o.provenance;
        p.set_parameter("optimise", {{"id", opt.spec.id}, {"problem", opt.spec.problem}, {"solver", opt.spec.solver},
                                     {"time_limit_s", opt.spec.time_limit_s}, {"answer_from", opt.answered_by}});
        write_optimise_outputs(root / "optimise" / opt.spec.id, opt, ws.territory(), p.to_json());
    }
    const std::string comparison_text = comparison.dump(2) + "\n";
    const std::string scenario_text = scenario.dump(2) + "\n";
    write_file_atomically(root / "comparison.json", [&](std::ostream& os) { os << comparison_text; });
    write_csv_with_provenance(root / "comparison.csv",
                              {"variant", "analysis", "category", "level", "id", "name", "measure", "baseline", "variant_value",
                               "delta"},
                              rows, o.provenance.to_json());
    write_file_atomically(root / "scenario.json", [&](std::ostream& os) { os << scenario_text; });
    if (before_commit) before_commit(root);
    staged.commit();
}

}  // namespace maillage
