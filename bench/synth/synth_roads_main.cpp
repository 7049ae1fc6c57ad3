// `maillage-synth-roads`: writes a synthetic road line layer (synthetic_roads.hpp: a GeoPackage
// shaped like ROUTE 500, for `--network roads:FILE --mapping geodata/road_mappings/route500.json`)
// for benchmarks and scale tests, or prints its exact counts as JSON (--counts).
// Exit codes as maillage's: 0 ok, 1 internal, 2 usage, 4 output not written.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <stdexcept>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "synthetic_roads.hpp"

namespace {

nlohmann::ordered_json counts_json(const maillage::synth::RoadLayerOptions& o) {
    const auto c = maillage::synth::expected_counts(o);
    return {{"segments", c.segments},      {"shape_points", o.shape_points},
            {"spacing_m", o.spacing_m},    {"grid_size", c.grid_size},
            {"points", c.points},          {"oneway_segments", c.oneway_segments},
            {"arcs", c.arcs}};
}

}  // namespace

int main(int argc, char** argv) {
    maillage::synth::RoadLayerOptions o;
    std::string output;
    bool counts = false;
    CLI::App app{"Writes a synthetic road layer (GeoPackage, layer TRONCON_ROUTE, ROUTE 500 fields, Lambert-93): "
                 "S segments of an N x N grid, K shape points each, three classes (VOCATION), one-way rows (SENS). "
                 "Load it with --network roads:FILE --mapping geodata/road_mappings/route500.json. The same options "
                 "give the same layer."};
    app.add_option("--segments", o.segments, "Road segments (features) to write (1..50000000)")->capture_default_str();
    app.add_option("--shape-points", o.shape_points, "Points between a segment's two ends (0..200)")->capture_default_str();
    app.add_option("--spacing", o.spacing_m, "Metres between neighbouring intersections (20..10000)")->capture_default_str();
    app.add_option("--centre-x", o.centre_x, "Lambert-93 x of the grid's centre (Poitiers)")->capture_default_str();
    app.add_option("--centre-y", o.centre_y, "Lambert-93 y of the grid's centre (Poitiers)")->capture_default_str();
    app.add_option("-o,--output", output, "GeoPackage to write");
    app.add_flag("--counts", counts, "Print the exact counts (segments, points, one-way segments, arcs) as JSON on stdout");
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        app.exit(e);
        return 2;
    }
    try {
        if (output.empty() && !counts) throw std::invalid_argument("give -o FILE to write a layer, or --counts");
        o.output = output;
        maillage::synth::check_options(o);
        if (!output.empty()) {
            const auto start = std::chrono::steady_clock::now();
            maillage::synth::write_road_layer(o);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const auto c = maillage::synth::expected_counts(o);
            std::fprintf(stderr, "wrote %s: %lld segments, %lld points, %.1f MB in %.1f s\n", output.c_str(),
                         static_cast<long long>(c.segments), static_cast<long long>(c.points),
                         static_cast<double>(std::filesystem::file_size(o.output)) / 1e6, seconds);
        }
        if (counts) std::cout << counts_json(o).dump(2) << '\n';
        return 0;
    } catch (const std::invalid_argument& e) {
        std::cerr << "maillage-synth-roads: " << e.what() << " (see --help)\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "maillage-synth-roads: " << output << ": not written: " << e.what() << "\n";
        return 4;
    }
}
