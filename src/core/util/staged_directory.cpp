#include "util/staged_directory.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace detail {
// One flock on `.NAME.lock`, shared by every holder in this process.
struct OutputLock {
    fs::path path;
    int fd = -1;
    ~OutputLock() {
        std::error_code ec;
        fs::remove(path, ec);
        ::close(fd);
    }
};
}  // namespace detail

namespace {

struct Registry {
    std::mutex mutex;
    std::map<std::string, std::weak_ptr<detail::OutputLock>> locks;  // by absolute lock path
    std::set<StagedDirectory*> live;
    int committed = 0;
};

Registry& registry() {
    static Registry* r = new Registry;  // never destroyed: a signal thread may use it at exit
    return *r;
}

fs::path clean_target(const fs::path& target) {
    fs::path t = target.lexically_normal();
    return t.filename().empty() ? t.parent_path() : t;
}

fs::path sibling(const fs::path& target, const char* what) {
    const fs::path clean = clean_target(target);
    return clean.parent_path() / ("." + clean.filename().string() + "." + what + "-" + std::to_string(::getpid()));
}

fs::path lock_path_of(const fs::path& target) {
    return target.parent_path() / ("." + target.filename().string() + ".lock");
}

bool process_alive(pid_t pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM; }

// `.NAME.staging-PID` of processes that no longer exist: debris of a killed run; and
// `.NAME.previous-PID` once the target is in place again (a run killed between the two
// renames of its commit left the old set there).
void remove_stale_siblings(const fs::path& target) {
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    const bool target_exists = fs::exists(target, ec);
    for (const char* kind : {".staging-", ".previous-"}) {
        if (std::string(kind) == ".previous-" && !target_exists) continue;
        const std::string prefix = "." + target.filename().string() + kind;
        for (const auto& e : fs::directory_iterator(parent, ec)) {
            const std::string name = e.path().filename().string();
            if (name.rfind(prefix, 0) != 0) continue;
            const std::string pid_text = name.substr(prefix.size());
            if (pid_text.empty() || pid_text.size() > 9 || pid_text.find_first_not_of("0123456789") != std::string::npos)
                continue;
            if (process_alive(static_cast<pid_t>(std::stol(pid_text)))) continue;
            std::error_code ignored;
            fs::remove_all(e.path(), ignored);
        }
    }
}

std::shared_ptr<detail::OutputLock> acquire_lock(const fs::path& target) {
    const fs::path path = lock_path_of(target);
    std::error_code ec;
    const std::string key = fs::absolute(path, ec).lexically_normal().string();
    Registry& r = registry();
    std::lock_guard<std::mutex> guard(r.mutex);
    if (auto held = r.locks[key].lock()) return held;
    if (!target.parent_path().empty()) {
        fs::create_directories(target.parent_path(), ec);
        if (ec) throw OutputError(target.parent_path().string() + ": cannot create the directory: " + ec.message());
    }
    // The run that held the lock removes its file when it ends: a lock taken on a file that
    // was removed meanwhile is no lock, so check that the file locked is the one at the path.
    for (int attempt = 0; attempt < 5; ++attempt) {
        int fd = ::open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0644);
        if (fd < 0)
            throw OutputError(path.string() + ": cannot create the lock file beside the output: " + std::strerror(errno));
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            throw OutputError(target.string() + ": another maillage run is writing this directory; wait for it to end");
        }
        struct stat held {}, now {};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
            held.st_dev == now.st_dev) {
            auto lock = std::make_shared<detail::OutputLock>();
            lock->path = path;
            lock->fd = fd;
            r.locks[key] = lock;
            return lock;
        }
        ::close(fd);
    }
    throw OutputError(target.string() + ": another maillage run is writing this directory; wait for it to end");
}

bool inside(const fs::path& dir, const fs::path& p) {
    auto [d, q] = std::mismatch(dir.begin(), dir.end(), p.begin(), p.end());
    return d == dir.end();
}

fs::path resolved(const fs::path& p) {
    std::error_code ec;
    fs::path r = fs::weakly_canonical(p, ec);
    if (ec) r = fs::absolute(p, ec).lexically_normal();
    return clean_target(r);
}

}  // namespace

void StagedDirectory::check_target(const fs::path& target) {
    const fs::path t = clean_target(target);
    std::error_code ec;
    const fs::file_status status = fs::status(t, ec);
    if (ec && status.type() != fs::file_type::not_found)
        throw OutputError(t.string() + ": cannot use as the output directory: " + ec.message());
    if (!fs::exists(status)) return;
    if (!fs::is_directory(status))
        throw OutputError(t.string() + ": exists and is not a directory (the output is a directory of files): give "
                                       "another name");
    if (fs::exists(t / kMarker, ec) || fs::is_empty(t, ec)) return;
    // Sets written before the marker existed (scenario runs of 2026-11-26 and earlier).
    if (fs::exists(t / "scenario.json", ec) && fs::exists(t / "comparison.json", ec)) return;
    throw OutputError(t.string() + ": this directory holds files maillage did not write; an output set replaces its "
                                   "directory as a whole, so give a new or empty directory (or one a previous run wrote)");
}

void StagedDirectory::check_not_over_inputs(const fs::path& target, const std::vector<fs::path>& inputs) {
    const fs::path t = resolved(target);
    for (const auto& input : inputs) {
        if (input.empty() || input.string().rfind("/vsi", 0) == 0) continue;
        const fs::path in = resolved(input);
        if (inside(t, in))
            throw OutputError(input.string() + ": this input lies in the output directory " + target.string() +
                              ", which is replaced as a whole by the new outputs: give another output directory "
                              "(or move the input out of it)");
    }
}

StagedDirectory::StagedDirectory(fs::path target) : target_(clean_target(target)), staging_(sibling(target, "staging")) {
    check_target(target_);
    lock_ = acquire_lock(target_);
    remove_stale_siblings(target_);
    {
        // Known before it exists: a signal from now on removes it.
        std::lock_guard<std::mutex> guard(registry().mutex);
        registry().live.insert(this);
    }
    auto fail = [this](const std::string& message) {
        std::lock_guard<std::mutex> guard(registry().mutex);
        registry().live.erase(this);
        std::error_code ignored;
        fs::remove_all(staging_, ignored);
        return OutputError(message);
    };
    std::error_code ec;
    fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) throw fail(staging_.string() + ": cannot create the output directory: " + ec.message());
    std::ofstream marker(staging_ / kMarker);
    marker << "written by maillage: this directory is replaced as a whole by the next run\n";
    if (!marker.flush()) throw fail((staging_ / kMarker).string() + ": cannot write");
}

StagedDirectory::~StagedDirectory() {
    {
        std::lock_guard<std::mutex> guard(registry().mutex);
        registry().live.erase(this);
        std::error_code ec;
        if (!committed_) fs::remove_all(staging_, ec);
    }
    lock_.reset();  // the last holder removes the lock file
}

void StagedDirectory::commit() {
    // Under the registry's mutex: a signal arriving meanwhile waits for the swap to end, so
    // the target is either the old set or the new one.
    std::lock_guard<std::mutex> guard(registry().mutex);
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
    ++registry().committed;
    if (had_target) fs::remove_all(old, ec);
}

void StagedDirectory::write_and_commit(const std::function<void(const fs::path&)>& fill) {
    try {
        fill(staging_);
    } catch (const OutputError& e) {
        std::string text = e.what();
        const std::string staging = staging_.string(), target = target_.string();
        for (std::size_t at = text.find(staging); at != std::string::npos; at = text.find(staging, at + target.size()))
            text.replace(at, staging.size(), target);
        throw OutputError(text + " (nothing was replaced: the earlier outputs in " + target + " are untouched)");
    }
    commit();
}

int StagedDirectory::abandon_all_before_exit() {
    Registry& r = registry();
    r.mutex.lock();  // never released: no commit may start after this
    // Another thread may still be writing into a staging directory (and recreate it while it
    // is removed): remove until it stays removed; the process ends right after.
    for (StagedDirectory* s : r.live) {
        if (s->committed_) continue;
        for (int attempt = 0; attempt < 20; ++attempt) {
            std::error_code ec;
            fs::remove_all(s->staging_, ec);
            if (!fs::exists(s->staging_, ec)) break;
        }
    }
    for (auto& [path, weak] : r.locks) {
        std::error_code ec;
        if (auto lock = weak.lock()) fs::remove(lock->path, ec);
    }
    return r.committed;
}

OutputReservation::OutputReservation(const fs::path& target) {
    const fs::path t = clean_target(target);
    StagedDirectory::check_target(t);
    lock_ = acquire_lock(t);
}

OutputReservation::~OutputReservation() = default;

}  // namespace maillage
