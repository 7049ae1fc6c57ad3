#pragma once
// An output set written all or nothing: files go into a hidden sibling directory, and
// commit() swaps it with the target in two renames. A run that fails (or is interrupted
// before commit) leaves the previous target untouched and removes its staging directory.
#include <filesystem>

namespace maillage {

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

    // Takes the lock, creates `.NAME.staging-PID` beside `target` (OutputError if it cannot).
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

private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
    std::filesystem::path lock_path_;
    int lock_fd_ = -1;
    bool committed_ = false;
};

}  // namespace maillage
