#pragma once
// A progress line on stderr for steps that can take more than a second. Silent when
// stderr is not a terminal (CI, scripts, golden-file CLI tests keep empty stderr).
#include <chrono>
#include <cstddef>
#include <string>

namespace maillage {

// "about 3 min left" from the time spent on `current` of `total` units, assuming the rest goes
// at the same pace; empty while too early to say (under 2 s or under 1 %) or when finished.
std::string remaining_time_text(double elapsed_seconds, std::size_t current, std::size_t total);

class Progress {
public:
    Progress(std::string label, std::size_t total);
    ~Progress();
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void advance(std::size_t n = 1);
    void done();

    static void set_enabled(bool enabled);  // --quiet turns it off

private:
    void draw();
    std::string label_;
    std::size_t total_;
    std::size_t current_ = 0;
    int last_percent_ = -1;
    bool active_;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace maillage
