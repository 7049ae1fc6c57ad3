#include "util/progress.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
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

std::string remaining_time_text(double elapsed_seconds, std::size_t current, std::size_t total) {
    if (total == 0 || current == 0 || current >= total || elapsed_seconds < 2.0) return {};
    const double fraction = static_cast<double>(current) / static_cast<double>(total);
    if (fraction < 0.01) return {};
    const double left = elapsed_seconds * (1.0 - fraction) / fraction;
    char buf[64];
    if (left < 60) std::snprintf(buf, sizeof buf, "about %.0f s left", std::max(1.0, left));
    else if (left < 3600) std::snprintf(buf, sizeof buf, "about %.0f min left", left / 60);
    else {
        const long minutes = std::lround(left / 60);
        std::snprintf(buf, sizeof buf, "about %ld h %02ld min left", minutes / 60, minutes % 60);
    }
    return buf;
}

void Progress::draw() {
    if (!active_ || total_ == 0) return;
    int percent = static_cast<int>(100.0 * static_cast<double>(current_) / static_cast<double>(total_));
    const auto now = std::chrono::steady_clock::now();
    // A new line at each percent, and at least every second for the time left on slow steps.
    if (percent == last_percent_ && now - last_draw_ < std::chrono::seconds(1)) return;
    last_percent_ = percent;
    last_draw_ = now;
    const std::string left =
        remaining_time_text(std::chrono::duration<double>(now - start_).count(), current_, total_);
    std::fprintf(stderr, "\r%s: %3d%%%s%-22s", label_.c_str(), percent > 100 ? 100 : percent, left.empty() ? "" : ", ",
                 left.c_str());
    std::fflush(stderr);
}

void Progress::done() {
    if (finished_) return;
    finished_ = true;
    if (!active_) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(stderr, "\r%s: done in %.1f s%-24s\n", label_.c_str(), seconds, "");
}

}  // namespace maillage
