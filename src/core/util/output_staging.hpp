#pragma once
// What the two all-or-nothing writers share (StagedDirectory: an output set in a directory;
// StagedFiles: a CSV and its provenance sidecar): the lock beside a target, the names of the
// hidden siblings, and the registry a signal handler reads to remove what was not committed.
// Internal to util: front ends use staged_directory.hpp and staged_files.hpp.
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace maillage::detail {

// One flock on `.NAME.lock`, shared by every holder in this process; the last holder removes
// the file.
struct OutputLock {
    std::filesystem::path path;
    int fd = -1;
    ~OutputLock();
};

struct StagingRegistry {
    // Held during every commit and, for good, by abandon_all_staging_before_exit: a signal
    // arriving during a commit waits for it to end, and no commit starts after the signal.
    std::mutex mutex;
    std::map<std::string, std::weak_ptr<OutputLock>> locks;  // by absolute lock path
    std::map<const void*, std::filesystem::path> uncommitted;  // writer → its staging directory
    int committed = 0;
};

// A writer going away: forgets it in the registry and, unless it committed, removes its
// staging directory (under the registry's lock, so never during another commit).
void forget_staging(const void* writer, const std::filesystem::path& staging, bool committed);
StagingRegistry& staging_registry();  // never destroyed: a signal thread may use it at exit

// `dir/` and `dir/.` → `dir`.
std::filesystem::path clean_target(const std::filesystem::path& target);
// `.NAME.WHAT-PID` beside `target`.
std::filesystem::path sibling(const std::filesystem::path& target, const char* what);
// Takes `.NAME.lock` beside `target` (creating the parent directory), or shares this
// process's hold on it. OutputError "TARGET: another maillage run is writing this KIND" when
// another process holds it; `kind` is "directory" or "file".
std::shared_ptr<OutputLock> acquire_output_lock(const std::filesystem::path& target, const char* kind);
// Removes `.NAME.staging-PID` of processes that no longer exist (debris of a killed run), and
// with `previous_too` `.NAME.previous-PID` once the target is in place again (a directory set
// killed between the two renames of its commit left the old set there).
void remove_stale_siblings(const std::filesystem::path& target, bool previous_too);

// Removes every registered staging directory and lock file of this process, and keeps the
// registry's mutex so no commit can start; returns how many sets were committed before.
int abandon_all_staging_before_exit();

}  // namespace maillage::detail
