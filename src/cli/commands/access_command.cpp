// `maillage access`: the APL-style E2SFCA index (GPs by default) with retirement
// variants, or with --rate the equipment rate per 1 000 inhabitants per EPCI / territory.
#include <cstdio>
#include <map>

#include "presets/vienne_preset.hpp"
#include "cli/commands.hpp"
#include "cli/common/csv_output.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/study_options.hpp"
#include "coverage/coverage.hpp"
#include "coverage/e2sfca.hpp"
#include "coverage/equipment_rate.hpp"
#include "output/geojson_writer.hpp"
#include "presets/vienne_preset.hpp"
#include "util/atomic_file.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

namespace {

class AccessCommand : public Command {
public:
    std::string name() const override { return "access"; }
    std::string description() const override {
        return "APL-style accessibility index (E2SFCA) with retirement variants, or equipment rates (--rate)";
    }
    void setup(CLI::App& app) override {
        study_.add_to(app);
        network_.add_to(app);
        app.add_option("--decay", decay_, "Step-decay table CSV max_minutes,weight (default geodata/e2sfca_decay.csv)");
        app.add_option("--max-ages", max_ages_, "Variants excluding practitioners older than these ages")->delimiter(',');
        app.add_option("--demand-weights", demand_weights_, "CSV code_insee,weight: age-standardised consumption per commune");
        app.add_flag("--rate", rate_, "Equipment rate per 1 000 inhabitants of --target per EPCI and territory");
        app.add_option("--target", target_, "Target group label for --rate (e.g. 75+)");
        app.add_option("--target-population", target_population_, "CSV code_insee,population of the target group");
        app.add_option("-o,--output", output_, "Output directory")->required();
    }
    void validate() override {
        if (study_.sites_category.empty()) study_.sites_category = rate_ ? "" : "gp";
        if (study_.sites_category.empty()) throw UsageError("access --rate: --category is required");
        for (int a : max_ages_)
            if (a <= 0 || a > 120) throw UsageError("--max-ages: " + std::to_string(a) + " is not an age");
    }
    int run() override {
        Study study = load_study(study_);
        const auto& cat = study.services.catalogue.require(study_.sites_category, study.services.catalogue.file(), "", "--category");
        auto sites = study.services.set.in_category(cat.key);
        Provenance prov = study.provenance();
        prov.set_parameter("category", cat.key);
        return rate_ ? run_rate(study, cat, sites, prov) : run_index(study, cat, sites, prov);
    }

private:
    std::map<std::string, double> read_commune_values(const std::string& path, const char* value_column) {
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

    int run_rate(const Study& study, const ServiceCategory& cat, const std::vector<const ServiceSite*>& sites, Provenance& prov) {
        std::map<std::string, double> target;
        if (!target_population_.empty()) {
            target = read_commune_values(target_population_, "population");
            prov.add_input("target_population", target_population_);
        }
        std::string label = target_.empty() ? cat.target_population : target_;
        RateTable table = equipment_rates(study.territory, sites, target, label);
        prov.set_parameter("rate", {{"capacity", table.capacity_measure}, {"denominator", table.denominator}});
        std::vector<CsvRow> rows;
        for (const auto& r : table.rows)
            rows.push_back({r.level, r.id, r.name, std::to_string(r.sites), csv_number(r.capacity, 1),
                            csv_number(r.target_population, 0), csv_number(r.per_1000, 3)});
        nlohmann::ordered_json summary;
        summary["category"] = cat.key;
        summary["capacity_measure"] = table.capacity_measure;
        summary["denominator"] = table.denominator;
        if (table.capacity_measure != "places")
            summary["warning"] = "BPE counts establishments, not places: the rate is establishments per 1 000 inhabitants.";
        summary["metadata"] = prov.to_json();
        std::string text = summary.dump(2) + "\n";
        write_csv_with_provenance(std::filesystem::path(output_) / "rates.csv",
                                  {"level", "id", "name", "sites", "capacity", "target_population", "per_1000"}, rows, prov);
        write_file_atomically(std::filesystem::path(output_) / "summary.json", [&](std::ostream& os) { os << text; });
        for (const auto& r : table.rows)
            std::printf("%-11s %-55s %8.1f / %9.0f = %7.3f per 1000\n", r.level.c_str(), r.name.c_str(), r.capacity,
                        r.target_population, r.per_1000);
        return 0;
    }

    int run_index(const Study& study, const ServiceCategory& cat, const std::vector<const ServiceSite*>& sites_in,
                  Provenance& prov) {
        auto geodata = presets::resolve_geodata_dir(study_.geodata);
        std::string decay_path = decay_.empty() ? (geodata / "e2sfca_decay.csv").string() : decay_;
        DecayTable decay = DecayTable::load(decay_path);
        prov.add_input("decay", decay_path);
        TravelNetwork net = network_.open(&study.territory, study_.geodata, prov);
        auto demand = build_demand(study.territory, {});
        E2sfcaOptions base;
        if (!demand_weights_.empty()) {
            auto w = read_commune_values(demand_weights_, "weight");
            for (const auto& u : demand) base.demand_weights.push_back(w.count(u.commune_code) ? w[u.commune_code] : 1.0);
            prov.add_input("demand_weights", demand_weights_);
        }
        CoverageResult attached = compute_coverage(net, {}, sites_in);  // sorted sites, attached once
        std::vector<std::pair<std::string, E2sfcaResult>> variants;
        variants.emplace_back("all", compute_e2sfca(net, demand, attached.sites, decay, base));
        for (int age : max_ages_) {
            E2sfcaOptions o = base;
            o.max_practitioner_age = age;
            variants.emplace_back("age_max_" + std::to_string(age),
                                  compute_e2sfca(net, demand, attached.sites, decay, o));
        }
        nlohmann::json steps = nlohmann::json::array();
        for (const auto& s : decay.steps()) steps.push_back({{"max_minutes", s.max_minutes}, {"weight", s.weight}});
        prov.set_parameter("decay", steps);
        prov.set_parameter("variants_max_age", max_ages_);
        nlohmann::json metadata = prov.to_json();

        // Per commune: units are communes by default, so A_i is the commune's value.
        FeatureLayer layer{"access_communes", {}};
        std::vector<CsvRow> rows;
        double total_supply = 0;
        for (double s : variants[0].second.site_supply) total_supply += s;
        for (std::size_t i = 0; i < demand.size(); ++i) {
            auto idx = study.territory.find_commune(demand[i].commune_code);
            const Commune& c = study.territory.communes[*idx];
            Feature f;
            f.geometry.reset(c.geometry->clone());
            f.properties["code"] = c.code.str();
            f.properties["nom"] = c.name;
            f.properties["population"] = demand[i].population;
            CsvRow row{c.code.str(), c.name, csv_number(demand[i].population, 0)};
            for (const auto& [name, v] : variants) {
                double per100k = round_to(v.unit_access[i] * 100000.0, 2);
                f.properties["access_per_100k_" + name] = per100k;
                row.push_back(csv_number(per100k, 2));
            }
            f.properties["travel_time_source"] = to_string(net.info().source);
            row.push_back(to_string(net.info().source));
            layer.features.push_back(std::move(f));
            rows.push_back(std::move(row));
        }
        CsvRow header{"code", "nom", "population"};
        for (const auto& [name, v] : variants) header.push_back("access_per_100k_" + name);
        header.push_back("travel_time_source");

        nlohmann::ordered_json summary;
        summary["category"] = cat.key;
        summary["index"] = "E2SFCA (APL style): supply per 100 000 inhabitants within the decay bands";
        summary["supply_measure"] = "FTE when given, else equipment count (BPE: practitioners counted per commune)";
        summary["travel_time_source"] = to_string(net.info().source);
        summary["sites"] = attached.sites.size();
        summary["total_supply"] = round_to(total_supply, 2);
        nlohmann::ordered_json vs = nlohmann::ordered_json::array();
        for (const auto& [name, v] : variants) {
            double weighted = 0, pop = 0, lo = 1e18, hi = 0;
            for (std::size_t i = 0; i < demand.size(); ++i) {
                weighted += demand[i].population * v.unit_access[i];
                pop += demand[i].population;
                lo = std::min(lo, v.unit_access[i] * 1e5);
                hi = std::max(hi, v.unit_access[i] * 1e5);
            }
            vs.push_back({{"variant", name},
                          {"mean_per_100k", round_to(pop > 0 ? weighted / pop * 1e5 : 0, 2)},
                          {"min_per_100k", round_to(demand.empty() ? 0 : lo, 2)},
                          {"max_per_100k", round_to(hi, 2)},
                          {"sites_excluded_by_age", v.sites_excluded_by_age},
                          {"sites_without_age", v.sites_without_age}});
        }
        summary["variants"] = vs;
        if (!max_ages_.empty() && variants.size() > 1 && variants[1].second.sites_without_age == attached.sites.size())
            summary["warning"] = "no practitioner age in the input: the retirement variants equal the base index";
        if (sites_in.empty()) summary["warning"] = "no site of category '" + cat.key + "': the index is 0 everywhere";
        summary["metadata"] = metadata;
        std::string text = summary.dump(2) + "\n";
        std::filesystem::path dir(output_);
        write_geojson(dir / "access_communes.geojson", layer, metadata);
        write_csv_with_provenance(dir / "access.csv", header, rows, prov);
        write_file_atomically(dir / "summary.json", [&](std::ostream& os) { os << text; });
        std::printf("%s: %zu sites, supply %.1f; mean access %.1f per 100 000 inhabitants (travel times %s)\n",
                    cat.label_fr.c_str(), attached.sites.size(), total_supply, vs[0]["mean_per_100k"].get<double>(),
                    to_string(net.info().source));
        return 0;
    }

    StudyOptions study_;
    NetworkCliOptions network_;
    std::string decay_, demand_weights_, target_, target_population_, output_;
    std::vector<int> max_ages_;
    bool rate_ = false;
};

}  // namespace

std::unique_ptr<Command> make_access_command() { return std::make_unique<AccessCommand>(); }

}  // namespace maillage::cli
