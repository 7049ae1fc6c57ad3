// `maillage matrix` and `maillage nearest`: travel times between point files.
#include <algorithm>
#include <map>
#include <memory>
#include <cstdio>
#include <thread>

#include "cli/commands.hpp"
#include "output/csv_writer.hpp"
#include "cli/common/network_options.hpp"
#include "cli/common/number_checks.hpp"
#include "cli/common/study_options.hpp"
#include "cli/common/warnings.hpp"
#include "geo/point_file.hpp"
#include "presets/vienne_preset.hpp"
#include "services/neighbour_demand.hpp"
#include "services/service_loader.hpp"
#include "territory/commune_reader.hpp"
#include "routing/matrix.hpp"
#include "util/errors.hpp"
#include "util/staged_files.hpp"

namespace maillage::cli {

namespace {

// Shared by both commands: the study (for estimated/matrix networks), the network and points.
class PointsCommandBase : public Command {
public:
    void validate() override { (void)NetworkSpec::parse(network_.spec); }

protected:
    // Before any work: the inputs can be read, the output (the CSV and its provenance sidecar,
    // written as one set: util/staged_files.hpp) is none of them, and no other run writes it
    // (its lock is taken here and held until the end).
    void check_files(std::vector<InputFile> inputs) {
        if (!geodata_.empty()) inputs.push_back({"--geodata", geodata_});
        if (!communes_.empty()) inputs.push_back({"--communes", communes_});
        for (const auto& f : neighbour_communes_) inputs.push_back({"--neighbour-communes", f});
        for (auto& in : network_.input_files()) inputs.push_back(std::move(in));
        check_input_files(inputs);
        namespace fs = std::filesystem;
        auto same = [](const fs::path& a, const fs::path& b) {
            std::error_code ec;
            return fs::exists(b, ec) && fs::equivalent(a, b, ec);
        };
        for (const auto& in : inputs)
            for (const fs::path& out : {fs::path(output_), fs::path(sidecar())})
                if (same(in.path, out))
                    throw OutputError(output_ + ": is the input " + in.path.string() + " (" + in.option +
                                      "): give another output file");
        std::error_code ec;
        if (fs::is_directory(output_, ec))
            throw OutputError(output_ + ": is a directory; -o names the CSV file to write");
        output_files_ = std::make_unique<StagedFiles>(std::vector<fs::path>{output_, sidecar()});
    }
    std::string sidecar() const { return output_ + ".provenance.json"; }
    // The CSV and its sidecar, all or nothing; the sidecar names the CSV's sha256.
    void write_output(const CsvRow& header, const std::vector<CsvRow>& rows, const Provenance& provenance) {
        output_files_->write_and_commit([&](const std::vector<std::filesystem::path>& staged) {
            write_standalone_csv(staged[0], staged[1], header, rows, provenance.to_json());
        });
    }

    void add_common(CLI::App& app) {
        network_.add_to(app);
        app.add_option("--geodata", geodata_, "Geodata directory (estimate parameters, profiles)");
        app.add_option("--communes", communes_, "Communes for estimated:/matrix: networks (default: Vienne)");
        app.add_option("--neighbour-communes", neighbour_communes_,
                       "Commune polygons beyond --communes: those within 20 km are nodes of the estimated network "
                       "too; repeatable (default with the Vienne communes: every commune within 20 km of Vienne)");
        app.add_option("--crs", crs_, "CRS of x/y columns in CSV point files (lon/lat columns are WGS84)");
        app.add_option("--id-field", id_field_,
                       "Field holding each point's id (default: the first of id, code, code_insee, name, nom)");
        app.add_option("-o,--output", output_, "Output CSV (provenance in OUTPUT.provenance.json)")->required();
    }
    TravelNetwork open_network_for_points(Provenance& provenance) {
        NetworkSpec spec = NetworkSpec::parse(network_.spec);
        if (spec.kind == NetworkSpec::Kind::estimated || spec.kind == NetworkSpec::Kind::matrix) {
            StudyOptions so;
            so.geodata = geodata_;
            so.communes = communes_;
            territory_ = load_territory(so.territory_sources());
            for (const auto& in : territory_->provenance.inputs()) provenance.add_input(in.role, in.path);
            // The estimate also has the communes within 20 km of the study, so a point beyond the
            // edge attaches to its own commune: --neighbour-communes, else on the Vienne default
            // the cache's layer (optional in the cache). Without a layer the estimate warns.
            std::vector<std::filesystem::path> layers(neighbour_communes_.begin(), neighbour_communes_.end());
            if (layers.empty() && communes_.empty())
                layers.push_back(presets::vienne_neighbour_communes(presets::resolve_geodata_dir(geodata_)));
            std::vector<Commune> read;
            bool any = false;
            for (const auto& layer : layers) {
                std::error_code ec;
                if (spec.kind != NetworkSpec::Kind::estimated || !std::filesystem::exists(layer, ec)) continue;
                TerritorySources ls;
                ls.communes = layer;
                for (auto& c : read_communes(ls, territory_->diagnostics)) read.push_back(std::move(c));
                provenance.add_input("neighbour_communes", layer);
                any = true;
            }
            if (any) {
                margin_ = communes_within_margin(std::move(read), *territory_, ServiceSources{}.margin_m);
                return network_.open(&*territory_, geodata_, provenance, &*margin_);
            }
        }
        return network_.open(territory_ ? &*territory_ : nullptr, geodata_, provenance);
    }
    std::vector<Attachment> attach_all(const TravelNetwork& net, const std::vector<NamedPoint>& points,
                                       const std::string& file) {
        std::vector<Attachment> out;
        for (const auto& p : points) {
            try {
                out.push_back(net.attach(p.position, "point " + p.id));
            } catch (const InputError& e) {
                throw e.with_context({file, p.where, ""});
            }
            if (auto note = cut_off_note(out.back()); !note.empty()) warnings_.warn({file, "point " + p.id, ""}, note);
        }
        return out;
    }
    // Loader, estimate and snapping warnings, as every command gives them: all of them in the
    // provenance sidecar with the output; on stderr the first ones, then a count (print_warnings).
    std::vector<std::string> collect_warnings(const TravelNetwork& net, Provenance& provenance) {
        std::vector<std::string> all;
        if (territory_)
            for (const auto& w : territory_->diagnostics.warnings()) all.push_back(w.text());
        if (net.info().is_estimate()) all.push_back("travel times are ESTIMATED: no road network was given (--network)");
        for (const Diagnostics* d : {&net.info().diagnostics, static_cast<const Diagnostics*>(&warnings_)})
            for (const auto& w : d->warnings()) all.push_back(w.text());
        if (!all.empty()) provenance.set_parameter("warnings", all);
        return all;
    }
    static std::string minutes_text(Seconds s) { return s.is_finite() ? csv_number(to_minutes(s), 2) : ""; }

    NetworkCliOptions network_;
    std::string geodata_, communes_, crs_ = "EPSG:4326", output_, id_field_;
    std::vector<std::string> neighbour_communes_;
    std::optional<Territory> territory_;
    std::optional<std::vector<Commune>> margin_;  // the estimate's nodes beyond the study
    Diagnostics warnings_;
    std::unique_ptr<StagedFiles> output_files_;  // from check_files on: holds the output's lock
};

class MatrixCommand : public PointsCommandBase {
public:
    std::string name() const override { return "matrix"; }
    std::string description() const override { return "Travel times from every origin to every destination (CSV)"; }
    std::string examples() const override {
        return R"(  maillage matrix --network osm:geodata/cache/osm/liechtenstein-latest.osm.pbf --origins homes.csv --destinations doctors.csv -o out/times.csv
      origins x destinations times on the Liechtenstein test extract (CSV: id,lon,lat)
  maillage matrix --origins geodata/cache/vienne/services/france_services_vienne_buffer20km_20240801.geojson --destinations geodata/cache/vienne/services/france_services_vienne_buffer20km_20240801.geojson --id-field id_fs -o out/fs_times.csv
      times between the 62 France Services of Vienne and its 20 km margin (their GeoJSON; ids in id_fs)
)";
    }
    void setup(CLI::App& app) override {
        add_common(app);
        app.add_option("--origins", origins_, "Origins: CSV id,lon,lat (or id,x,y with --crs) or OGR points")->required();
        app.add_option("--destinations", destinations_, "Destinations, same formats")->required();
        app.add_option("--threads", threads_, "Worker threads (results do not depend on it)")->check(CLI::Range(1u, 1024u));
        app.add_option("--max-minutes", max_minutes_, "Leave pairs beyond this time empty")->check(number_in(0, bounds::kMaxMinutes, "minutes", true));
    }
    int run() override {
        check_files({{"--origins", origins_}, {"--destinations", destinations_}});
        Provenance prov;
        auto origins = read_points(origins_, crs_, id_field_);
        auto destinations = read_points(destinations_, crs_, id_field_);
        prov.add_input("origins", origins_);
        prov.add_input("destinations", destinations_);
        TravelNetwork net = open_network_for_points(prov);
        auto o = attach_all(net, origins, origins_);
        auto d = attach_all(net, destinations, destinations_);
        Seconds limit = max_minutes_ > 0 ? minutes(max_minutes_) : Seconds::infinity();
        TimeMatrix m = compute_matrix(net, o, d, threads_, limit);
        std::vector<Point2> op, dp;
        for (const auto& x : origins) op.push_back(x.position);
        for (const auto& x : destinations) dp.push_back(x.position);
        zero_coincident_pairs(m, op, dp);
        std::vector<std::size_t> oi(origins.size()), di(destinations.size());
        for (std::size_t i = 0; i < oi.size(); ++i) oi[i] = i;
        for (std::size_t i = 0; i < di.size(); ++i) di[i] = i;
        std::sort(oi.begin(), oi.end(), [&](auto a, auto b) { return origins[a].id < origins[b].id; });
        std::sort(di.begin(), di.end(), [&](auto a, auto b) { return destinations[a].id < destinations[b].id; });
        std::vector<CsvRow> rows;
        const std::string source = to_string(net.info().source);
        for (auto a : oi)
            for (auto b : di) {
                Seconds t = m.at(a, b);
                rows.push_back({origins[a].id, destinations[b].id, t.is_finite() ? csv_number(t.value(), 1) : "",
                                minutes_text(t), csv_number(o[a].distance.value(), 1), csv_number(d[b].distance.value(), 1),
                                source});
            }
        prov.set_parameter("threads_do_not_change_results", true);
        auto warnings = collect_warnings(net, prov);
        if (max_minutes_ > 0) prov.set_parameter("max_minutes", max_minutes_);
        write_output({"origin_id", "destination_id", "seconds", "minutes", "origin_snap_m", "destination_snap_m",
                      "travel_time_source"},
                     rows, prov);
        print_warnings(warnings, sidecar());
        return 0;
    }

private:
    std::string origins_, destinations_;
    unsigned threads_ = std::max(1u, std::thread::hardware_concurrency());
    double max_minutes_ = 0;
};

class NearestCommand : public PointsCommandBase {
public:
    std::string name() const override { return "nearest"; }
    std::string description() const override { return "For every point, the nearest site by travel time (CSV)"; }
    std::string examples() const override {
        return R"(  maillage nearest --sites medecins.csv --points adresses.csv -o out/nearest.csv
      nearest site of each point on the Vienne estimated network (CSV: id,lon,lat)
)";
    }
    void setup(CLI::App& app) override {
        add_common(app);
        app.add_option("--sites", sites_, "Sites: CSV id,lon,lat (or id,x,y with --crs) or OGR points")->required();
        app.add_option("--points", points_, "Points: same formats")->required();
    }
    int run() override {
        check_files({{"--sites", sites_}, {"--points", points_}});
        Provenance prov;
        auto sites = read_points(sites_, crs_, id_field_);
        auto points = read_points(points_, crs_, id_field_);
        prov.add_input("sites", sites_);
        prov.add_input("points", points_);
        TravelNetwork net = open_network_for_points(prov);
        // Labels follow the sorted site ids: ties go to the smallest id.
        std::sort(sites.begin(), sites.end(), [](const NamedPoint& a, const NamedPoint& b) { return a.id < b.id; });
        auto s = attach_all(net, sites, sites_);
        auto p = attach_all(net, points, points_);
        SiteSearch search = net.toward(s);
        std::vector<std::size_t> order(points.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](auto a, auto b) { return points[a].id < points[b].id; });
        std::vector<CsvRow> rows;
        const std::string source = to_string(net.info().source);
        // A point at the very place of a site is at that site (the first by id), 0 s away: not
        // routed out along its access leg and back.
        std::map<Point2, std::size_t> site_at;
        for (std::size_t i = 0; i < sites.size(); ++i) site_at.emplace(sites[i].position, i);
        for (auto i : order) {
            Reach r = net.evaluate(search, p[i]);
            if (auto it = site_at.find(points[i].position); it != site_at.end()) {
                r.time = Seconds(0.0);
                r.site = SiteId(static_cast<std::uint32_t>(it->second));
            }
            rows.push_back({points[i].id, r.reached() ? sites[r.site.index()].id : "",
                            r.reached() ? csv_number(r.time.value(), 1) : "", minutes_text(r.time),
                            csv_number(p[i].distance.value(), 1), source});
        }
        auto warnings = collect_warnings(net, prov);
        write_output({"point_id", "nearest_site_id", "seconds", "minutes", "snap_m", "travel_time_source"}, rows, prov);
        print_warnings(warnings, sidecar());
        return 0;
    }

private:
    std::string sites_, points_;
};

}  // namespace

std::unique_ptr<Command> make_matrix_command() { return std::make_unique<MatrixCommand>(); }
std::unique_ptr<Command> make_nearest_command() { return std::make_unique<NearestCommand>(); }

}  // namespace maillage::cli
