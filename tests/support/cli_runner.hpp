#pragma once
// Runs the built `maillage` binary like a user would (osmium-tool CLI tests style):
// exit code, stdout and stderr captured separately.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace maillage::testing {

struct CliResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

inline std::string shell_quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline CliResult run_cli(const std::string& args) {
    static int counter = 0;
    auto base = std::filesystem::temp_directory_path() /
                ("maillage_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::string cmd = std::string(MAILLAGE_BINARY) + " " + args + " >" + base.string() + ".out 2>" + base.string() +
                      ".err </dev/null";
    int status = std::system(cmd.c_str());
    CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text(base.string() + ".out");
    r.err = read_text(base.string() + ".err");
    std::filesystem::remove(base.string() + ".out");
    std::filesystem::remove(base.string() + ".err");
    return r;
}

// A fresh empty directory for one test.
inline std::filesystem::path fresh_dir(const std::string& name) {
    auto d = std::filesystem::temp_directory_path() / ("maillage_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(d);
    std::filesystem::create_directories(d);
    return d;
}

inline void write_text(const std::filesystem::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

}  // namespace maillage::testing
