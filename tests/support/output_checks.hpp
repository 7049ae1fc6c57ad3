#pragma once
// What the output-safety tests look at (test_cli_output_safety.cpp, test_cli_file_outputs.cpp):
// the files under an output, the debris a run could leave beside it, and a `maillage` child
// process to interrupt with a signal.
#include <csignal>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support/cli_runner.hpp"

namespace maillage::testing {

// Every file under `dir` (hidden ones too), relative path → content; a file alone: "" → content.
inline std::map<std::string, std::string> snapshot(const std::filesystem::path& dir) {
    namespace fs = std::filesystem;
    std::map<std::string, std::string> out;
    if (!fs::exists(dir)) return out;
    if (!fs::is_directory(dir)) return {{"", read_text(dir)}};
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out[fs::relative(e.path(), dir).string()] = read_text(e.path());
    return out;
}

// What a run leaves beside `target`: `.NAME.staging-PID`, `.NAME.previous-PID`, `.NAME.lock`,
// `.NAME.tmpPID...`.
inline std::vector<std::string> debris_beside(const std::filesystem::path& target) {
    std::vector<std::string> out;
    // Appended piece by piece: g++ 12 warns falsely (-Wrestrict) on "." + std::string&&.
    std::string prefix = ".", stem = ".";
    prefix += target.filename().string();
    prefix += ".";
    stem += target.stem().string();
    stem += ".tmp";  // write_file_atomically's temporary
    for (const auto& e : std::filesystem::directory_iterator(target.parent_path())) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) == 0 || name.rfind(stem, 0) == 0) out.push_back(name);
    }
    return out;
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A child process running the binary, its output in files.
struct Child {
    pid_t pid = -1;
    std::filesystem::path out, err;
};

inline Child spawn(const std::vector<std::string>& args, const std::filesystem::path& base) {
    Child c;
    c.out = base.string() + ".stdout";
    c.err = base.string() + ".stderr";
    std::vector<std::string> all = {MAILLAGE_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    c.pid = ::fork();
    if (c.pid == 0) {
        // As a user's shell would start it, whatever this test process inherited.
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        int o = ::open(c.out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int e = ::open(c.err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(o, 1);
        ::dup2(e, 2);
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    return c;
}

// The exit code, or 1000 + the signal that killed it.
inline int wait_for(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
}

inline bool running(pid_t pid, int& code) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == 0) return true;
    code = WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
    return false;
}

}  // namespace maillage::testing
