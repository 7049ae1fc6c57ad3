#include "util/output_staging.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/errors.hpp"

namespace maillage::detail {

namespace fs = std::filesystem;

OutputLock::~OutputLock() {
    std::error_code ec;
    fs::remove(path, ec);
    ::close(fd);
}

StagingRegistry& staging_registry() {
    static StagingRegistry* r = new StagingRegistry;
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

namespace {

fs::path lock_path_of(const fs::path& target) {
    return target.parent_path() / ("." + target.filename().string() + ".lock");
}

bool process_alive(pid_t pid) { return pid == ::getpid() || ::kill(pid, 0) == 0 || errno == EPERM; }

}  // namespace

void remove_stale_siblings(const fs::path& target, bool previous_too) {
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    const bool target_exists = fs::exists(target, ec);
    for (const char* kind : {".staging-", ".previous-"}) {
        if (std::string(kind) == ".previous-" && (!previous_too || !target_exists)) continue;
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

std::shared_ptr<OutputLock> acquire_output_lock(const fs::path& target, const char* kind) {
    const fs::path path = lock_path_of(target);
    const std::string busy = target.string() + ": another maillage run is writing this " + kind + "; wait for it to end";
    std::error_code ec;
    const std::string key = fs::absolute(path, ec).lexically_normal().string();
    StagingRegistry& r = staging_registry();
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
            throw OutputError(busy);
        }
        struct stat held {}, now {};
        if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
            held.st_dev == now.st_dev) {
            auto lock = std::make_shared<OutputLock>();
            lock->path = path;
            lock->fd = fd;
            r.locks[key] = lock;
            return lock;
        }
        ::close(fd);
    }
    throw OutputError(busy);
}

int abandon_all_staging_before_exit() {
    StagingRegistry& r = staging_registry();
    r.mutex.lock();  // never released: no commit may start after this
    // Another thread may still be writing into a staging directory (and recreate it while it
    // is removed): remove until it stays removed; the process ends right after.
    for (const auto& [writer, staging] : r.uncommitted) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            std::error_code ec;
            fs::remove_all(staging, ec);
            if (!fs::exists(staging, ec)) break;
        }
    }
    for (auto& [path, weak] : r.locks) {
        std::error_code ec;
        if (auto lock = weak.lock()) fs::remove(lock->path, ec);
    }
    return r.committed;
}

void forget_staging(const void* writer, const fs::path& staging, bool committed) {
    StagingRegistry& r = staging_registry();
    std::lock_guard<std::mutex> guard(r.mutex);
    r.uncommitted.erase(writer);
    std::error_code ec;
    if (!committed) fs::remove_all(staging, ec);
}

}  // namespace maillage::detail
