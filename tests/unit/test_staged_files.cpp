// A file and its companion (a CSV and its sidecar) replaced as one set: written aside, installed
// companion first and main file last, put back when an install fails, never by two runs at once.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "support/output_checks.hpp"
#include "util/errors.hpp"
#include "util/staged_files.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

struct Pair {
    fs::path dir, csv, sidecar;
    explicit Pair(const std::string& name)
        : dir(fresh_dir(name)), csv(dir / "t.csv"), sidecar(dir / "t.csv.provenance.json") {}
    void write(const std::string& csv_text, const std::string& sidecar_text) const {
        StagedFiles files({csv, sidecar});
        files.write_and_commit([&](const std::vector<fs::path>& staged) {
            write_text(staged[0], csv_text);
            write_text(staged[1], sidecar_text);
        });
    }
    [[nodiscard]] std::vector<std::string> contents() const { return {read_text(csv), read_text(sidecar)}; }
    // Everything in the directory: only the pair (no staging directory, no lock).
    [[nodiscard]] std::size_t entries() const {
        std::size_t n = 0;
        for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
        return n;
    }
};

}  // namespace

TEST(StagedFiles, CommitReplacesBothAndLeavesNothingAside) {
    Pair p("files_commit");
    p.write("a\n1\n", "{\"run\": 1}\n");
    EXPECT_EQ(p.contents(), (std::vector<std::string>{"a\n1\n", "{\"run\": 1}\n"}));
    p.write("a\n2\n", "{\"run\": 2}\n");
    EXPECT_EQ(p.contents(), (std::vector<std::string>{"a\n2\n", "{\"run\": 2}\n"}));
    EXPECT_EQ(p.entries(), 2u) << "staging directory or lock left beside the files";
}

TEST(StagedFiles, AFailureWhileWritingReplacesNothing) {
    Pair p("files_fill_fails");
    p.write("a\n1\n", "{\"run\": 1}\n");
    try {
        StagedFiles files({p.csv, p.sidecar});
        files.write_and_commit([&](const std::vector<fs::path>& staged) {
            write_text(staged[0], "a\n2\n");  // the CSV is written, then the sidecar fails
            throw OutputError(staged[1].string() + ": write failed");
        });
        FAIL() << "no error";
    } catch (const OutputError& e) {
        // Said with the target's name, not the staging directory's.
        EXPECT_EQ(std::string(e.what()), p.sidecar.string() + ": write failed (nothing was replaced: the earlier " +
                                             p.csv.string() + " and " + p.sidecar.string() + " are untouched)");
    }
    EXPECT_EQ(p.contents(), (std::vector<std::string>{"a\n1\n", "{\"run\": 1}\n"}));
    EXPECT_EQ(p.entries(), 2u) << "staging directory or lock left beside the files";
}

TEST(StagedFiles, AMainFileThatCannotBeInstalledPutsTheSidecarBack) {
    Pair p("files_rollback");
    p.write("a\n1\n", "{\"run\": 1}\n");
    StagedFiles files({p.csv, p.sidecar});
    EXPECT_THROW(files.write_and_commit([&](const std::vector<fs::path>& staged) {
        write_text(staged[0], "a\n2\n");
        write_text(staged[1], "{\"run\": 2}\n");
        // Something takes the CSV's place after the checks: its rename will fail, after the
        // sidecar's (installed first) succeeded.
        fs::remove(p.csv);
        fs::create_directories(p.csv / "sub");
    }),
                 OutputError);
    EXPECT_EQ(read_text(p.sidecar), "{\"run\": 1}\n") << "the earlier sidecar is put back";
    EXPECT_TRUE(fs::is_directory(p.csv / "sub"));
}

TEST(StagedFiles, ACompanionWithoutAnEarlierFileIsRemovedWhenTheMainFileFails) {
    Pair p("files_rollback_new");
    StagedFiles files({p.csv, p.sidecar});
    EXPECT_THROW(files.write_and_commit([&](const std::vector<fs::path>& staged) {
        write_text(staged[0], "a\n2\n");
        write_text(staged[1], "{\"run\": 2}\n");
        fs::create_directories(p.csv / "sub");
    }),
                 OutputError);
    EXPECT_FALSE(fs::exists(p.sidecar)) << "a new sidecar beside no CSV of its own";
}

TEST(StagedFiles, ADirectoryInTheWayIsRefusedBeforeAnyWork) {
    Pair p("files_directory");
    fs::create_directories(p.sidecar);
    try {
        StagedFiles files({p.csv, p.sidecar});
        FAIL() << "no error";
    } catch (const OutputError& e) {
        EXPECT_TRUE(contains(e.what(), p.sidecar.string() + ": is a directory")) << e.what();
    }
    EXPECT_EQ(p.entries(), 1u);  // no lock left
}

TEST(StagedFiles, ASecondWriterIsRefusedWhileTheFirstHoldsTheLock) {
    Pair p("files_lock");
    // Another process holds the lock (played by this one, through its own descriptor).
    int fd = ::open((p.dir / ".t.csv.lock").c_str(), O_CREAT | O_RDWR, 0644);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
    try {
        StagedFiles files({p.csv, p.sidecar});
        FAIL() << "no error";
    } catch (const OutputError& e) {
        EXPECT_EQ(std::string(e.what()), p.csv.string() + ": another maillage run is writing this file; wait for it to end");
    }
    ::close(fd);
    fs::remove(p.dir / ".t.csv.lock");
    EXPECT_NO_THROW(p.write("a\n1\n", "{}\n"));
}

TEST(StagedFiles, StagingLeftByAKilledRunIsRemovedByTheNext) {
    Pair p("files_stale");
    // A pid that cannot be alive (above the kernel's pid_max of 4194304).
    fs::create_directories(p.dir / ".t.csv.staging-99999999");
    write_text(p.dir / ".t.csv.staging-99999999/t.csv", "debris");
    p.write("a\n1\n", "{}\n");
    EXPECT_FALSE(fs::exists(p.dir / ".t.csv.staging-99999999"));
    EXPECT_EQ(p.entries(), 2u);
}
