#pragma once
// Peak memory of a load measured in a fresh process, for the memory-estimate tests: the test
// binary is run again (fork + exec, never a bare fork: libosmium's thread pool does not
// survive one) with only one ChildLoad test, given the file through an environment variable.
// That test prints its resident size just before the load ("rss-before-load-kib=") and its
// peak resident size after it ("hwm-after-load-kib="): the difference is what the load adds
// to the process calling it. The child's own VmHWM, not wait4's ru_maxrss: that one starts
// at the parent's resident size when it forked, which after a few hundred tests is above
// the child's peak.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace maillage::test {

// A field of /proc/self/status in KiB: VmRSS (resident now) or VmHWM (peak resident).
inline long status_kib(const char* field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::string key = std::string(field) + ":";
    while (std::getline(status, line))
        if (line.rfind(key, 0) == 0) return std::strtol(line.c_str() + key.size(), nullptr, 10);
    return -1;
}

// Bytes the child's load added, or -1 when the child failed or printed no measure.
inline long long measured_load_peak(const std::filesystem::path& file, const char* env_var, const char* child_test) {
    int fd[2];
    if (::pipe(fd) != 0) return -1;
    const pid_t pid = ::fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        ::close(fd[0]);
        ::dup2(fd[1], STDOUT_FILENO);
        ::setenv(env_var, file.c_str(), 1);
        const std::string filter = std::string("--gtest_filter=") + child_test;
        ::execl("/proc/self/exe", "maillage_tests", filter.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(fd[1]);
    std::string output;
    char buf[4096];
    for (ssize_t n; (n = ::read(fd[0], buf, sizeof buf)) > 0;) output.append(buf, static_cast<std::size_t>(n));
    ::close(fd[0]);
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
    const auto before = output.find("rss-before-load-kib="), peak = output.find("hwm-after-load-kib=");
    if (before == std::string::npos || peak == std::string::npos) return -1;
    const long start = std::strtol(output.c_str() + before + 20, nullptr, 10);
    const long end = std::strtol(output.c_str() + peak + 19, nullptr, 10);
    return (static_cast<long long>(end) - start) * 1024;
}

}  // namespace maillage::test
