#pragma once
// "Did you mean ...?": the nearest word of a list, for unknown keys, ids and names.
#include <string>
#include <string_view>
#include <vector>

namespace maillage {

// Levenshtein distance (insertions, deletions, substitutions), byte-wise.
std::size_t edit_distance(std::string_view a, std::string_view b);
std::string ascii_lower(std::string_view s);
// The candidate a typo most likely meant (case-insensitive), close enough to be the same
// word — never a guess: empty when none is.
std::string nearest_word(const std::string& word, const std::vector<std::string_view>& candidates);

}  // namespace maillage
