#include "analysis/access_analysis.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "output/csv_writer.hpp"
#include "output/feature.hpp"
#include "output/geojson_writer.hpp"
#include "util/atomic_file.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

std::map<std::string, double> read_commune_values(const std::filesystem::path& path, const char* value_column) {
    std::map<std::string, double> out;
    CsvTable t = CsvTable::read(path);
    auto code = t.require_column({"code_insee", "code"});
    auto value = t.require_column({value_column});
    for (const auto& row : t.rows()) {
        double v = parse_number(row.cells[value], t.file(), row.line, value_column);
        if (v < 0) throw InputError({t.file(), "line " + std::to_string(row.line), value_column}, "negative value", ">= 0");
        out[row.cells[code]] = v;
    }
    return out;
}

namespace {

// "86001, 86002, 86003 and 4 more".
std::string examples(const std::vector<std::string>& codes) {
    std::string out;
    for (std::size_t i = 0; i < codes.size() && i < 5; ++i) out += (i ? ", " : "") + codes[i];
    if (codes.size() > 5) out += " and " + std::to_string(codes.size() - 5) + " more";
    return out;
}

// Codes of a code_insee → value file that are no commune of the study, and communes of the
// study the file does not give.
struct CodeMatch {
    std::vector<std::string> unknown, missing;
};
CodeMatch match_codes(const std::map<std::string, double>& values, const Territory& territory) {
    CodeMatch m;
    std::set<std::string> study;
    for (const auto& c : territory.communes) {
        study.insert(c.code.str());
        if (!values.count(c.code.str())) m.missing.push_back(c.code.str());
    }
    for (const auto& [code, v] : values)
        if (!study.count(code)) m.unknown.push_back(code);
    return m;
}

}  // namespace

AccessDemand access_demand(const Workspace& ws, const std::vector<const ServiceSite*>& all_sites) {
    AccessDemand d;
    d.units = ws.demand();
    d.attachments = ws.demand_attachments();
    d.study_units = d.units.size();
    const NeighbourDemand& beyond = ws.study().services.neighbour_demand;
    std::size_t neighbour_counts = 0;
    for (const auto* s : all_sites) neighbour_counts += is_neighbour_count(*s) ? 1 : 0;
    if (beyond.counted()) {
        d.sites = all_sites;
        Diagnostics diagnostics;
        const std::vector<DemandUnit> units = demand_beyond_edge(beyond.communes);
        const auto attachments = attach_demand(ws.network(), units, diagnostics);
        std::size_t unattached = 0;
        long long people_unattached = 0;
        for (std::size_t i = 0; i < units.size(); ++i) {
            if (!attachments[i]) {
                ++unattached;
                people_unattached += static_cast<long long>(units[i].population);
                continue;
            }
            d.units.push_back(units[i]);
            d.attachments.push_back(attachments[i]);
            d.demand_beyond_study_area += static_cast<long long>(units[i].population);
        }
        for (const auto& w : diagnostics.warnings()) d.warnings.push_back("beyond the study area: " + w.text());
        if (unattached > 0)
            d.warnings.push_back(std::to_string(unattached) + " neighbouring communes (" +
                                 std::to_string(people_unattached) +
                                 " inhabitants) are too far from the network: not counted in the access index");
        if (beyond.communes.empty() && beyond.without_population.empty())
            d.warnings.push_back("a population of neighbouring communes was given (" + beyond.files_read.front() +
                                 ") but no neighbouring commune lies within the margin (--neighbour-communes, "
                                 "--margin-km): no demand beyond the study area is counted");
        if (!beyond.without_population.empty())
            d.warnings.push_back(std::to_string(beyond.without_population.size()) +
                                 " neighbouring communes within the margin have no population in " +
                                 beyond.files_read.front() + (beyond.files_read.size() > 1 ? " and the other files" : "") +
                                 ": their inhabitants are not counted in the access index (" +
                                 examples(beyond.without_population) + ")");
    } else {
        d.sites = without_neighbour_counts(all_sites);
        d.neighbour_counts_left_out = neighbour_counts;
    }
    for (const auto* s : d.sites) d.sites_beyond_study_area += s->in_study_area ? 0 : 1;
    if (!beyond.counted() && (neighbour_counts > 0 || d.sites_beyond_study_area > 0)) {
        std::string why = "no population of neighbouring communes was given (--neighbour-population)";
        if (!beyond.missing_files.empty())
            why = "the population of neighbouring communes was not found (" + beyond.missing_files.front() +
                  (beyond.missing_files.size() > 1 ? " and " + std::to_string(beyond.missing_files.size() - 1) + " more"
                                                   : "") +
                  ")";
        if (neighbour_counts > 0)
            d.warnings.push_back(std::to_string(neighbour_counts) +
                                 " BPE counts of neighbouring communes are left out of the access index: " + why +
                                 ", and their supply shared by the study's population alone would overstate border "
                                 "communes; the edge effect is not corrected");
        // Sites at their address beyond the edge (France Services, a sites file) were always
        // counted: without the demand around them they favour border communes.
        if (d.sites_beyond_study_area > 0)
            d.warnings.push_back(std::to_string(d.sites_beyond_study_area) +
                                 " sites beyond the study area are counted in the access index without the inhabitants "
                                 "of the neighbouring communes (" + why +
                                 "): border communes look better served than they are; the edge effect is not "
                                 "corrected");
    }
    return d;
}

AccessAnalysis run_access(const Workspace& ws, const AccessParameters& p, const std::vector<const ServiceSite*>& all_sites,
                          Provenance prov) {
    AccessAnalysis a;
    const AccessDemand inputs = access_demand(ws, all_sites);
    const std::vector<const ServiceSite*>& sites = inputs.sites;
    a.category = ws.catalogue().require(p.category, ws.catalogue().file(), "", "category");
    const auto decay_path = p.decay.empty() ? ws.geodata_dir() / "e2sfca_decay.csv" : p.decay;
    DecayTable decay = DecayTable::load(decay_path);
    prov.add_input("decay", decay_path);
    const auto& demand = inputs.units;
    E2sfcaOptions base;
    std::vector<std::string> input_warnings;
    if (!p.demand_weights.empty()) {
        auto w = read_commune_values(p.demand_weights, "weight");
        // The weights of a national file apply beyond the edge too; a commune without one weighs 1.
        std::size_t beyond_without = 0;
        for (std::size_t i = 0; i < demand.size(); ++i) {
            const bool given = w.count(demand[i].commune_code) > 0;
            base.demand_weights.push_back(given ? w[demand[i].commune_code] : 1.0);
            if (i >= inputs.study_units && !given) ++beyond_without;
        }
        prov.add_input("demand_weights", p.demand_weights);
        CodeMatch m = match_codes(w, ws.territory());
        std::set<std::string> beyond;
        for (std::size_t i = inputs.study_units; i < demand.size(); ++i) beyond.insert(demand[i].commune_code);
        std::erase_if(m.unknown, [&](const std::string& code) { return beyond.count(code) > 0; });
        const std::string file = p.demand_weights.string();
        if (!m.unknown.empty())
            input_warnings.push_back(file + ": " + std::to_string(m.unknown.size()) + " of its " +
                                     std::to_string(w.size()) + " codes are no commune of the study and are ignored (" +
                                     examples(m.unknown) + ")");
        if (!m.missing.empty())
            input_warnings.push_back(file + ": " + std::to_string(m.missing.size()) +
                                     " communes of the study have no weight: weight 1 used (" + examples(m.missing) + ")");
        if (beyond_without > 0)
            input_warnings.push_back(file + ": " + std::to_string(beyond_without) +
                                     " neighbouring communes counted as demand have no weight: weight 1 used");
    }
    Diagnostics diagnostics;
    AttachedSites attached = attach_sites(ws.network(), sites, diagnostics);
    std::string reach_warning;
    a.variants.push_back({"all", compute_e2sfca(ws.network(), demand, attached, decay, base)});
    for (int age : p.max_ages) {
        E2sfcaOptions o = base;
        o.max_practitioner_age = age;
        a.variants.push_back({"age_max_" + std::to_string(age), compute_e2sfca(ws.network(), demand, attached, decay, o)});
    }
    a.sites = attached.size();
    for (double s : a.variants[0].result.site_supply) a.total_supply += s;
    a.travel_time_source = to_string(ws.network().info().source);
    a.sites_beyond_study_area = inputs.sites_beyond_study_area;
    a.neighbour_counts_left_out = inputs.neighbour_counts_left_out;
    a.neighbour_communes_in_demand = demand.size() - inputs.study_units;
    a.demand_beyond_study_area = inputs.demand_beyond_study_area;
    {
        const auto& r = a.variants[0].result;
        std::size_t beyond = 0;
        for (std::size_t j = 0; j < r.site_supply.size(); ++j)
            if (r.site_supply[j] > 0 && r.site_ratio[j] == 0) {  // R_j = S_j / weighted demand: 0 only without demand
                ++a.sites_reaching_no_demand;
                a.supply_reaching_no_demand += r.site_supply[j];
                beyond += attached.sites()[j]->in_study_area ? 0 : 1;
            }
        if (a.sites_reaching_no_demand > 0) {
            char text[160];
            std::snprintf(text, sizeof text, "%zu sites (supply %.1f, %zu of them beyond the study area)",
                          a.sites_reaching_no_demand, a.supply_reaching_no_demand, beyond);
            reach_warning = std::string(text) + " reach no inhabitant within " +
                            std::to_string(static_cast<int>(decay.max_minutes())) +
                            " min on this network: their supply counts for nobody in the index";
        }
    }
    // unit_access already holds the demand weight (A_i = w_i Σ_j R_j W_ij): Σ P·A is the supply given.
    for (std::size_t i = inputs.study_units; i < demand.size(); ++i)
        a.supply_to_demand_beyond_study_area += demand[i].population * a.variants[0].result.unit_access[i];

    // Per commune of the study: the population-weighted mean of its demand units (the units
    // beyond the edge only compete for the supply; they get no row).
    const auto& communes = ws.territory().communes;
    a.commune_population.assign(communes.size(), 0.0);
    a.commune_access.assign(a.variants.size(), std::vector<double>(communes.size(), 0.0));
    for (std::size_t i = 0; i < inputs.study_units; ++i) {
        auto c = ws.territory().find_commune(demand[i].commune_code);
        if (!c) continue;
        a.commune_population[*c] += demand[i].population;
        for (std::size_t v = 0; v < a.variants.size(); ++v)
            a.commune_access[v][*c] += demand[i].population * a.variants[v].result.unit_access[i];
    }
    for (std::size_t c = 0; c < communes.size(); ++c)
        for (auto& per_variant : a.commune_access)
            per_variant[c] = a.commune_population[c] > 0 ? per_variant[c] / a.commune_population[c] : 0.0;

    if (!p.max_ages.empty() && a.variants.size() > 1 && a.variants[1].result.sites_without_age == a.sites)
        a.warnings.push_back("no practitioner age in the input: the retirement variants equal the base index");
    if (sites.empty()) a.warnings.push_back("no site of category '" + a.category.key + "': the index is 0 everywhere");
    for (const auto& w : inputs.warnings) a.warnings.push_back(w);
    if (!reach_warning.empty()) a.warnings.push_back(reach_warning);
    for (const auto& w : input_warnings) a.warnings.push_back(w);
    for (const auto& w : ws.warnings()) a.warnings.push_back(w);
    for (const auto& w : diagnostics.warnings()) a.warnings.push_back(w.text());
    if (!a.warnings.empty()) prov.set_parameter("warnings", a.warnings);

    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : decay.steps()) steps.push_back({{"max_minutes", s.max_minutes}, {"weight", s.weight}});
    prov.set_parameter("category", a.category.key);
    prov.set_parameter("decay", steps);
    prov.set_parameter("variants_max_age", p.max_ages);
    prov.set_parameter("beyond_study_area", {{"sites", a.sites_beyond_study_area},
                                             {"neighbour_counts_left_out", a.neighbour_counts_left_out},
                                             {"neighbour_communes_in_demand", a.neighbour_communes_in_demand},
                                             {"demand", a.demand_beyond_study_area}});
    a.metadata = prov.to_json();
    return a;
}

nlohmann::ordered_json access_summary(const AccessAnalysis& a) {
    nlohmann::ordered_json summary;
    summary["category"] = a.category.key;
    summary["index"] = "E2SFCA (APL style): supply per 100 000 inhabitants within the decay bands";
    summary["supply_measure"] = "FTE when given, else equipment count (BPE: practitioners counted per commune)";
    summary["travel_time_source"] = a.travel_time_source;
    summary["sites"] = a.sites;
    summary["total_supply"] = round_to(a.total_supply, 2);
    // Beyond the study's edge: what came in (sites, inhabitants competing for them) and the part
    // of the supply the index gives those inhabitants.
    summary["sites_beyond_study_area"] = a.sites_beyond_study_area;
    summary["neighbour_counts_left_out"] = a.neighbour_counts_left_out;
    summary["neighbour_communes_in_demand"] = a.neighbour_communes_in_demand;
    summary["demand_beyond_study_area"] = a.demand_beyond_study_area;
    summary["supply_to_demand_beyond_study_area"] = round_to(a.supply_to_demand_beyond_study_area, 2);
    summary["sites_reaching_no_demand"] = a.sites_reaching_no_demand;
    summary["supply_reaching_no_demand"] = round_to(a.supply_reaching_no_demand, 2);
    nlohmann::ordered_json vs = nlohmann::ordered_json::array();
    for (std::size_t v = 0; v < a.variants.size(); ++v) {
        double weighted = 0, pop = 0, lo = 0, hi = 0;
        bool any = false;
        for (std::size_t c = 0; c < a.commune_population.size(); ++c) {
            if (a.commune_population[c] <= 0) continue;
            double x = a.commune_access[v][c] * 1e5;
            weighted += a.commune_population[c] * x;
            pop += a.commune_population[c];
            lo = any ? std::min(lo, x) : x;
            hi = any ? std::max(hi, x) : x;
            any = true;
        }
        const auto& r = a.variants[v].result;
        vs.push_back({{"variant", a.variants[v].name},
                      {"mean_per_100k", round_to(pop > 0 ? weighted / pop : 0, 2)},
                      {"min_per_100k", round_to(lo, 2)},
                      {"max_per_100k", round_to(hi, 2)},
                      {"sites_excluded_by_age", r.sites_excluded_by_age},
                      {"sites_without_age", r.sites_without_age}});
    }
    summary["variants"] = vs;
    summary["warnings"] = a.warnings;
    summary["metadata"] = a.metadata;
    return summary;
}

void write_access_outputs(const std::filesystem::path& dir, const AccessAnalysis& a, const Territory& territory) {
    FeatureLayer layer{"access_communes", {}};
    std::vector<CsvRow> rows;
    for (std::size_t c = 0; c < territory.communes.size(); ++c) {
        const Commune& commune = territory.communes[c];
        Feature f;
        f.geometry.reset(commune.geometry->clone());
        f.properties["code"] = commune.code.str();
        f.properties["nom"] = commune.name;
        f.properties["population"] = a.commune_population[c];
        CsvRow row{commune.code.str(), commune.name, csv_number(a.commune_population[c], 0)};
        for (std::size_t v = 0; v < a.variants.size(); ++v) {
            double per100k = round_to(a.commune_access[v][c] * 100000.0, 2);
            f.properties["access_per_100k_" + a.variants[v].name] = per100k;
            row.push_back(csv_number(per100k, 2));
        }
        f.properties["travel_time_source"] = a.travel_time_source;
        row.push_back(a.travel_time_source);
        layer.features.push_back(std::move(f));
        rows.push_back(std::move(row));
    }
    CsvRow header{"code", "nom", "population"};
    for (const auto& v : a.variants) header.push_back("access_per_100k_" + v.name);
    header.push_back("travel_time_source");
    std::string text = access_summary(a).dump(2) + "\n";
    write_geojson(dir / "access_communes.geojson", layer, a.metadata);
    write_csv_with_provenance(dir / "access.csv", header, rows, a.metadata);
    write_file_atomically(dir / "summary.json", [&](std::ostream& os) { os << text; });
}

RateAnalysis run_rates(const Study& study, const RateParameters& p, const std::vector<const ServiceSite*>& sites,
                       Provenance prov) {
    RateAnalysis a;
    const auto& catalogue = study.services.catalogue;
    a.category = catalogue.require(p.category, catalogue.file(), "", "category");
    std::map<std::string, double> target;
    std::vector<std::string> input_warnings;
    if (!p.target_population.empty()) {
        target = read_commune_values(p.target_population, "population");
        prov.add_input("target_population", p.target_population);
        const CodeMatch m = match_codes(target, study.territory);
        const std::string file = p.target_population.string();
        if (target.empty())
            input_warnings.push_back(file + ": no row: every target population is 0, so every rate is 0");
        else if (m.unknown.size() == target.size())
            input_warnings.push_back(file + ": none of its " + std::to_string(target.size()) +
                                     " codes is a commune of the study (" + examples(m.unknown) +
                                     "): every target population is 0, so every rate is 0");
        else {
            if (!m.unknown.empty())
                input_warnings.push_back(file + ": " + std::to_string(m.unknown.size()) + " of its " +
                                         std::to_string(target.size()) +
                                         " codes are no commune of the study and are not counted (" +
                                         examples(m.unknown) + ")");
            if (!m.missing.empty())
                input_warnings.push_back(file + ": " + std::to_string(m.missing.size()) +
                                         " communes of the study have no row: their target population is 0 (" +
                                         examples(m.missing) + ")");
        }
    }
    std::string label = p.target.empty() ? a.category.target_population : p.target;
    a.table = equipment_rates(study.territory, sites, target, label);
    if (a.table.capacity_measure != "places")
        a.warnings.push_back("BPE counts establishments, not places: the rate is establishments per 1 000 inhabitants.");
    if (sites.empty()) a.warnings.push_back("no site of category '" + a.category.key + "': every rate is 0");
    for (const auto& w : input_warnings) a.warnings.push_back(w);
    for (const auto& w : study.warnings()) a.warnings.push_back(w);
    if (!a.warnings.empty()) prov.set_parameter("warnings", a.warnings);
    prov.set_parameter("category", a.category.key);
    prov.set_parameter("rate", {{"capacity", a.table.capacity_measure}, {"denominator", a.table.denominator}});
    a.metadata = prov.to_json();
    return a;
}

nlohmann::ordered_json rate_summary(const RateAnalysis& a) {
    nlohmann::ordered_json summary;
    summary["category"] = a.category.key;
    summary["capacity_measure"] = a.table.capacity_measure;
    summary["denominator"] = a.table.denominator;
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& r : a.table.rows)
        rows.push_back({{"level", r.level}, {"id", r.id}, {"name", r.name}, {"sites", r.sites},
                        {"capacity", round_to(r.capacity, 1)}, {"target_population", round_to(r.target_population, 0)},
                        {"per_1000", round_to(r.per_1000, 3)}});
    summary["rates"] = rows;
    summary["warnings"] = a.warnings;
    summary["metadata"] = a.metadata;
    return summary;
}

void write_rate_outputs(const std::filesystem::path& dir, const RateAnalysis& a) {
    std::vector<CsvRow> rows;
    for (const auto& r : a.table.rows)
        rows.push_back({r.level, r.id, r.name, std::to_string(r.sites), csv_number(r.capacity, 1),
                        csv_number(r.target_population, 0), csv_number(r.per_1000, 3)});
    std::string text = rate_summary(a).dump(2) + "\n";
    write_csv_with_provenance(dir / "rates.csv",
                              {"level", "id", "name", "sites", "capacity", "target_population", "per_1000"}, rows,
                              a.metadata);
    write_file_atomically(dir / "summary.json", [&](std::ostream& os) { os << text; });
}

}  // namespace maillage
