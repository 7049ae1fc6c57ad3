#include "util/progress.hpp"

#include <atomic>
#include <cstdio>
#include <unistd.h>

namespace maillage {

namespace {
std::atomic<bool> g_enabled{true};
}

void Progress::set_enabled(bool enabled) { g_enabled = enabled; }

Progress::Progress(std::string label, std::size_t total)
    : label_(std::move(label)), total_(total), active_(g_enabled && ::isatty(STDERR_FILENO) == 1) {
    draw();
}

Progress::~Progress() { done(); }

void Progress::advance(std::size_t n) {
    current_ += n;
    draw();
}

void Progress::draw() {
    if (!active_ || total_ == 0) return;
    int percent = static_cast<int>(100.0 * static_cast<double>(current_) / static_cast<double>(total_));
    if (percent == last_percent_) return;
    last_percent_ = percent;
    std::fprintf(stderr, "\r%s: %3d%%", label_.c_str(), percent > 100 ? 100 : percent);
    std::fflush(stderr);
}

void Progress::done() {
    if (finished_) return;
    finished_ = true;
    if (active_) std::fprintf(stderr, "\r%s: done\n", label_.c_str());
}

}  // namespace maillage
