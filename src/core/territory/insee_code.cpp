#include "territory/insee_code.hpp"

#include <cctype>

namespace maillage {

std::optional<InseeCode> InseeCode::parse(std::string_view text) {
    if (text.size() != 5) return std::nullopt;
    auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    bool corsica = text[0] == '2' && (text[1] == 'A' || text[1] == 'B');
    if (!corsica && !(digit(text[0]) && digit(text[1]))) return std::nullopt;
    for (size_t i = 2; i < 5; ++i)
        if (!digit(text[i])) return std::nullopt;
    return InseeCode(std::string(text));
}

}  // namespace maillage
