// The memory estimate of an OSM build (issue 15.4): the estimate is within 25 % of the peak
// memory load_osm really adds, measured in a child process, and a budget below it makes
// load_osm refuse the file before building, naming it.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "network/osm_loader.hpp"
#include "network/osm_memory_estimate.hpp"
#include "network/profile.hpp"
#include "support/ascii_osm.hpp"
#include "support/child_peak.hpp"
#include "support/cli_runner.hpp"
#include "synthetic_extract.hpp"
#include "util/errors.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

const Profile& car() {
    static const Profile p = load_profile("car", fs::path(MAILLAGE_SOURCE_DIR) / "geodata");
    return p;
}

fs::path extract(std::int64_t n, std::int64_t k) {
    const fs::path file = fs::temp_directory_path() /
                          ("maillage-memory-" + std::to_string(::getpid()) + "-" + std::to_string(n) + "-k" +
                           std::to_string(k) + ".osm.pbf");
    if (!fs::exists(file)) {
        synth::ExtractOptions o;
        o.size = n;
        o.shape_nodes = k;
        o.islands = 3;
        o.output = file;
        synth::write_extract(o);
    }
    return file;
}

// The peak memory load_osm adds, in bytes (support/child_peak.hpp).
long long measured_load_peak(const fs::path& file) {
    return test::measured_load_peak(file, "MAILLAGE_OSM_MEMORY_CHILD", "OsmMemoryEstimate.ChildLoad");
}

using test::status_kib;

}  // namespace

TEST(OsmMemoryEstimate, WithinAQuarterOfTheMeasuredPeak) {
    // 200 × 200 intersections, 9 shape nodes per link: 757 k OSM nodes, 806 k way references,
    // 40 k graph nodes; about 1 s to build.
    const fs::path file = extract(200, 9);
    const OsmMemoryEstimate estimate = estimate_osm_memory(file, car());
    EXPECT_EQ(estimate.counts.ways_read, 10018u);
    EXPECT_EQ(estimate.counts.routable_ways, 10018u);
    EXPECT_EQ(estimate.counts.routable_way_nodes, 806378u);
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

TEST(OsmMemoryEstimate, ABudgetBelowTheEstimateRefusesBeforeBuilding) {
    const fs::path file = extract(20, 2);
    const OsmMemoryEstimate estimate = estimate_osm_memory(file, car());
    OsmLoadOptions options;
    options.max_memory_bytes = estimate.peak_bytes - 1;
    try {
        (void)load_osm(file, car(), options);
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
    const LoadedGraph within = load_osm(file, car(), options);
    const LoadedGraph unlimited = load_osm(file, car());
    EXPECT_EQ(within.graph.node_count(), unlimited.graph.node_count());
    EXPECT_EQ(within.graph.edge_count(), unlimited.graph.edge_count());
    fs::remove(file);
}

TEST(OsmMemoryEstimate, CountsTheWaysTheLoaderKeepsForEachProfile) {
    // Ways each profile keeps or not (a footway, a motorway, a road closed to all, a way
    // leaving the extract at '?', a way through a node twice): the estimate reads the file
    // through the loader's own first pass, so its counts are the loader's, and the loader's
    // budget check falls exactly at the estimate.
    maillage::testing::AsciiOsm map(R"(
A---B---C---D
    |       |
    E---F---G
)");
    map.way("AB", {{"highway", "primary"}})
        .way("BC", {{"highway", "footway"}})
        .way("CD", {{"highway", "motorway"}})
        .way("BEFG", {{"highway", "residential"}})
        .way("GD", {{"highway", "residential"}, {"access", "no"}})
        .way("DG?", {{"highway", "track"}})
        .way("EFE", {{"highway", "service"}});
    const fs::path file = maillage::testing::fresh_dir("memory_profiles") / "map.osm";
    map.write(file);
    for (const char* name : {"car", "bicycle", "foot"}) {
        const Profile profile = load_profile(name, fs::path(MAILLAGE_SOURCE_DIR) / "geodata");
        const OsmMemoryEstimate estimate = estimate_osm_memory(file, profile);
        const LoadedGraph g = load_osm(file, profile);
        EXPECT_EQ(estimate.counts.ways_read, g.stats["osm_ways_read"].get<std::uint64_t>()) << name;
        EXPECT_EQ(estimate.counts.routable_ways, g.stats["routable_ways"].get<std::uint64_t>()) << name;
        EXPECT_GT(estimate.counts.routable_ways, 0u) << name;
        EXPECT_LT(estimate.counts.routable_ways, 7u) << name << ": every profile leaves a way out";
        OsmLoadOptions options;
        options.max_memory_bytes = estimate.peak_bytes;
        EXPECT_NO_THROW((void)load_osm(file, profile, options)) << name;
        options.max_memory_bytes = estimate.peak_bytes - 1;
        EXPECT_THROW((void)load_osm(file, profile, options), InputError) << name;
    }
}

// The child of measured_load_peak (skipped otherwise).
TEST(OsmMemoryEstimate, ChildLoad) {
    const char* file = std::getenv("MAILLAGE_OSM_MEMORY_CHILD");
    if (!file) GTEST_SKIP() << "run by measured_load_peak";
    const Profile& profile = car();
    std::printf("rss-before-load-kib=%ld\n", status_kib("VmRSS"));
    std::fflush(stdout);
    const LoadedGraph g = load_osm(file, profile);
    EXPECT_GT(g.graph.node_count(), 0u);
    std::printf("hwm-after-load-kib=%ld\n", status_kib("VmHWM"));
    std::fflush(stdout);
}

TEST(OsmMemoryEstimate, Gigabytes) {
    EXPECT_EQ(format_gigabytes(2'500'000'000), "2.5 GB");
    EXPECT_EQ(format_gigabytes(40'000'000), "0.04 GB");
}

// Calibration (not a check): MAILLAGE_OSM_MEMORY_CALIBRATE="N:K,N:K,..." prints the counts,
// the estimate and the measured peak for each synthetic extract (see osm_memory_estimate.cpp).
TEST(OsmMemoryEstimate, Calibration) {
    const char* sizes = std::getenv("MAILLAGE_OSM_MEMORY_CALIBRATE");
    if (!sizes) GTEST_SKIP() << "set MAILLAGE_OSM_MEMORY_CALIBRATE=N:K,... to calibrate";
    std::stringstream list(sizes);
    std::string item;
    while (std::getline(list, item, ',')) {
        const auto colon = item.find(':');
        const std::int64_t n = std::stoll(item.substr(0, colon)), k = std::stoll(item.substr(colon + 1));
        const fs::path file = extract(n, k);
        const auto e = estimate_osm_memory(file, car());
        const long long peak = measured_load_peak(file);
        std::printf("calibration N=%lld K=%lld file=%llu ways=%llu refs=%llu estimate=%llu measured=%lld\n",
                    static_cast<long long>(n), static_cast<long long>(k),
                    static_cast<unsigned long long>(e.counts.file_bytes),
                    static_cast<unsigned long long>(e.counts.routable_ways),
                    static_cast<unsigned long long>(e.counts.routable_way_nodes),
                    static_cast<unsigned long long>(e.peak_bytes), peak);
        fs::remove(file);
    }
}
