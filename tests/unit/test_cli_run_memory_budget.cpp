// `maillage run` on a scenario whose network is an OSM extract has the memory budget the other
// commands have (`--max-memory`, default the machine's memory), passed by the front end through
// ScenarioContext: a build estimated above it is refused before reading any node, with the same
// message and exit code as `maillage coverage --max-memory`; within it, the scenario runs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "geo/crs.hpp"
#include "support/output_checks.hpp"
#include "support/square_communes.hpp"
#include "synthetic_extract.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

// The line of stderr main() writes for an error.
std::string error_line(const std::string& err) {
    const auto at = err.find("maillage: error: ");
    return at == std::string::npos ? "" : err.substr(at, err.find('\n', at) - at);
}

// Three square communes with one France Services site, and a synthetic road grid (160 m
// spacing) centred on them; the scenario covers them on that grid.
struct Fixture {
    fs::path dir, communes, sites;
    explicit Fixture(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        sites = dir / "sites.csv";
        write_text(communes, squares_geojson(three_in_a_row()));
        write_text(sites, "id,name,x,y\nS1,Site A,501000,6601000\n");
    }
    fs::path extract(std::int64_t size, std::int64_t shape_nodes) const {
        const LonLat centre = lambert93_to_lonlat({503000, 6601000});
        synth::ExtractOptions o;
        o.size = size;
        o.shape_nodes = shape_nodes;
        o.islands = 0;
        o.centre_lon = centre.lon;
        o.centre_lat = centre.lat;
        o.output = dir / ("grid" + std::to_string(size) + ".osm.pbf");
        synth::write_extract(o);
        return o.output;
    }
    fs::path scenario(const fs::path& network) const {
        const fs::path file = dir / ("s-" + network.stem().stem().string() + ".yaml");
        write_text(file, "title: budget\nstudy: {communes: communes.geojson}\n"
                         "sites:\n  files:\n    - {path: sites.csv, category: france_services, crs: 'EPSG:2154'}\n"
                         "network: {spec: 'osm:" + network.filename().string() + "'}\n"
                         "analyses:\n  coverage:\n    - {category: france_services, thresholds: [5, 10], catchments: false}\n");
        return file;
    }
};

}  // namespace

TEST(CliRunMemoryBudget, AScenarioAboveMaxMemoryIsRefusedAsCoverageRefusesIt) {
    Fixture f("run_budget_refused");
    // 400 × 400 intersections, 9 shape nodes per link: about 0.2 GB to build.
    const fs::path big = f.extract(400, 9);
    auto coverage = run_cli("coverage --communes " + f.communes.string() + " --sites " + f.sites.string() +
                            " --crs EPSG:2154 --category france_services --network osm:" + big.string() +
                            " --max-memory 0.1 -o " + (f.dir / "cov").string());
    ASSERT_EQ(coverage.exit_code, 3) << coverage.err;
    ASSERT_TRUE(contains(coverage.err, big.string() + ": building this network needs about 0.2 GB, more than the "
                                                      "budget of 0.1 GB (--max-memory)"))
        << coverage.err;
    auto run = run_cli("run " + f.scenario(big).string() + " --max-memory 0.1 -o " + (f.dir / "run").string());
    EXPECT_EQ(run.exit_code, 3) << run.err;
    EXPECT_EQ(error_line(run.err), error_line(coverage.err));
    EXPECT_FALSE(fs::exists(f.dir / "run"));
    EXPECT_TRUE(debris_beside(f.dir / "run").empty()) << debris_beside(f.dir / "run").front();
    // The option is parsed as everywhere else: a budget below 0.1 GB is a usage error.
    run = run_cli("run " + f.scenario(big).string() + " --max-memory 0 -o " + (f.dir / "run").string());
    EXPECT_EQ(run.exit_code, 2) << run.err;
    EXPECT_TRUE(contains(run.err, "--max-memory")) << run.err;
    fs::remove(big);
}

TEST(CliRunMemoryBudget, AScenarioWithinTheDefaultBudgetRuns) {
    Fixture f("run_budget_default");
    // 40 × 40 intersections (6.4 km), no shape node: about 10 MB, under any machine's memory.
    const fs::path small = f.extract(40, 0);
    const fs::path out = f.dir / "run";
    auto r = run_cli("run " + f.scenario(small).string() + " -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto comparison = nlohmann::json::parse(read_text(out / "comparison.json"));
    EXPECT_NE(comparison.dump().find("\"osm\""), std::string::npos) << "travel times from the OSM grid";
    // A budget given explicitly, above the estimate: the same.
    r = run_cli("run " + f.scenario(small).string() + " --max-memory 1 -o " + out.string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
}
