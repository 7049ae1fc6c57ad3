// `maillage network build --network osm:F.pbf --profile car -o F.mgraph`: builds a travel
// network once into a graph cache that every command then opens in well under a second
// (`--network graph:F.mgraph`), with the same results as from the source itself.
#include <chrono>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common/network_options.hpp"
#include "analysis/defaults.hpp"
#include "network/graph_cache.hpp"
#include "routing/travel_network.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

namespace {

class NetworkCommand : public Command {
public:
    std::string name() const override { return "network"; }
    std::string description() const override {
        return "Build a travel network once into a graph cache (network build), read by --network graph:FILE";
    }
    std::string examples() const override {
        return R"(  maillage network build --network osm:geodata/cache/osm/liechtenstein-latest.osm.pbf --profile car -o out/li-car.mgraph
      built once (a region's extract: once per profile), then opened in well under a second:
  maillage matrix --network graph:out/li-car.mgraph --origins homes.csv --destinations doctors.csv -o out/times-cache.csv
      the same times as --network osm:geodata/cache/osm/liechtenstein-latest.osm.pbf
  maillage network build --network osm:geodata/cache/osm/liechtenstein-latest.osm.pbf --profile car --hierarchy -o out/li-car-ch.mgraph
      with a contraction hierarchy (all cores; a region's takes about half a minute): every
      search (catchments, optimisation candidates, what-if) then runs as a PHAST sweep, several
      times faster on a region's graph, with the same results
)";
    }
    void setup(CLI::App& app) override {
        build_ = app.add_subcommand("build", "Build the network of --network (osm: or roads:) into the file -o");
        network_.add_to(*build_);
        build_->add_option("-o,--output", output_, "Graph cache file to write (.mgraph)")->required();
        build_->add_flag("--hierarchy", hierarchy_,
                         "Also build a contraction hierarchy: searches then run as PHAST sweeps (same results, "
                         "several times faster on a region; building it takes minutes there)");
        build_->add_option("--threads", threads_, "Threads building the hierarchy (default: every core; same file whatever the number)")
            ->check(CLI::Range(1u, 1024u));
        build_->add_option("--geodata", geodata_, "Geodata directory with profiles/ and road_mappings/ (default: $MAILLAGE_GEODATA or geodata/)");
        app.require_subcommand(1);
    }
    void validate() override {
        const NetworkSpec spec = network_.network_spec();
        if (spec.kind != NetworkSpec::Kind::osm && spec.kind != NetworkSpec::Kind::roads)
            throw UsageError("network build: --network must be osm:FILE or roads:FILE (the estimate and time matrices "
                             "are built in a moment and depend on the study's communes; got '" + network_.spec + "')");
        std::error_code ec;
        if (std::filesystem::equivalent(spec.path, output_, ec))
            throw UsageError("network build: -o " + output_ + " is the network's own file: it would be overwritten");
    }
    int run() override {
        const auto start = std::chrono::steady_clock::now();
        Provenance provenance;
        LoadedGraph graph = load_network_graph(network_.network_spec(), network_.network_options(geodata_), provenance);
        double hierarchy_seconds = 0;
        if (hierarchy_) {
            const auto before = std::chrono::steady_clock::now();
            prepare_hierarchy(graph, threads_);
            hierarchy_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
        }
        write_graph_cache(output_, graph, provenance);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (const auto& w : graph.info.diagnostics.warnings()) std::fprintf(stderr, "warning: %s\n", w.text().c_str());
        std::error_code ec;
        const auto bytes = std::filesystem::file_size(output_, ec);
        std::printf("graph cache: %s (%s, %zu nodes, %zu edges, %.0f MB) in %.1f s\n", output_.c_str(),
                    graph.info.description.c_str(), graph.graph.node_count(), graph.graph.edge_count(),
                    static_cast<double>(bytes) / 1e6, seconds);
        if (hierarchy_)
            std::printf("contraction hierarchy: %zu shortcuts, %.0f MB, built in %.1f s\n",
                        graph.routing->hierarchy.shortcut_count,
                        static_cast<double>(graph.routing->hierarchy.memory_bytes()) / 1e6, hierarchy_seconds);
        std::printf("use it with: --network graph:%s --profile %s\n", output_.c_str(), graph.info.profile.c_str());
        return 0;
    }

private:
    CLI::App* build_ = nullptr;
    NetworkCliOptions network_;
    std::string output_;
    std::string geodata_;
    bool hierarchy_ = false;
    unsigned threads_ = defaults::worker_threads();
};

}  // namespace

std::unique_ptr<Command> make_network_command() { return std::make_unique<NetworkCommand>(); }

}  // namespace maillage::cli
