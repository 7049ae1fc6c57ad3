// Hostile inputs and options through the real binary: no internal error (exit 1), no endless
// read, no overflow; every refusal names the file or the option and says what is valid; and
// one warnings policy (stderr: the first 20, then a count; every warning in summary.json and
// in the outputs' provenance).
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "geo/crs.hpp"
#include "geo/vector_source.hpp"
#include "network/osm_loader.hpp"
#include "network/profile.hpp"
#include "support/square_communes.hpp"
#include "util/errors.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// run_cli with a memory and time bound: if a check below were broken, reading /dev/zero or a
// FIFO would take the machine's memory or never end; bounded, the test fails instead.
CliResult run_bounded(const std::string& args) {
    static int counter = 0;
    auto base = fs::temp_directory_path() / ("maillage_bounded_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::string cmd = "ulimit -v 3000000; timeout 60 " + std::string(MAILLAGE_BINARY) + " " + args + " >" + base.string() +
                      ".out 2>" + base.string() + ".err </dev/null";
    int status = std::system(cmd.c_str());
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(base.string() + ".out");
    r.err = read_text(base.string() + ".err");
    fs::remove(base.string() + ".out");
    fs::remove(base.string() + ".err");
    return r;
}

struct Fixture {
    fs::path dir, communes, sites, out;
    explicit Fixture(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        sites = dir / "sites.csv";
        out = dir / "out";
        write_text(communes, squares_geojson(three_in_a_row()));
        write_text(sites, "id,name,x,y\nS1,Site A,501000,6601000\n");
    }
    std::string network() const { return " --network estimated:" + std::string(MAILLAGE_TEST_DATA) + "/coverage/round_parameters.json"; }
    std::string study(const std::string& sites_file = "") const {
        return " --communes " + communes.string() + " --sites " + (sites_file.empty() ? sites.string() : sites_file) +
               " --crs EPSG:2154 --category france_services";
    }
};

// If a check were broken, opening a FIFO would wait for a writer forever: this one comes
// after `seconds`, writes nothing and leaves, so the reader sees an empty file and the test
// ends (failing) instead of hanging.
struct FifoUnblocker {
    fs::path fifo;
    std::atomic<bool> done{false};
    std::thread thread;
    explicit FifoUnblocker(fs::path p) : fifo(std::move(p)) {
        thread = std::thread([this] {
            for (int i = 0; i < 100 && !done; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
            if (done) return;
            int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0) ::close(fd);
        });
    }
    ~FifoUnblocker() {
        done = true;
        thread.join();
    }
};

}  // namespace

TEST(HardeningInputs, ASymlinkLoopIsAnInputErrorNamingTheFile) {
    Fixture f("hard_loop");
    const fs::path loop = f.dir / "loop.csv";
    fs::create_symlink(loop, loop);
    const std::string l = loop.string();
    const std::vector<std::string> commands = {
        "coverage --category france_services --sites " + l + " -o " + f.out.string(),
        "coverage --category france_services --communes " + l + " -o " + f.out.string(),
        "coverage --category france_services --population " + l + " -o " + f.out.string(),
        "coverage --category france_services --network osm:" + l + " -o " + f.out.string(),
        "access --decay " + l + " -o " + f.out.string(),
        "access --rate --category hebergement_personnes_agees --target-population " + l + " -o " + f.out.string(),
        "info --network roads:" + l,
        "matrix --origins " + l + " --destinations " + f.sites.string() + " -o " + (f.dir / "m.csv").string(),
        "optimise --category france_services --problem mclp -k 1 --candidates-file " + l + " -o " + f.out.string(),
    };
    for (const auto& cmd : commands) {
        auto r = run_cli(cmd);
        EXPECT_EQ(r.exit_code, 3) << cmd << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, l + ": cannot be read")) << cmd << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, "Too many levels of symbolic links")) << r.err;
        EXPECT_FALSE(fs::exists(f.out));
    }
    // The library on its own (a front end without the command line's checks).
    EXPECT_THROW(VectorSource(loop, ""), InputError);
    EXPECT_THROW(load_osm(loop, load_profile("car", MAILLAGE_SOURCE_DIR "/geodata")), InputError);
}

TEST(HardeningInputs, DevicesAndPipesAreRefusedNotReadForever) {
    Fixture f("hard_devices");
    fs::create_symlink("/dev/zero", f.dir / "zero.csv");
    const fs::path fifo = f.dir / "fifo.csv";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    FifoUnblocker unblock(fifo);
    const std::string zero = (f.dir / "zero.csv").string();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"coverage --category france_services --sites " + zero + " -o " + f.out.string(), zero},
        {"coverage --category france_services --sites /dev/zero -o " + f.out.string(), "/dev/zero"},
        {"coverage --category france_services --communes /dev/zero -o " + f.out.string(), "/dev/zero"},
        {"coverage --category france_services --population " + zero + " -o " + f.out.string(), zero},
        {"access --demand-weights " + zero + " -o " + f.out.string(), zero},
        {"coverage --category france_services --sites " + fifo.string() + " -o " + f.out.string(), fifo.string()},
        {"nearest --sites " + fifo.string() + " --points " + zero + " -o " + (f.dir / "n.csv").string(), fifo.string()},
    };
    for (const auto& [cmd, file] : cases) {
        auto r = run_bounded(cmd);
        EXPECT_EQ(r.exit_code, 3) << cmd << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, file + ": not a regular file")) << cmd << "\n" << r.err;
        EXPECT_FALSE(fs::exists(f.out));
    }
    EXPECT_THROW(VectorSource(fifo, ""), InputError);
    EXPECT_THROW(load_osm(fifo, load_profile("car", MAILLAGE_SOURCE_DIR "/geodata")), InputError);
}

TEST(HardeningInputs, EveryNumberOptionIsBoundedBeforeAnyWork) {
    Fixture f("hard_numbers");
    const std::string cov = "coverage" + f.study() + f.network() + " -o " + f.out.string() + " ";
    const std::string opt = "optimise --category france_services --problem mclp -k 1 -o " + f.out.string() + " ";
    // option and value → the fragment of the valid range the message must give.
    const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
        {cov, "--cell-size inf", "valid: 10 to 50000 m"},
        {cov, "--cell-size 1", "valid: 10 to 50000 m"},
        {cov, "--cell-size nan", "valid: 10 to 50000 m"},
        {cov, "--demand grid --demand-step 1e-300", "valid: 50 to 50000 m"},
        {cov, "--demand grid --demand-step inf", "valid: 50 to 50000 m"},
        {cov, "--gap-threshold inf", "valid: > 0 to 1440 minutes"},
        {cov, "--gap-threshold -3", "valid: > 0 to 1440 minutes"},
        {cov, "--margin-km inf", "valid: > 0 to 200 km"},
        {cov, "--margin-km -1", "valid: > 0 to 200 km"},
        {cov, "--margin-km 0", "valid: > 0 to 200 km"},
        {cov, "--margin-km 250", "valid: > 0 to 200 km"},
        {cov, "--max-snap nan", "valid: > 0 to 100000 m"},
        {opt, "--max-minutes nan", "valid: 0.5 to 600 minutes"},
        {opt, "--share nan", "valid: 0.01 to 1"},
        {opt, "--time-limit inf", "valid: 0.01 to 86400 s"},
        {opt, "--grid-km nan", "valid: 0.5 to 50 km"},
        {opt, "--capacity inf", "valid: > 0 to 1000000000"},
        {opt, "--min-population 1e300", "valid: 0 to 10000000"},
        {"matrix --origins a --destinations b -o m.csv ", "--max-minutes inf", "valid: > 0 to 1440 minutes"},
    };
    for (const auto& [command, option, range] : cases) {
        auto r = run_cli(command + option);
        EXPECT_EQ(r.exit_code, 2) << option << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, option.substr(option.rfind("--"), option.rfind(' ') - option.rfind("--")) + ":"))
            << option << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, range)) << option << "\n" << r.err;
        EXPECT_FALSE(fs::exists(f.out));
    }
    for (const char* bands : {"1e308", "10,inf", "10,nan", "0"}) {
        auto r = run_cli(cov + "--thresholds " + bands);
        EXPECT_EQ(r.exit_code, 2) << bands << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, "--thresholds")) << r.err;
    }
    EXPECT_TRUE(contains(run_cli(cov + "--thresholds 1e308").err, "at most 1440 minutes (24 h)"));
}

TEST(HardeningInputs, ADemandGridTooFineIsRefusedWithItsSize) {
    fs::path out = fresh_dir("hard_grid") / "out";
    auto start = std::chrono::steady_clock::now();
    auto r = run_cli("coverage --category france_services --demand grid --demand-step 50 -o " + out.string());
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_TRUE(contains(r.err, "--demand-step 50: the demand grid would have about ")) << r.err;
    EXPECT_TRUE(contains(r.err, "cells over the study's communes, more than 5000000: give a larger step")) << r.err;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
    EXPECT_FALSE(fs::exists(out));
}

TEST(HardeningInputs, APopulationAboveABillionIsRefusedWhereItIsRead) {
    Fixture f("hard_population");
    auto squares = three_in_a_row();
    squares[1].population = 9200000000000000000LL;  // overflowed a signed sum before
    write_text(f.dir / "huge.geojson", squares_geojson(squares));
    auto r = run_cli("coverage --communes " + (f.dir / "huge.geojson").string() + " --sites " + f.sites.string() +
                     " --crs EPSG:2154 --category france_services" + f.network() + " -o " + f.out.string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_TRUE(contains(r.err, "huge.geojson: feature 1: field 'population': population 9200000000000000000 is not a "
                                "commune's (expected at most 1 000 000 000 inhabitants)"))
        << r.err;
    write_text(f.dir / "population.csv", "code_insee,population\n86001,100\n86002,9200000000000000000\n");
    r = run_cli("coverage" + f.study() + f.network() + " --population " + (f.dir / "population.csv").string() + " -o " +
                f.out.string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_TRUE(contains(r.err, "population.csv: line 3: field 'population'")) << r.err;
    EXPECT_TRUE(contains(r.err, "at most 1 000 000 000 inhabitants")) << r.err;
    EXPECT_FALSE(fs::exists(f.out));
}

TEST(HardeningInputs, ASitesFileWithOnlyAHeaderWarnsZeroSites) {
    Fixture f("hard_header_only");
    write_text(f.dir / "empty.csv", "id,name,x,y\n");
    const std::string empty = (f.dir / "empty.csv").string();
    const std::string warning = empty + ": 0 sites: the file holds no site (no data row)";
    auto r = run_cli("coverage" + f.study(empty) + f.network() + " -o " + f.out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "warning: " + warning + "\n")) << r.err;
    auto summary = nlohmann::json::parse(read_text(f.out / "summary.json"));
    EXPECT_TRUE(contains(summary["warnings"].dump(), warning));
    EXPECT_TRUE(contains(summary["metadata"]["parameters"]["warnings"].dump(), warning));
    auto gaps = nlohmann::json::parse(read_text(f.out / "gaps.csv.provenance.json"));
    EXPECT_TRUE(contains(gaps["parameters"]["warnings"].dump(), warning));
    // Beside another site file that has sites: still said.
    r = run_cli("coverage" + f.study() + " --sites " + empty + f.network() + " -o " + f.out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "warning: " + warning + "\n")) << r.err;
    // access too.
    r = run_cli("access" + f.study(empty) + f.network() + " -o " + f.out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "warning: " + warning + "\n")) << r.err;
}

TEST(HardeningInputs, RatesWithCommuneCodesOfNoCommuneOfTheStudyWarn) {
    Fixture f("hard_rate_codes");
    write_text(f.dir / "target.csv", "code_insee,population\n1001,50\n99999,20\n");
    auto r = run_cli("access --rate" + f.study() + " --target-population " + (f.dir / "target.csv").string() + " -o " +
                     f.out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string w = "target.csv: none of its 2 codes is a commune of the study (1001, 99999): every target "
                          "population is 0, so every rate is 0";
    EXPECT_TRUE(contains(r.err, w)) << r.err;
    auto summary = nlohmann::json::parse(read_text(f.out / "summary.json"));
    EXPECT_TRUE(contains(summary["warnings"].dump(), w));
    EXPECT_TRUE(contains(read_text(f.out / "rates.csv.provenance.json"), w));
    // Some codes match: the others are named, and the communes left without a row.
    write_text(f.dir / "target.csv", "code_insee,population\n86001,50\n1001,20\n");
    r = run_cli("access --rate" + f.study() + " --target-population " + (f.dir / "target.csv").string() + " -o " +
                f.out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(contains(r.err, "target.csv: 1 of its 2 codes are no commune of the study and are not counted (1001)"))
        << r.err;
    EXPECT_TRUE(contains(r.err, "target.csv: 2 communes of the study have no row: their target population is 0 (86002, "
                                "86003)"))
        << r.err;
}

TEST(HardeningInputs, OneWarningsPolicyFirstTwentyThenACountEverythingInTheOutputs) {
    Fixture f("hard_warnings");
    // 25 population rows of communes that are not in the layer: one loader warning each.
    std::string population = "code_insee,population\n";
    for (int i = 0; i < 25; ++i) population += "87" + std::to_string(100 + i) + ",10\n";
    write_text(f.dir / "population.csv", population);
    const std::string pop = " --population " + (f.dir / "population.csv").string();
    struct Case {
        std::string command, summary;
    };
    const std::vector<Case> cases = {
        {"coverage" + f.study() + f.network() + pop + " -o " + f.out.string(), (f.out / "summary.json").string()},
        {"access" + f.study() + f.network() + pop + " -o " + f.out.string(), (f.out / "summary.json").string()},
        {"access --rate" + f.study() + pop + " -o " + f.out.string(), (f.out / "summary.json").string()},
    };
    for (const auto& c : cases) {
        auto r = run_cli(c.command);
        ASSERT_EQ(r.exit_code, 0) << c.command << "\n" << r.err;
        auto summary = nlohmann::json::parse(read_text(c.summary));
        const auto& all = summary["warnings"];
        ASSERT_GE(all.size(), 25u) << c.command;
        // stderr: the first 20 as they are in summary.json, then the count and where they all are.
        std::string expected;
        for (std::size_t i = 0; i < 20; ++i) expected += "warning: " + all[i].get<std::string>() + "\n";
        expected += "warning: ... and " + std::to_string(all.size() - 20) + " more, all listed in " + c.summary + "\n";
        EXPECT_EQ(r.err, expected) << c.command;
        EXPECT_TRUE(contains(all.dump(), "commune 87100 is not in the commune layer; row ignored"));
        // And in the provenance of every output.
        EXPECT_EQ(summary["metadata"]["parameters"]["warnings"], all) << c.command;
    }
    // matrix / nearest: the estimate's warnings as everywhere (estimated; without a neighbouring
    // layer, less accurate near the edge), in the provenance sidecar too.
    write_text(f.dir / "points.csv", "id,x,y\nP,501000,6601000\n");
    auto r = run_cli("matrix --communes " + f.communes.string() + f.network() + " --crs EPSG:2154 --origins " +
                     (f.dir / "points.csv").string() + " --destinations " + (f.dir / "points.csv").string() + " -o " +
                     (f.dir / "m.csv").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string estimated = "travel times are ESTIMATED: no road network was given (--network)";
    const std::string edge =
        "estimated network without the communes beyond the study (no neighbouring communes layer, "
        "--neighbour-communes): sites and inhabitants beyond the edge attach to the nearest commune of the study, so "
        "times near the edge are less accurate and depend on the study's extent";
    EXPECT_EQ(r.err, "warning: " + estimated + "\nwarning: " + edge + "\n");
    auto prov = nlohmann::json::parse(read_text(f.dir / "m.csv.provenance.json"));
    EXPECT_EQ(prov["parameters"]["warnings"], nlohmann::json::array({estimated, edge}));
    // With the study's own communes as the neighbouring layer: nothing beyond it, no edge warning.
    r = run_cli("matrix --communes " + f.communes.string() + " --neighbour-communes " + f.communes.string() +
                f.network() + " --crs EPSG:2154 --origins " + (f.dir / "points.csv").string() + " --destinations " +
                (f.dir / "points.csv").string() + " -o " + (f.dir / "m.csv").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "warning: " + estimated + "\n");
}

TEST(HardeningInputs, PointsProjCannotTransformAreInputErrors) {
    // Not std::runtime_error (an "internal error", exit 1): input errors naming the point.
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_THROW(lonlat_to_lambert93({std::nan(""), 46.5}), InputError);
    EXPECT_THROW(lonlat_to_lambert93({1e300, 1e300}), InputError);  // PROJ: invalid latitude
    EXPECT_THROW(lambert93_to_lonlat(Point2{inf, 6600000}), InputError);
    std::vector<double> x = {500000, inf}, y = {6600000, 6600000};
    try {
        lambert93_to_lonlat(x, y);
        ADD_FAILURE() << "no error";
    } catch (const InputError& e) {
        EXPECT_TRUE(contains(e.what(), "point (inf, 6600000): cannot project Lambert-93 to lon/lat")) << e.what();
    }
}
