// The README's output-safety promises for the commands whose output is one CSV and its sidecar
// (`maillage matrix`, `maillage nearest`: FILE and FILE.provenance.json), through the real
// binary: the pair is replaced as one set (util/staged_files.hpp) — a failure while writing or
// installing, a second run, SIGTERM leave the earlier pair byte for byte and no debris — and the
// sidecar names the CSV's sha256, so a CSV and a sidecar from different runs are told apart.
#include <chrono>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/output_checks.hpp"
#include "support/square_communes.hpp"
#include "util/sha256.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

// Three square communes, round estimated times; two point files whose matrices differ.
struct Fixture {
    fs::path dir, communes, points, other, out, sidecar;
    explicit Fixture(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        points = dir / "points.csv";
        other = dir / "other.csv";
        out = dir / "m.csv";
        sidecar = dir / "m.csv.provenance.json";
        write_text(communes, squares_geojson(three_in_a_row()));
        write_text(points, "id,x,y\nP,501000,6601000\nQ,505000,6601000\n");
        write_text(other, "id,x,y\nR,503000,6601000\n");
    }
    std::string study() const {
        return "--communes " + communes.string() + " --crs EPSG:2154 --network estimated:" + MAILLAGE_TEST_DATA +
               "/coverage/round_parameters.json ";
    }
    std::string matrix(const fs::path& destinations) const {
        return "matrix " + study() + "--origins " + points.string() + " --destinations " + destinations.string() + " -o " +
               out.string();
    }
    std::string nearest(const fs::path& sites) const {
        return "nearest " + study() + "--sites " + sites.string() + " --points " + points.string() + " -o " + out.string();
    }
    // Both commands, each as a first run and as a second one writing different figures.
    std::vector<std::pair<std::string, std::string>> runs() const {
        return {{matrix(points), matrix(other)}, {nearest(points), nearest(other)}};
    }
    // The earlier pair (CSV + sidecar) and everything beside it.
    std::map<std::string, std::string> pair() const { return {{"csv", read_text(out)}, {"sidecar", read_text(sidecar)}}; }
};

// The 1 kB blocks `ulimit -f` counts in bash, 512 B in dash (/bin/sh on Debian): a limit of
// `blocks` lets through a file below 512 × blocks bytes, and stops one above 1024 × blocks.
std::string limited(const std::string& args, int blocks, const fs::path& err) {
    return "trap '' XFSZ; ulimit -f " + std::to_string(blocks) + "; exec " + std::string(MAILLAGE_BINARY) + " " + args +
           " 2>" + err.string() + " >/dev/null";
}

}  // namespace

TEST(CliFileOutputs, TheSidecarNamesTheCsvAndItsSha256) {
    Fixture f("files_sha");
    for (const auto& [first, second] : f.runs()) {
        auto r = run_cli(first);
        ASSERT_EQ(r.exit_code, 0) << first << "\n" << r.err;
        auto meta = nlohmann::json::parse(read_text(f.sidecar));
        EXPECT_EQ(meta["output"]["file"], "m.csv");
        EXPECT_EQ(meta["output"]["sha256"], maillage::sha256_file(f.out)) << first;
        // A CSV of another run does not match this sidecar: the mismatch is detectable.
        r = run_cli(second);
        ASSERT_EQ(r.exit_code, 0) << second << "\n" << r.err;
        EXPECT_NE(nlohmann::json::parse(read_text(f.sidecar))["output"]["sha256"], meta["output"]["sha256"]);
        EXPECT_EQ(nlohmann::json::parse(read_text(f.sidecar))["output"]["sha256"], maillage::sha256_file(f.out));
        EXPECT_TRUE(debris_beside(f.out).empty()) << debris_beside(f.out).front();
    }
}

TEST(CliFileOutputs, ASidecarBlockedByADirectoryLeavesTheEarlierCsvByteIdentical) {
    Fixture f("files_blocked");
    for (const auto& [first, second] : f.runs()) {
        fs::remove_all(f.sidecar);
        ASSERT_EQ(run_cli(first).exit_code, 0) << first;
        const std::string csv = read_text(f.out);
        // The sidecar's place taken by a folder of the user's: written CSV first, then its
        // sidecar, the new CSV would stay beside no sidecar of its own.
        fs::remove(f.sidecar);
        fs::create_directories(f.sidecar);
        write_text(f.sidecar / "notes.txt", "mine");
        auto r = run_cli(second);
        EXPECT_EQ(r.exit_code, 4) << second << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, f.sidecar.string() + ": is a directory")) << r.err;
        EXPECT_EQ(read_text(f.out), csv) << second;
        EXPECT_EQ(snapshot(f.sidecar), (std::map<std::string, std::string>{{"notes.txt", "mine"}}));
        EXPECT_TRUE(debris_beside(f.out).empty()) << debris_beside(f.out).front();
    }
}

TEST(CliFileOutputs, AWriteFailingHalfwayLeavesTheEarlierPairByteIdentical) {
    // The disk filling up halfway, played by a file-size limit of one block: the CSV (under
    // 512 B) fits, the sidecar (about 2 kB: inputs with their sha256, parameters, warnings)
    // does not.
    // Installed file by file, the new CSV would stand beside the old sidecar.
    Fixture f("files_full");
    for (const auto& [first, second] : f.runs()) {
        ASSERT_EQ(run_cli(first).exit_code, 0) << first;
        const auto before = f.pair();
        ASSERT_LT(before.at("csv").size(), 512u);
        ASSERT_GT(before.at("sidecar").size(), 1024u);
        const int status = std::system(limited(second, 1, f.dir / "err").c_str());
        ASSERT_TRUE(WIFEXITED(status));
        EXPECT_EQ(WEXITSTATUS(status), 4) << second;
        const std::string err = read_text(f.dir / "err");
        EXPECT_TRUE(contains(err, f.sidecar.string() + ": write failed (nothing was replaced: the earlier " + f.out.string() +
                                      " and " + f.sidecar.string() + " are untouched)"))
            << err;
        EXPECT_EQ(f.pair(), before) << second;
        EXPECT_TRUE(debris_beside(f.out).empty()) << debris_beside(f.out).front();
    }
}

TEST(CliFileOutputs, ASecondRunIsRefusedWhileTheFirstHoldsTheLock) {
    Fixture f("files_lock");
    for (const auto& [first, second] : f.runs()) {
        ASSERT_EQ(run_cli(first).exit_code, 0) << first;
        const auto before = f.pair();
        // This process plays the first run: it holds the output's lock.
        int fd = ::open((f.dir / ".m.csv.lock").c_str(), O_CREAT | O_RDWR, 0644);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
        auto r = run_cli(second);
        EXPECT_EQ(r.exit_code, 4) << second << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, f.out.string() + ": another maillage run is writing this file; wait for it to end"))
            << r.err;
        EXPECT_EQ(f.pair(), before) << second;
        ::close(fd);
        fs::remove(f.dir / ".m.csv.lock");
        r = run_cli(second);
        EXPECT_EQ(r.exit_code, 0) << second << "\n" << r.err;
        EXPECT_NE(f.pair(), before) << second;
    }
}

TEST(CliFileOutputs, SigtermWhileLoadingExits143AndLeavesTheEarlierPair) {
    // On the Vienne default (its communes and neighbours take a while to load), to a file
    // holding an earlier pair.
    fs::path dir = fresh_dir("files_sigterm");
    const fs::path out = dir / "n.csv";
    write_text(dir / "sites.csv", "id,lon,lat\nS,0.34,46.58\n");
    write_text(dir / "points.csv", "id,lon,lat\nP,0.5,46.6\n");
    const std::vector<std::string> args = {"nearest", "--sites", (dir / "sites.csv").string(), "--points",
                                           (dir / "points.csv").string(), "-o", out.string()};
    ASSERT_EQ(wait_for(spawn(args, dir / "earlier").pid), 0) << read_text(dir / "earlier.stderr");
    const auto before = snapshot(out);
    const std::string sidecar = read_text(out.string() + ".provenance.json");
    Child c = spawn(args, dir / "stopped");
    int code = -1;
    while (!fs::exists(dir / ".n.csv.lock") && running(c.pid, code))
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ::kill(c.pid, SIGTERM);
    EXPECT_EQ(code == -1 ? wait_for(c.pid) : code, 143) << read_text(c.err);
    EXPECT_TRUE(contains(read_text(c.err), "maillage: stopped by SIGTERM (terminated): nothing was written"))
        << read_text(c.err);
    EXPECT_EQ(snapshot(out), before);
    EXPECT_EQ(read_text(out.string() + ".provenance.json"), sidecar);
    EXPECT_TRUE(debris_beside(out).empty()) << debris_beside(out).front();
    // And the next run works as usual.
    EXPECT_EQ(wait_for(spawn(args, dir / "next").pid), 0);
}
