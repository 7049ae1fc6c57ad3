// The memory estimate of a road layer build (issue 15.4, as test_osm_memory_estimate for OSM):
// the estimate is within 25 % of the peak memory load_road_layer really adds, measured in a
// child process, and a budget below it makes load_road_layer (and the CLI, exit code 3) refuse
// the layer before building, naming it.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "network/osm_memory_estimate.hpp"
#include "network/profile.hpp"
#include "network/roads_loader.hpp"
#include "network/roads_memory_estimate.hpp"
#include "support/child_peak.hpp"
#include "support/cli_runner.hpp"
#include "synthetic_roads.hpp"
#include "util/errors.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

const fs::path kGeodata = fs::path(MAILLAGE_SOURCE_DIR) / "geodata";
const fs::path kRoute500 = kGeodata / "road_mappings/route500.json";

const Profile& car() {
    static const Profile p = load_profile("car", kGeodata);
    return p;
}

fs::path layer(std::int64_t segments, std::int64_t k) {
    const fs::path file = fs::temp_directory_path() / ("maillage-roads-memory-" + std::to_string(::getpid()) + "-" +
                                                       std::to_string(segments) + "-k" + std::to_string(k) + ".gpkg");
    if (!fs::exists(file)) {
        synth::RoadLayerOptions o;
        o.segments = segments;
        o.shape_points = k;
        o.output = file;
        synth::write_road_layer(o);
    }
    return file;
}

// The peak memory load_road_layer adds, in bytes (support/child_peak.hpp).
long long measured_load_peak(const fs::path& file) {
    return test::measured_load_peak(file, "MAILLAGE_ROADS_MEMORY_CHILD", "RoadsMemoryEstimate.ChildLoad");
}

using test::status_kib;

}  // namespace

TEST(RoadsMemoryEstimate, WithinAQuarterOfTheMeasuredPeak) {
    // 200 000 segments of 10 points (a 317 × 317 grid): about 1 s to build; measured 106 MB,
    // estimated 106 MB.
    const fs::path file = layer(200'000, 8);
    const RoadMemoryEstimate estimate = estimate_road_layer_memory(file, "");
    EXPECT_EQ(estimate.counts.features, 200'000u);
    EXPECT_EQ(estimate.counts.points, 2'000'000u);
#if defined(__SANITIZE_ADDRESS__)
    GTEST_SKIP() << "under AddressSanitizer the measured memory is not the program's (shadow memory, quarantine)";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    GTEST_SKIP() << "under AddressSanitizer the measured memory is not the program's (shadow memory, quarantine)";
#endif
#endif
    const long long peak = measured_load_peak(file);
    ASSERT_GT(peak, 0) << "the child loading " << file << " failed";
    const double ratio = static_cast<double>(estimate.peak_bytes) / static_cast<double>(peak);
    EXPECT_GT(ratio, 0.75) << "estimate " << estimate.peak_bytes << " B, measured " << peak << " B";
    EXPECT_LT(ratio, 1.25) << "estimate " << estimate.peak_bytes << " B, measured " << peak << " B";
    fs::remove(file);
}

TEST(RoadsMemoryEstimate, ABudgetBelowTheEstimateRefusesBeforeBuilding) {
    const fs::path file = layer(2'000, 3);
    const RoadMemoryEstimate estimate = estimate_road_layer_memory(file, "");
    EXPECT_EQ(estimate.counts.features, 2'000u);
    EXPECT_EQ(estimate.counts.points, 10'000u);
    const RoadMapping mapping = RoadMapping::load(kRoute500);
    RoadLoadOptions options;
    options.max_memory_bytes = estimate.peak_bytes - 1;
    try {
        (void)load_road_layer(file, "", mapping, car(), options);
        FAIL() << "a budget below the estimate was accepted";
    } catch (const InputError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find(file.string()), std::string::npos) << what;
        EXPECT_NE(what.find("building this network needs about " + format_gigabytes(estimate.peak_bytes) +
                            ", more than the budget of " + format_gigabytes(estimate.peak_bytes - 1) +
                            " (--max-memory)"),
                  std::string::npos)
            << what;
    }
    options.max_memory_bytes = estimate.peak_bytes;  // enough: the same graph as without a budget
    const LoadedGraph within = load_road_layer(file, "", mapping, car(), options);
    const LoadedGraph unlimited = load_road_layer(file, "", mapping, car());
    EXPECT_EQ(within.graph.node_count(), unlimited.graph.node_count());
    EXPECT_EQ(within.graph.edge_count(), unlimited.graph.edge_count());
    EXPECT_EQ(within.stats, unlimited.stats);
    EXPECT_EQ(unlimited.stats["features"], 2'000);
    EXPECT_TRUE(unlimited.cut_off_roads.empty()) << "the generator's layer is one strongly connected network";
    fs::remove(file);
}

// The CLI: the same refusal as for OSM, exit code 3, nothing built; a larger budget builds.
TEST(RoadsMemoryEstimate, CliRefusesALayerAboveTheMemoryBudget) {
    const fs::path dir = maillage::testing::fresh_dir("roads_memory_budget");
    synth::RoadLayerOptions o;
    o.segments = 350'000;  // about 0.17 GB: above the smallest budget, 0.1 GB
    o.shape_points = 8;
    o.output = dir / "roads.gpkg";
    synth::write_road_layer(o);
    const RoadMemoryEstimate estimate = estimate_road_layer_memory(o.output, "");
    ASSERT_GT(estimate.peak_bytes, 150'000'000u);
    ASSERT_EQ(format_gigabytes(estimate.peak_bytes), "0.2 GB");
    const std::string network = "--network roads:" + o.output.string() + " --mapping " + kRoute500.string();
    auto r = maillage::testing::run_cli("network build " + network + " --max-memory 0.1 -o " + (dir / "r.mgraph").string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find(o.output.string()), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("building this network needs about 0.2 GB, more than the budget of 0.1 GB (--max-memory)"),
              std::string::npos)
        << r.err;
    EXPECT_FALSE(fs::exists(dir / "r.mgraph"));
    r = maillage::testing::run_cli("network build " + network + " --max-memory 1 -o " + (dir / "r.mgraph").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(dir / "r.mgraph"));
    fs::remove_all(dir);
}

// The child of measured_load_peak (skipped otherwise).
TEST(RoadsMemoryEstimate, ChildLoad) {
    const char* file = std::getenv("MAILLAGE_ROADS_MEMORY_CHILD");
    if (!file) GTEST_SKIP() << "run by measured_load_peak";
    const Profile& profile = car();
    const RoadMapping mapping = RoadMapping::load(kRoute500);
    std::printf("rss-before-load-kib=%ld\n", status_kib("VmRSS"));
    std::fflush(stdout);
    const LoadedGraph g = load_road_layer(file, "", mapping, profile);
    EXPECT_GT(g.graph.node_count(), 0u);
    std::printf("hwm-after-load-kib=%ld\n", status_kib("VmHWM"));
    std::fflush(stdout);
}

// Calibration (not a check): MAILLAGE_ROADS_MEMORY_CALIBRATE="S:K,S:K,..." prints the counts,
// the estimate and the measured peak for each synthetic layer (see roads_memory_estimate.cpp).
TEST(RoadsMemoryEstimate, Calibration) {
    const char* sizes = std::getenv("MAILLAGE_ROADS_MEMORY_CALIBRATE");
    if (!sizes) GTEST_SKIP() << "set MAILLAGE_ROADS_MEMORY_CALIBRATE=S:K,... to calibrate";
    std::stringstream list(sizes);
    std::string item;
    while (std::getline(list, item, ',')) {
        const auto colon = item.find(':');
        const std::int64_t s = std::stoll(item.substr(0, colon)), k = std::stoll(item.substr(colon + 1));
        const fs::path file = layer(s, k);
        const auto e = estimate_road_layer_memory(file, "");
        const long long peak = measured_load_peak(file);
        std::printf("calibration S=%lld K=%lld features=%llu points=%llu estimate=%llu measured=%lld\n",
                    static_cast<long long>(s), static_cast<long long>(k),
                    static_cast<unsigned long long>(e.counts.features), static_cast<unsigned long long>(e.counts.points),
                    static_cast<unsigned long long>(e.peak_bytes), peak);
        fs::remove(file);
    }
}
