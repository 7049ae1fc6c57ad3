#include "util/text_distance.hpp"

#include <algorithm>

namespace maillage {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t substitution = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitution});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string nearest_word(const std::string& word, const std::vector<std::string_view>& candidates) {
    std::string best;
    std::size_t best_distance = std::string::npos;
    for (auto candidate : candidates) {
        std::size_t d = edit_distance(ascii_lower(word), ascii_lower(candidate));
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    std::size_t limit = std::max<std::size_t>(2, word.size() / 3);
    return best_distance <= limit && best_distance < word.size() ? best : std::string();
}

}  // namespace maillage
