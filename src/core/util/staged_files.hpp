#pragma once
// A few files in one directory replaced all or nothing: the outputs that are a file and its
// companion (`maillage matrix` / `nearest`: FILE.csv and its provenance FILE.csv.provenance.json),
// with the guarantees StagedDirectory gives an output set.
//
// POSIX renames one name at a time: two files cannot be swapped in one step. So:
//  - every file is written first into a hidden directory beside them (`.NAME.staging-PID/`, NAME
//    the first target's name): a failure while writing (disk full, an error, a signal) replaces
//    nothing, and the staging directory is removed;
//  - commit() installs them with one rename each, the FIRST target LAST. The others describe it
//    (the CSV's sidecar carries the CSV's sha256), so a reader between two renames sees the old
//    CSV with the new sidecar, whose sha256 does not match it: detectably inconsistent, and never
//    a new CSV with an old sidecar (which would look consistent and be wrong);
//  - a rename failing midway puts back the files installed before it (their previous version is
//    kept in the staging directory, as a hard link or else a copy, until the commit ends), so a
//    failed commit replaces nothing either;
//  - SIGINT / SIGTERM (main's handler, StagedDirectory::abandon_all_before_exit) wait for a commit
//    under way to end, then remove the staging directory and the lock. Only SIGKILL or a power
//    cut between two renames can leave the old CSV with the new sidecar (detectable as above);
//    the next run into the same file removes the staging directory left behind.
// Two runs into the same files cannot interleave: the second is refused while the first holds
// `.NAME.lock`, taken by the constructor (before the work) and held until destruction.
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace maillage {

namespace detail {
struct OutputLock;
}

class StagedFiles {
public:
    // `targets`: distinct file names in one directory, the main file first. OutputError when
    // one of them is a directory, or when another run holds the lock.
    explicit StagedFiles(std::vector<std::filesystem::path> targets);
    ~StagedFiles();
    StagedFiles(const StagedFiles&) = delete;
    StagedFiles& operator=(const StagedFiles&) = delete;

    [[nodiscard]] const std::vector<std::filesystem::path>& targets() const { return targets_; }

    // Creates the staging directory, calls `fill` with where to write each target (same order,
    // same file names, inside the staging directory), then installs them as described above.
    // An OutputError while filling or installing is said with the targets' names, adding that
    // the earlier files are untouched.
    void write_and_commit(const std::function<void(const std::vector<std::filesystem::path>&)>& fill);

private:
    void commit();
    [[nodiscard]] std::string untouched() const;

    std::vector<std::filesystem::path> targets_;
    std::filesystem::path staging_;
    std::shared_ptr<detail::OutputLock> lock_;
    bool committed_ = false;
};

}  // namespace maillage
