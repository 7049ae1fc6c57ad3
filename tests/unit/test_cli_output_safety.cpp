// The README's output-safety promises, through the real binary, for every command that writes
// an output set (coverage, access, access --rate, optimise): a refusal (a file in the way, a
// folder maillage did not write, an input inside the output, a run already writing) costs
// nothing and touches nothing; a run failing after loading, or stopped by SIGINT / SIGTERM
// while it writes, leaves the earlier outputs byte for byte and no staging debris.
#include <chrono>
#include <csignal>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/output_checks.hpp"
#include "support/square_communes.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

// Three square communes, one France Services site, round estimated times: a run takes 0.1 s.
struct Fixture {
    fs::path dir, communes, sites, out;
    explicit Fixture(const std::string& name) : dir(fresh_dir(name)) {
        communes = dir / "communes.geojson";
        sites = dir / "sites.csv";
        out = dir / "out";
        write_text(communes, squares_geojson(three_in_a_row()));
        write_text(sites, "id,name,x,y\nS1,Site A,501000,6601000\n");
    }
    std::string study() const {
        return "--communes " + communes.string() + " --sites " + sites.string() + " --crs EPSG:2154 --network estimated:" +
               MAILLAGE_TEST_DATA + "/coverage/round_parameters.json ";
    }
    std::string coverage(const std::string& extra = "", const std::string& category = "france_services") const {
        return "coverage " + study() + "--category " + category + " --thresholds 1,3,5 --cell-size 100 " + extra + " -o " +
               out.string();
    }
    std::string access(const std::string& extra = "") const {
        return "access " + study() + "--category france_services " + extra + " -o " + out.string();
    }
    std::string rate(const std::string& extra = "") const {
        return "access --rate --communes " + communes.string() + " --sites " + sites.string() +
               " --crs EPSG:2154 --category france_services " + extra + " -o " + out.string();
    }
};

// The commands that write an output set, into `out` (optimise on the Vienne default: every
// case below is refused or fails before its work).
std::vector<std::string> every_command(const Fixture& f) {
    return {f.coverage(), f.access(), f.rate(),
            "optimise --category france_services --problem mclp -k 1 --max-minutes 20 -o " + f.out.string()};
}

const std::vector<std::string> kVienne = {"coverage", "--category", "france_services"};

}  // namespace

TEST(CliOutputSafety, ATargetThatIsAFileIsRefusedAndKept) {
    Fixture f("safety_file");
    for (const auto& cmd : every_command(f)) {
        write_text(f.out, "my notes");
        auto r = run_cli(cmd);
        EXPECT_EQ(r.exit_code, 4) << cmd << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, f.out.string() + ": exists and is not a directory")) << r.err;
        EXPECT_EQ(read_text(f.out), "my notes");
        EXPECT_TRUE(debris_beside(f.out).empty()) << cmd;
    }
}

TEST(CliOutputSafety, AFolderWithOtherFilesIsRefusedBeforeAnyWork) {
    Fixture f("safety_foreign");
    fs::create_directories(f.out / "sub");
    write_text(f.out / "precious.txt", "mine");
    write_text(f.out / "sub/deep.csv", "a,b\n");
    const auto before = snapshot(f.out);
    for (const auto& cmd : every_command(f)) {
        auto start = std::chrono::steady_clock::now();
        auto r = run_cli(cmd);
        EXPECT_EQ(r.exit_code, 4) << cmd << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, "holds files maillage did not write")) << r.err;
        EXPECT_EQ(snapshot(f.out), before) << cmd;
        EXPECT_TRUE(debris_beside(f.out).empty()) << cmd;
        // Before the work: optimise on Vienne would take seconds.
        EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2)) << cmd;
    }
}

TEST(CliOutputSafety, ARunFailingAfterLoadingLeavesThePreviousOutputsByteIdentical) {
    Fixture f("safety_fail");
    struct Case {
        std::string ok, failing, message;
        int exit = 3;
    };
    write_text(f.dir / "far.csv", "id,name,x,y\nS1,Site A,501000,6601000\nS9,Loin,900000,6601000\n");
    write_text(f.dir / "decay.csv", "max_minutes,weight\n10,0.4\n20,0.9\n");
    write_text(f.dir / "target.csv", "code_insee,population\n86001,-5\n");
    std::string far_sites = f.coverage();
    far_sites.replace(far_sites.find(f.sites.string()), f.sites.string().size(), (f.dir / "far.csv").string());
    const std::vector<Case> cases = {
        // An unknown category is a usage error (exit 2), found before the output is touched.
        {f.coverage(), f.coverage("", "no_such_category"), "no_such_category", 2},
        {f.coverage(), far_sites, "outside the study area"},
        {f.access(), f.access("--decay " + (f.dir / "decay.csv").string()), "decay.csv: line 3: field 'weight'"},
        {f.rate(), f.rate("--target-population " + (f.dir / "target.csv").string()), "negative value"},
    };
    for (const auto& c : cases) {
        fs::remove_all(f.out);
        auto first = run_cli(c.ok);
        ASSERT_EQ(first.exit_code, 0) << c.ok << "\n" << first.err;
        const auto before = snapshot(f.out);
        ASSERT_GT(before.size(), 3u);
        ASSERT_TRUE(before.count(".maillage-output"));
        auto r = run_cli(c.failing);
        EXPECT_EQ(r.exit_code, c.exit) << c.failing << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, c.message)) << r.err;
        EXPECT_EQ(snapshot(f.out), before) << c.failing;
        EXPECT_TRUE(debris_beside(f.out).empty()) << c.failing;
    }
}

TEST(CliOutputSafety, AWriteFailingHalfwayLeavesThePreviousOutputsByteIdentical) {
    // The disk filling up halfway, played by a file-size limit: coverage_communes.geojson
    // (540 kB) fits, catchments.geojson (1.9 MB) does not. Written file by file, the folder
    // would then mix the two runs.
    fs::path dir = fresh_dir("safety_full");
    const fs::path out = dir / "out";
    ASSERT_EQ(run_cli("coverage --category france_services -o " + out.string()).exit_code, 0);
    const auto before = snapshot(out);
    ASSERT_GT(before.at("coverage_communes.geojson").size(), 400000u);
    ASSERT_GT(before.at("catchments.geojson").size(), 1200000u);
    const std::string cmd = "trap '' XFSZ; ulimit -f 1100; exec " + std::string(MAILLAGE_BINARY) +
                            " coverage --category france_services --thresholds 15,30 -o " + out.string() + " 2>" +
                            (dir / "err").string() + " >/dev/null";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 4);
    const std::string err = read_text(dir / "err");
    EXPECT_TRUE(contains(err, (out / "catchments.geojson").string() + ": write failed (nothing was replaced: the earlier "
                                                                       "outputs in " + out.string() + " are untouched)"))
        << err;
    EXPECT_EQ(snapshot(out), before);
    EXPECT_TRUE(debris_beside(out).empty());
}

TEST(CliOutputSafety, ASecondRunIsRefusedWhileTheFirstHoldsTheLock) {
    Fixture f("safety_lock");
    ASSERT_EQ(run_cli(f.coverage()).exit_code, 0);
    const auto before = snapshot(f.out);
    // This process plays the first run: it holds the output's lock.
    int fd = ::open((f.dir / ".out.lock").c_str(), O_CREAT | O_RDWR, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    for (const auto& cmd : every_command(f)) {
        auto r = run_cli(cmd);
        EXPECT_EQ(r.exit_code, 4) << cmd << "\n" << r.err;
        EXPECT_TRUE(contains(r.err, f.out.string() + ": another maillage run is writing this directory")) << r.err;
        EXPECT_EQ(snapshot(f.out), before) << cmd;
    }
    ::close(fd);
    fs::remove(f.dir / ".out.lock");
    EXPECT_EQ(run_cli(f.coverage()).exit_code, 0);
}

TEST(CliOutputSafety, TwoRunsStartedTogetherNeverMixTheirFiles) {
    fs::path dir = fresh_dir("safety_two_runs");
    const fs::path out = dir / "out";
    for (int attempt = 0; attempt < 3; ++attempt) {
        std::vector<std::string> a = kVienne;
        a.insert(a.end(), {"--thresholds", "10,20", "-o", out.string()});
        Child first = spawn(a, dir / "first");
        int first_code = -1;
        bool first_still_running = true;
        while (!fs::exists(dir / ".out.lock") && (first_still_running = running(first.pid, first_code)))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        auto second = run_cli("coverage --category france_services --thresholds 15,30 -o " + out.string());
        if (first_still_running) first_still_running = running(first.pid, first_code);
        if (first_still_running) first_code = wait_for(first.pid);
        ASSERT_EQ(first_code, 0) << read_text(first.err);
        // Whatever the timing, the folder holds one run's files only.
        auto summary = nlohmann::json::parse(read_text(out / "summary.json"));
        auto gaps = nlohmann::json::parse(read_text(out / "gaps.csv.provenance.json"));
        auto communes = nlohmann::json::parse(read_text(out / "coverage_communes.geojson"));
        EXPECT_EQ(summary["metadata"]["parameters"]["bands_minutes"], gaps["parameters"]["bands_minutes"]);
        EXPECT_EQ(summary["metadata"]["parameters"]["bands_minutes"], communes["metadata"]["parameters"]["bands_minutes"]);
        if (!first_still_running) continue;  // the first ended before the second started: try again
        EXPECT_EQ(second.exit_code, 4) << second.err;
        EXPECT_TRUE(contains(second.err, "another maillage run is writing this directory")) << second.err;
        EXPECT_EQ(summary["metadata"]["parameters"]["bands_minutes"], nlohmann::json({10.0, 20.0}));
        EXPECT_TRUE(debris_beside(out).empty());
        return;
    }
    ADD_FAILURE() << "the first run always ended before the second started";
}

TEST(CliOutputSafety, AnInputInsideTheOutputIsRefused) {
    Fixture f("safety_input");
    ASSERT_EQ(run_cli(f.coverage()).exit_code, 0);
    // The sites a previous run wrote, read back into the same folder: the new set would delete them.
    const auto before = snapshot(f.out);
    auto r = run_cli("coverage --communes " + f.communes.string() + " --sites " + (f.out / "sites.geojson").string() +
                     " --category france_services -o " + f.out.string());
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_TRUE(contains(r.err, (f.out / "sites.geojson").string() + ": this input lies in the output directory")) << r.err;
    EXPECT_EQ(snapshot(f.out), before);
    // Through a different spelling of the same folder, and for access.
    r = run_cli("access --communes " + f.communes.string() + " --sites " + (f.out / "sites.geojson").string() +
                " --category france_services -o " + (f.out / "." / "").string());
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_TRUE(contains(r.err, "this input lies in the output directory")) << r.err;
    EXPECT_EQ(snapshot(f.out), before);
    // matrix / nearest write one file: never over an input.
    write_text(f.dir / "points.csv", "id,x,y\nP,501000,6601000\n");
    const std::string points = read_text(f.dir / "points.csv");
    r = run_cli("matrix --communes " + f.communes.string() + " --network estimated:" + MAILLAGE_TEST_DATA +
                "/coverage/round_parameters.json --crs EPSG:2154 --origins " + (f.dir / "points.csv").string() +
                " --destinations " + (f.dir / "points.csv").string() + " -o " + (f.dir / "points.csv").string());
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_TRUE(contains(r.err, "is the input")) << r.err;
    EXPECT_EQ(read_text(f.dir / "points.csv"), points);
}

TEST(CliOutputSafety, SigintWhileWritingLeavesTheEarlierOutputsAndNoDebris) {
    fs::path dir = fresh_dir("safety_sigint");
    const fs::path out = dir / "out";
    std::vector<std::string> args = kVienne;
    args.insert(args.end(), {"-o", out.string()});
    for (int attempt = 0; attempt < 5; ++attempt) {
        fs::remove_all(out);
        ASSERT_EQ(wait_for(spawn(args, dir / "earlier").pid), 0);
        const auto before = snapshot(out);
        std::vector<std::string> other = kVienne;
        other.insert(other.end(), {"--thresholds", "15,30", "-o", out.string()});
        Child c = spawn(other, dir / "stopped");
        // Wait for the staging directory: the run is writing its files.
        bool writing = false;
        int code = -1;
        while (running(c.pid, code)) {
            for (const auto& name : debris_beside(out))
                if (name.rfind(".out.staging-", 0) == 0) writing = true;
            if (writing) break;
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        }
        if (!writing) continue;  // it ended before we saw it writing: try again
        ::kill(c.pid, SIGINT);
        code = wait_for(c.pid);
        EXPECT_EQ(code, 130) << read_text(c.err);
        EXPECT_TRUE(contains(read_text(c.err), "maillage: stopped by SIGINT (interrupted): nothing was written; earlier "
                                               "outputs are untouched"))
            << read_text(c.err);
        EXPECT_EQ(snapshot(out), before);
        EXPECT_TRUE(debris_beside(out).empty()) << debris_beside(out).front();
        return;
    }
    ADD_FAILURE() << "never caught the run while it was writing";
}

TEST(CliOutputSafety, SigtermWhileLoadingExits143AndWritesNothing) {
    fs::path dir = fresh_dir("safety_sigterm");
    const fs::path out = dir / "out";
    std::vector<std::string> args = kVienne;
    args.insert(args.end(), {"-o", out.string()});
    ASSERT_EQ(wait_for(spawn(args, dir / "earlier").pid), 0);
    const auto before = snapshot(out);
    Child c = spawn(args, dir / "stopped");
    int code = -1;
    while (!fs::exists(dir / ".out.lock") && running(c.pid, code))
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ::kill(c.pid, SIGTERM);
    EXPECT_EQ(code == -1 ? wait_for(c.pid) : code, 143) << read_text(c.err);
    EXPECT_TRUE(contains(read_text(c.err), "maillage: stopped by SIGTERM (terminated): nothing was written"))
        << read_text(c.err);
    EXPECT_EQ(snapshot(out), before);
    EXPECT_TRUE(debris_beside(out).empty());
    // And the next run works as usual.
    EXPECT_EQ(wait_for(spawn(args, dir / "next").pid), 0);
}
