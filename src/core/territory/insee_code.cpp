#include "territory/insee_code.hpp"

#include <cctype>

#include "util/csv_table.hpp"

namespace maillage {

namespace {
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
}  // namespace

std::optional<InseeCode> InseeCode::parse(std::string_view text) {
    if (text.size() != 5) return std::nullopt;
    bool corsica = text[0] == '2' && (text[1] == 'A' || text[1] == 'B');
    if (!corsica && !(digit(text[0]) && digit(text[1]))) return std::nullopt;
    for (size_t i = 2; i < 5; ++i)
        if (!digit(text[i])) return std::nullopt;
    return InseeCode(std::string(text));
}

std::optional<InseeCode> InseeCode::restore_leading_zero(std::string_view text) {
    if (text.size() != 4 || text[0] == '0') return std::nullopt;
    for (char c : text)
        if (!digit(c)) return std::nullopt;
    return InseeCode("0" + std::string(text));
}

std::size_t restore_insee_leading_zeros(CsvTable& table, std::size_t col, const std::function<bool(const std::string&)>& keep) {
    std::string first;
    auto changed = table.rewrite_column(col, [&](const std::string& cell) -> std::optional<std::string> {
        if (keep && keep(cell)) return std::nullopt;
        auto code = InseeCode::restore_leading_zero(cell);
        if (!code) return std::nullopt;
        if (first.empty()) first = "'" + cell + "' read as '" + code->str() + "'";
        return code->str();
    });
    if (!changed.empty()) {
        const bool one = changed.size() == 1;
        table.warn({table.file(), "", table.header()[col]},
                   std::to_string(changed.size()) +
                       (one ? " commune code had lost its leading zero (stored as a number by a spreadsheet) and was "
                              "restored: "
                            : " commune codes had lost their leading zero (stored as numbers by a spreadsheet) and "
                              "were restored: first ") +
                       "on line " + std::to_string(table.rows()[changed.front()].line) + ", " + first);
    }
    return changed.size();
}

}  // namespace maillage
