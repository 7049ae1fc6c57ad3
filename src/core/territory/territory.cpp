#include "territory/territory.hpp"

namespace maillage {

std::optional<size_t> Territory::find_commune(const std::string& code) const {
    auto it = code_index.find(code);
    if (it == code_index.end()) return std::nullopt;
    return it->second;
}

long long Territory::total_population() const {
    long long total = 0;
    for (const auto& c : communes) total += c.population.value_or(0);
    return total;
}

}  // namespace maillage
