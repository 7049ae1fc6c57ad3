#include "report/pdf_printer.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "util/atomic_file.hpp"
#include "util/errors.hpp"

extern char** environ;

namespace maillage::report {

namespace fs = std::filesystem;

namespace {

// A fresh, private Chromium profile, removed afterwards: no state leaks between prints.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern = (fs::temp_directory_path() / "maillage-chromium-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw OutputError("cannot create a temporary directory for Chromium");
        path_ = pattern;
    }
    ~TemporaryDirectory() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
    [[nodiscard]] const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

std::string tail_of(const fs::path& file, std::size_t lines) {
    std::ifstream in(file);
    std::vector<std::string> all;
    for (std::string line; std::getline(in, line);) all.push_back(line);
    std::string out;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) out += "  " + all[i] + "\n";
    return out;
}

}  // namespace

void print_pdf(const fs::path& chromium, const fs::path& html, const fs::path& pdf, std::chrono::seconds timeout) {
    TemporaryDirectory profile;
    AtomicPath out(pdf);
    const std::string url = "file://" + fs::absolute(html).string();
    std::vector<std::string> args = {chromium.string(),
                                     "--headless=new",
                                     "--no-sandbox",
                                     "--disable-gpu",
                                     "--disable-quic",
                                     "--no-first-run",
                                     "--disable-background-networking",
                                     "--disable-component-update",
                                     "--disable-sync",
                                     "--disable-extensions",
                                     "--host-resolver-rules=MAP * ~NOTFOUND",
                                     "--user-data-dir=" + profile.path().string(),
                                     "--no-pdf-header-footer",
                                     "--print-to-pdf=" + out.temporary().string(),
                                     url};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    // Chromium is verbose on stderr (dbus, GPU): its output goes to a log in the profile,
    // quoted in the error when printing fails.
    const fs::path log = profile.path() / "chromium.log";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    // Its own process group, so a timeout kills the renderer children too.
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, chromium.c_str(), &actions, &attributes, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (rc != 0) throw OutputError(pdf.string() + ": cannot start Chromium (" + chromium.string() + "): " + std::strerror(rc));

    int status = 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) break;
        if (done < 0) throw OutputError(pdf.string() + ": lost track of Chromium");
        if (std::chrono::steady_clock::now() > deadline) {
            kill(-pid, SIGKILL);
            waitpid(pid, &status, 0);
            throw OutputError(pdf.string() + ": Chromium did not finish printing within " + std::to_string(timeout.count()) +
                              " s");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // Renderer processes left behind in the group are not ours to keep.
    kill(-pid, SIGKILL);
    std::error_code ec;
    const bool written = fs::is_regular_file(out.temporary(), ec) && fs::file_size(out.temporary(), ec) > 0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !written)
        throw OutputError(pdf.string() + ": Chromium failed to print the report (exit status " +
                          std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + "); last lines of its log:\n" +
                          tail_of(log, 5));
    out.commit();
}

}  // namespace maillage::report
