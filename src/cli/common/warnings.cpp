#include "cli/common/warnings.hpp"

#include <cstdio>

namespace maillage::cli {

void print_warnings(const std::vector<std::string>& warnings, const std::string& where_all_are) {
    constexpr std::size_t kShown = 20;
    for (std::size_t i = 0; i < warnings.size() && i < kShown; ++i)
        std::fprintf(stderr, "warning: %s\n", warnings[i].c_str());
    if (warnings.size() > kShown)
        std::fprintf(stderr, "warning: ... and %zu more, all listed in %s\n", warnings.size() - kShown,
                     where_all_are.c_str());
}

}  // namespace maillage::cli
