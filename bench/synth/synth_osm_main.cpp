// `maillage-synth-osm`: writes a synthetic OpenStreetMap extract (synthetic_extract.hpp) for
// benchmarks and scale tests, or prints its exact counts as JSON (--counts).
// Exit codes as maillage's: 0 ok, 1 internal, 2 usage, 4 output not written.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "synthetic_extract.hpp"

namespace {

nlohmann::ordered_json counts_json(const maillage::synth::ExtractOptions& o) {
    const auto c = maillage::synth::expected_counts(o);
    return {{"size", o.size},
            {"shape_nodes", o.shape_nodes},
            {"spacing_m", o.spacing_m},
            {"islands", o.islands},
            {"osm_nodes", c.osm_nodes},
            {"ways", c.ways},
            {"links", c.links},
            {"intersections", c.intersections},
            {"arcs", c.arcs},
            {"oneway_ways", c.oneway_ways},
            {"oneway_links", c.oneway_links},
            {"maxspeed_ways", c.maxspeed_ways},
            {"island_nodes", c.island_nodes},
            {"island_links", c.island_links}};
}

}  // namespace

int main(int argc, char** argv) {
    maillage::synth::ExtractOptions o;
    std::string output;
    bool counts = false;
    CLI::App app{"Writes a synthetic OpenStreetMap extract: an N x N grid of intersections with K shape nodes "
                 "between neighbours, highway classes, one-way streets, maxspeed tags and small disconnected "
                 "islands. The same options give the same bytes."};
    app.add_option("--size", o.size, "Intersections per row and column (N >= 2)")->capture_default_str();
    app.add_option("--shape-nodes", o.shape_nodes, "Shape nodes between neighbouring intersections (0..200)")->capture_default_str();
    app.add_option("--spacing", o.spacing_m, "Metres between neighbouring intersections (20..10000)")->capture_default_str();
    app.add_option("--islands", o.islands, "Small 3 x 3 grids not connected to the main grid")->capture_default_str();
    app.add_option("--centre-lon", o.centre_lon, "Longitude of the grid's centre (Poitiers)")->capture_default_str();
    app.add_option("--centre-lat", o.centre_lat, "Latitude of the grid's centre (Poitiers)")->capture_default_str();
    app.add_option("-o,--output", output, "File to write: .osm.pbf, .osm, .opl (format from the name)");
    app.add_flag("--counts", counts, "Print the exact counts (OSM nodes, ways, links, arcs...) as JSON on stdout");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    try {
        if (output.empty() && !counts) throw std::invalid_argument("give -o FILE to write an extract, or --counts");
        o.output = output;
        maillage::synth::check_options(o);
        if (!output.empty()) {
            const auto start = std::chrono::steady_clock::now();
            maillage::synth::write_extract(o);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const auto c = maillage::synth::expected_counts(o);
            std::fprintf(stderr, "wrote %s: %lld OSM nodes, %lld ways, %.1f MB in %.1f s\n", output.c_str(),
                         static_cast<long long>(c.osm_nodes), static_cast<long long>(c.ways),
                         static_cast<double>(std::filesystem::file_size(o.output)) / 1e6, seconds);
        }
        if (counts) std::cout << counts_json(o).dump(2) << '\n';
        return 0;
    } catch (const std::invalid_argument& e) {
        std::cerr << "maillage-synth-osm: " << e.what() << " (see --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "maillage-synth-osm: " << output << ": not written: " << e.what() << "\n";
        return 4;
    }
}
