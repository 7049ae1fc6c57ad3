// `maillage info`: what was loaded — layers, population per EPCI and territory,
// services per category, the travel network (--network, estimated by default), warnings —
// as text, or JSON for machines.
#include <cstdio>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/study_options.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

namespace {

nlohmann::ordered_json area_json(const std::vector<Area>& areas) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& a : areas)
        out.push_back({{"id", a.id}, {"name", a.name}, {"communes", a.communes.size()}, {"population", a.population}});
    return out;
}

nlohmann::ordered_json build_report(const Study& s, const TravelNetwork& net, const Provenance& network_provenance) {
    const Territory& t = s.territory;
    nlohmann::ordered_json j;
    j["tool"] = tool_version();
    j["travel_time_source"] = to_string(net.info().source);
    const auto& network = network_provenance.parameters().at("network");
    j["network"] = {{"spec", network.at("spec")},
                    {"description", net.info().description},
                    {"profile", net.info().profile},
                    {"estimated", net.info().is_estimate()},
                    {"nodes", net.graph().node_count()},
                    {"edges", net.graph().edge_count()},
                    {"graph", network.at("graph")}};
    if (!net.info().travel_time_uncertainty.empty())
        j["network"]["travel_time_uncertainty"] = net.info().travel_time_uncertainty;
    j["communes"] = {{"count", t.communes.size()}, {"population", t.total_population()}};
    j["epci"] = area_json(t.epcis);
    j["territories"] = area_json(t.territories);

    struct Count {
        std::size_t sites = 0;
        double equipment = 0;
        std::size_t in_study_area = 0;
        std::size_t commune_precision = 0;
    };
    std::map<std::string, Count> by_category;
    for (const auto& site : s.services.set.sites) {
        Count& c = by_category[site.category];
        ++c.sites;
        c.equipment += site.count;
        if (site.in_study_area) ++c.in_study_area;
        if (site.precision == LocationPrecision::commune) ++c.commune_precision;
    }
    nlohmann::ordered_json services = nlohmann::ordered_json::array();
    for (const auto& cat : s.services.catalogue.categories()) {
        auto it = by_category.find(cat.key);
        if (it == by_category.end()) continue;
        const Count& c = it->second;
        services.push_back({{"category", cat.key},
                            {"label", cat.label_fr},
                            {"sites", c.sites},
                            {"equipment_count", static_cast<long long>(c.equipment)},
                            {"in_study_area", c.sites ? c.in_study_area : 0},
                            {"outside_within_margin", c.sites - c.in_study_area},
                            {"location_precision", c.commune_precision == c.sites ? "commune" : "exact"}});
    }
    j["services"] = services;
    j["bpe"] = {{"rows_in_study_area", s.services.bpe.rows_in_study_area},
                {"rows_outside", s.services.bpe.rows_outside},
                {"rows_mapped_from_former_codes", s.services.bpe.rows_mapped_from_old_code},
                {"rows_in_neighbouring_communes", s.services.bpe.rows_neighbours},
                {"rows_beyond_margin", s.services.bpe.rows_beyond_margin},
                {"rows_unplaced", s.services.bpe.rows_unplaced},
                {"equipments_unplaced", s.services.bpe.equipments_unplaced}};
    nlohmann::ordered_json warnings = nlohmann::ordered_json::array();
    for (const auto& d : {&t.diagnostics, &s.services.set.diagnostics, &net.info().diagnostics})
        for (const auto& w : d->warnings()) warnings.push_back(w.text());
    j["warnings"] = warnings;
    nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
    for (const auto* p : {&t.provenance, &s.services.set.provenance, &network_provenance})
        for (const auto& r : p->inputs()) inputs.push_back({{"role", r.role}, {"path", r.path}, {"sha256", r.sha256}});
    j["inputs"] = inputs;
    return j;
}

void print_text(const nlohmann::ordered_json& j, std::ostream& os) {
    char buf[256];
    os << "maillage info — " << j["tool"].get<std::string>() << "\n\n";
    os << "Communes: " << j["communes"]["count"] << ", population " << j["communes"]["population"] << "\n";
    for (const char* key : {"epci", "territories"}) {
        os << (std::string(key) == "epci" ? "EPCI" : "Territoires des solidarités") << ": " << j[key].size() << "\n";
        for (const auto& a : j[key]) {
            std::snprintf(buf, sizeof buf, "  %-18s %-55s %4zu communes %8lld hab.\n",
                          a["id"].get<std::string>().c_str(), a["name"].get<std::string>().c_str(),
                          a["communes"].get<std::size_t>(), a["population"].get<long long>());
            os << buf;
        }
    }
    os << "Services:\n";
    for (const auto& s : j["services"]) {
        std::snprintf(buf, sizeof buf, "  %-28s %5zu sites (%zu in the study area, %zu within the margin), %lld equipments, location %s\n",
                      s["category"].get<std::string>().c_str(), s["sites"].get<std::size_t>(),
                      s["in_study_area"].get<std::size_t>(), s["outside_within_margin"].get<std::size_t>(),
                      s["equipment_count"].get<long long>(), s["location_precision"].get<std::string>().c_str());
        os << buf;
    }
    const auto& net = j["network"];
    std::snprintf(buf, sizeof buf, "Travel network (%s): %s\n  %zu nodes, %zu edges, travel_time_source \"%s\"\n",
                  net["spec"].get<std::string>().c_str(), net["description"].get<std::string>().c_str(),
                  net["nodes"].get<std::size_t>(), net["edges"].get<std::size_t>(),
                  j["travel_time_source"].get<std::string>().c_str());
    os << buf;
    if (net["estimated"].get<bool>())
        os << "  WARNING: travel times are ESTIMATED from distances between communes (no road network given)"
           << (net.contains("travel_time_uncertainty") ? ": " + net["travel_time_uncertainty"].get<std::string>() : std::string())
           << "\n  give --network osm:FILE.osm.pbf or roads:FILE for times on real roads.\n";
    os << "Warnings: " << j["warnings"].size() << "\n";
    std::size_t shown = 0;
    for (const auto& w : j["warnings"]) {
        if (++shown > 20) {
            os << "  ... (" << j["warnings"].size() - 20 << " more; see --json)\n";
            break;
        }
        os << "  " << w.get<std::string>() << "\n";
    }
}

class InfoCommand : public Command {
public:
    std::string name() const override { return "info"; }
    std::string examples() const override {
        return R"(  maillage info
      the Vienne default study: communes, population per EPCI and territory, services, network
  maillage info --json-file out/info.json
)";
    }
    std::string description() const override {
        return "Load the study (communes, EPCI, territories, services) and the travel network, and print what was loaded";
    }
    void setup(CLI::App& app) override {
        options_.add_to(app);
        network_.add_to(app);
        app.add_flag("--json", json_, "Print JSON on stdout instead of text");
        app.add_option("--json-file", json_file_, "Also write the JSON report to this file (atomically)");
    }
    void validate() override {
        (void)NetworkSpec::parse(network_.spec);
        if (!options_.sites_category.empty() && options_.sites.empty())
            throw UsageError("--category applies to --sites files: give --sites too");
    }
    int run() override {
        std::vector<InputFile> inputs = options_.input_files();
        for (auto& in : network_.input_files()) inputs.push_back(std::move(in));
        check_input_files(inputs);
        if (!json_file_.empty())
            for (const auto& in : inputs) {
                std::error_code ec;
                if (std::filesystem::exists(json_file_, ec) && std::filesystem::equivalent(in.path, json_file_, ec))
                    throw OutputError(json_file_ + ": is the input " + in.path.string() + " (" + in.option +
                                      "): give another --json-file");
            }
        Study study = load_study(options_);
        Provenance network_provenance;
        TravelNetwork net = network_.open(&study.territory, options_.geodata, network_provenance,
                                          study.services.neighbour_layer_read ? &study.services.margin_communes : nullptr);
        auto report = build_report(study, net, network_provenance);
        if (!json_file_.empty())
            write_file_atomically(json_file_, [&](std::ostream& os) { os << report.dump(2) << '\n'; });
        if (json_)
            std::cout << report.dump(2) << '\n';
        else
            print_text(report, std::cout);
        return 0;
    }

private:
    StudyOptions options_;
    NetworkCliOptions network_;
    bool json_ = false;
    std::string json_file_;
};

}  // namespace

std::unique_ptr<Command> make_info_command() { return std::make_unique<InfoCommand>(); }

}  // namespace maillage::cli
