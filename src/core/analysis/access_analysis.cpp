#include "analysis/access_analysis.hpp"

#include <algorithm>
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

AccessAnalysis run_access(const Workspace& ws, const AccessParameters& p, const std::vector<const ServiceSite*>& all_sites,
                          Provenance prov) {
    AccessAnalysis a;
    // BPE counts of neighbouring communes: left out of the index (service.hpp, is_neighbour_count).
    const std::vector<const ServiceSite*> sites = without_neighbour_counts(all_sites);
    a.category = ws.catalogue().require(p.category, ws.catalogue().file(), "", "category");
    const auto decay_path = p.decay.empty() ? ws.geodata_dir() / "e2sfca_decay.csv" : p.decay;
    DecayTable decay = DecayTable::load(decay_path);
    prov.add_input("decay", decay_path);
    const auto& demand = ws.demand();
    E2sfcaOptions base;
    std::vector<std::string> input_warnings;
    if (!p.demand_weights.empty()) {
        auto w = read_commune_values(p.demand_weights, "weight");
        for (const auto& u : demand) base.demand_weights.push_back(w.count(u.commune_code) ? w[u.commune_code] : 1.0);
        prov.add_input("demand_weights", p.demand_weights);
        const CodeMatch m = match_codes(w, ws.territory());
        const std::string file = p.demand_weights.string();
        if (!m.unknown.empty())
            input_warnings.push_back(file + ": " + std::to_string(m.unknown.size()) + " of its " +
                                     std::to_string(w.size()) + " codes are no commune of the study and are ignored (" +
                                     examples(m.unknown) + ")");
        if (!m.missing.empty())
            input_warnings.push_back(file + ": " + std::to_string(m.missing.size()) +
                                     " communes of the study have no weight: weight 1 used (" + examples(m.missing) + ")");
    }
    Diagnostics diagnostics;
    AttachedSites attached = attach_sites(ws.network(), sites, diagnostics);
    a.variants.push_back({"all", compute_e2sfca(ws.network(), demand, attached, decay, base)});
    for (int age : p.max_ages) {
        E2sfcaOptions o = base;
        o.max_practitioner_age = age;
        a.variants.push_back({"age_max_" + std::to_string(age), compute_e2sfca(ws.network(), demand, attached, decay, o)});
    }
    a.sites = attached.size();
    for (double s : a.variants[0].result.site_supply) a.total_supply += s;
    a.travel_time_source = to_string(ws.network().info().source);

    // Per commune: the population-weighted mean of its demand units.
    const auto& communes = ws.territory().communes;
    a.commune_population.assign(communes.size(), 0.0);
    a.commune_access.assign(a.variants.size(), std::vector<double>(communes.size(), 0.0));
    for (std::size_t i = 0; i < demand.size(); ++i) {
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
    if (sites.size() < all_sites.size())
        a.warnings.push_back(std::to_string(all_sites.size() - sites.size()) +
                             " BPE counts of neighbouring communes are left out of the access index: the demand of "
                             "neighbouring communes is not counted yet, their supply alone would overstate border "
                             "communes");
    for (const auto& w : input_warnings) a.warnings.push_back(w);
    for (const auto& w : ws.warnings()) a.warnings.push_back(w);
    for (const auto& w : diagnostics.warnings()) a.warnings.push_back(w.text());
    if (!a.warnings.empty()) prov.set_parameter("warnings", a.warnings);

    nlohmann::json steps = nlohmann::json::array();
    for (const auto& s : decay.steps()) steps.push_back({{"max_minutes", s.max_minutes}, {"weight", s.weight}});
    prov.set_parameter("category", a.category.key);
    prov.set_parameter("decay", steps);
    prov.set_parameter("variants_max_age", p.max_ages);
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
