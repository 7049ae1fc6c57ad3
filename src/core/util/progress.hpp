#pragma once
// A progress line on stderr for steps that can take more than a second. Silent when
// stderr is not a terminal (CI, scripts, golden-file CLI tests keep empty stderr).
#include <cstddef>
#include <string>

namespace maillage {

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
};

}  // namespace maillage
