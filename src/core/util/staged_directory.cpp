#include "util/staged_directory.hpp"

#include <cerrno>
#include <csignal>
#include <fstream>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {
fs::path sibling(const fs::path& target, const char* what) {
    fs::path clean = target.lexically_normal();
    if (clean.filename().empty()) clean = clean.parent_path();
    return clean.parent_path() / ("." + clean.filename().string() + "." + what + "-" + std::to_string(::getpid()));
}

fs::path clean_target(const fs::path& target) {
    fs::path t = target.lexically_normal();
    return t.filename().empty() ? t.parent_path() : t;
}

// `.NAME.staging-PID` of processes that no longer exist: debris of a killed run.
void remove_stale_staging(const fs::path& target) {
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string prefix = "." + target.filename().string() + ".staging-";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(parent, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        const std::string pid_text = name.substr(prefix.size());
        if (pid_text.empty() || pid_text.find_first_not_of("0123456789") != std::string::npos) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
        if (pid == ::getpid() || (::kill(pid, 0) == 0 || errno == EPERM)) continue;
        std::error_code ignored;
        fs::remove_all(e.path(), ignored);
    }
}

}  // namespace

void StagedDirectory::check_target(const fs::path& target) {
    const fs::path t = clean_target(target);
    std::error_code ec;
    if (!fs::exists(t, ec)) return;
    if (!fs::is_directory(t, ec)) throw OutputError(t.string() + ": exists and is not a directory");
    if (fs::exists(t / kMarker, ec) || fs::is_empty(t, ec)) return;
    // Sets written before the marker existed (scenario runs of 2026-11-26 and earlier).
    if (fs::exists(t / "scenario.json", ec) && fs::exists(t / "comparison.json", ec)) return;
    throw OutputError(t.string() + ": this directory holds files maillage did not write; an output set replaces its "
                                   "directory as a whole, so give a new or empty directory (or one a previous run wrote)");
}

StagedDirectory::StagedDirectory(fs::path target)
    : target_(clean_target(target)),
      staging_(sibling(target, "staging")),
      lock_path_(target_.parent_path() / ("." + target_.filename().string() + ".lock")) {
    check_target(target_);
    std::error_code ec;
    if (!target_.parent_path().empty()) fs::create_directories(target_.parent_path(), ec);
    lock_fd_ = ::open(lock_path_.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    if (lock_fd_ < 0) throw OutputError(lock_path_.string() + ": cannot create the lock file beside the output");
    if (::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(lock_fd_);
        lock_fd_ = -1;
        throw OutputError(target_.string() + ": another maillage run is writing this directory; wait for it to end");
    }
    remove_stale_staging(target_);
    fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) throw OutputError(staging_.string() + ": cannot create the output directory: " + ec.message());
    std::ofstream(staging_ / kMarker) << "written by maillage: this directory is replaced as a whole by the next run\n";
}

StagedDirectory::~StagedDirectory() {
    std::error_code ec;
    if (!committed_) fs::remove_all(staging_, ec);
    if (lock_fd_ >= 0) {
        fs::remove(lock_path_, ec);
        ::close(lock_fd_);
    }
}

void StagedDirectory::commit() {
    std::error_code ec;
    fs::path old = sibling(target_, "previous");
    fs::remove_all(old, ec);
    const bool had_target = fs::exists(target_, ec);
    if (had_target) {
        fs::rename(target_, old, ec);
        if (ec) throw OutputError(target_.string() + ": cannot move the previous outputs aside: " + ec.message());
    }
    fs::rename(staging_, target_, ec);
    if (ec) {
        std::error_code restore;
        if (had_target) fs::rename(old, target_, restore);
        throw OutputError(target_.string() + ": cannot move the new outputs into place: " + ec.message());
    }
    committed_ = true;
    if (had_target) fs::remove_all(old, ec);
}

}  // namespace maillage
