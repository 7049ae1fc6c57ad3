#pragma once
// An output set written all or nothing: files go into a hidden sibling directory, and
// commit() swaps it with the target in two renames. A run that fails (or is interrupted
// before commit) leaves the previous target untouched and removes its staging directory.
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

namespace maillage {

namespace detail {
struct OutputLock;
}

//
// Safety: only a directory maillage wrote (it holds the marker file `.maillage-output`) or an
// empty one is ever replaced; anything else is refused before anything is written. Two runs into
// one target cannot interleave: the second is refused while the first holds `.NAME.lock`.
// Staging directories left by a killed run (their process is gone) are removed by the next.
class StagedDirectory {
public:
    static constexpr const char* kMarker = ".maillage-output";

    // OutputError unless `target` is absent, empty, or a previous maillage output set: call it
    // before the work, so a refusal costs nothing.
    static void check_target(const std::filesystem::path& target);
    // OutputError if an input file or directory is `target` or lies inside it: the set
    // replaces `target` as a whole, so writing it would delete that input.
    static void check_not_over_inputs(const std::filesystem::path& target,
                                      const std::vector<std::filesystem::path>& inputs);

    // Takes the lock, creates `.NAME.staging-PID` beside `target` (OutputError if it cannot).
    // If this process already holds the target's lock (an OutputReservation), it is shared.
    explicit StagedDirectory(std::filesystem::path target);
    ~StagedDirectory();
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;

    // Where to write the files of the set.
    [[nodiscard]] const std::filesystem::path& path() const { return staging_; }
    [[nodiscard]] const std::filesystem::path& target() const { return target_; }
    // Moves the set into place: the old target (if any) is renamed aside, the staging
    // directory renamed to the target, then the old one removed.
    void commit();
    // fill(path()) then commit(). An OutputError on the way (disk full, a file too large) is
    // said with the target's name instead of the staging directory's, adding that the
    // earlier outputs are untouched.
    void write_and_commit(const std::function<void(const std::filesystem::path&)>& fill);

    // For a signal handler's thread, just before the process ends (_exit): removes every
    // uncommitted staging directory and lock file of this process (StagedFiles' too) and
    // blocks any later commit, so the targets stay as they are. Returns how many output sets
    // were committed before (0: nothing was written).
    static int abandon_all_before_exit();

private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
    std::shared_ptr<detail::OutputLock> lock_;
    bool committed_ = false;
};

// Holds a target's lock from before the work to the end of the run, so a second run into the
// same directory is refused at once rather than after its work; checks the target as
// StagedDirectory::check_target does. A StagedDirectory made later in this process for the
// same target shares the lock.
class OutputReservation {
public:
    explicit OutputReservation(const std::filesystem::path& target);
    ~OutputReservation();
    OutputReservation(const OutputReservation&) = delete;
    OutputReservation& operator=(const OutputReservation&) = delete;

private:
    std::shared_ptr<detail::OutputLock> lock_;
};

}  // namespace maillage
