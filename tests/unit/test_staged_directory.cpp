// Output sets are replaced all or nothing, never over a directory maillage did not write, and
// never by two runs at once.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/cli_runner.hpp"
#include "util/errors.hpp"
#include "util/staged_directory.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {
const char* kScenario = "title: t\nanalyses:\n  coverage:\n    - {category: france_services, catchments: false}\n";
}

TEST(StagedDirectory, CommitReplacesAPreviousSetAndLeavesNothingAside) {
    fs::path dir = fresh_dir("staged_commit");
    {
        StagedDirectory s(dir / "out");
        write_text(s.path() / "a.txt", "first");
        s.commit();
    }
    {
        StagedDirectory s(dir / "out");
        write_text(s.path() / "b.txt", "second");
        s.commit();
    }
    EXPECT_FALSE(fs::exists(dir / "out/a.txt"));
    EXPECT_EQ(read_text(dir / "out/b.txt"), "second");
    EXPECT_TRUE(fs::exists(dir / "out" / StagedDirectory::kMarker));
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
    EXPECT_EQ(entries, 1u) << "staging, previous or lock files left beside the output";
}

TEST(StagedDirectory, WithoutCommitThePreviousSetStays) {
    fs::path dir = fresh_dir("staged_abort");
    {
        StagedDirectory s(dir / "out");
        write_text(s.path() / "a.txt", "first");
        s.commit();
    }
    {
        StagedDirectory s(dir / "out");
        write_text(s.path() / "half.txt", "half-written");
    }  // an exception on the way: no commit
    EXPECT_EQ(read_text(dir / "out/a.txt"), "first");
    EXPECT_FALSE(fs::exists(dir / "out/half.txt"));
}

TEST(StagedDirectory, RefusesADirectoryMaillageDidNotWrite) {
    fs::path dir = fresh_dir("staged_foreign");
    write_text(dir / "precious.txt", "mine");
    EXPECT_THROW(StagedDirectory::check_target(dir), OutputError);
    EXPECT_THROW(StagedDirectory s(dir), OutputError);
    fs::create_directories(dir / "empty");
    EXPECT_NO_THROW(StagedDirectory::check_target(dir / "empty"));
    // Through the CLI: exit 4 before any work, the user's file untouched.
    write_text(dir / "s.yaml", kScenario);
    auto r = run_cli("run " + (dir / "s.yaml").string() + " -o " + dir.string());
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("holds files maillage did not write"), std::string::npos) << r.err;
    EXPECT_EQ(read_text(dir / "precious.txt"), "mine");
}

TEST(StagedDirectory, ASecondRunIntoTheSameDirectoryIsRefusedWhileTheFirstWrites) {
    fs::path dir = fresh_dir("staged_lock");
    write_text(dir / "s.yaml", kScenario);
    // This process plays the first run: it holds the output's lock.
    int fd = ::open((dir / ".out.lock").c_str(), O_CREAT | O_RDWR, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    auto r = run_cli("run " + (dir / "s.yaml").string() + " -o " + (dir / "out").string());
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("another maillage run is writing"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
    ::close(fd);
    r = run_cli("run " + (dir / "s.yaml").string() + " -o " + (dir / "out").string());
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(StagedDirectory, StagingLeftByAKilledRunIsRemovedByTheNext) {
    fs::path dir = fresh_dir("staged_stale");
    // A pid that cannot be alive (above the kernel's pid_max of 4194304).
    fs::create_directories(dir / ".out.staging-99999999");
    write_text(dir / ".out.staging-99999999/x", "debris");
    {
        StagedDirectory s(dir / "out");
        s.commit();
    }
    EXPECT_FALSE(fs::exists(dir / ".out.staging-99999999"));
}
