#pragma once
// An output set written all or nothing: files go into a hidden sibling directory, and
// commit() swaps it with the target in two renames. A run that fails (or is interrupted
// before commit) leaves the previous target untouched and removes its staging directory.
#include <filesystem>

namespace maillage {

class StagedDirectory {
public:
    // Creates `.NAME.staging-PID` beside `target` (OutputError if it cannot).
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
    bool committed_ = false;
};

}  // namespace maillage
