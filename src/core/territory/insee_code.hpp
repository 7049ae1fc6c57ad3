#pragma once
// INSEE commune codes are strings ("2A004", "86001"): never integers.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace maillage {

class CsvTable;

class InseeCode {
public:
    InseeCode() = default;
    // Returns nullopt unless `text` is 5 characters: 2 digits or 2A/2B, then 3 digits.
    static std::optional<InseeCode> parse(std::string_view text);
    // A code a spreadsheet stored as a number and that lost its leading zero ("1001" for
    // "01001", départements 01 to 09): 4 digits give the 5-character code; anything else nullopt.
    static std::optional<InseeCode> restore_leading_zero(std::string_view text);
    // Identifier of a municipality outside France (OSM admin boundaries, test extracts):
    // kept as given, without the INSEE format check.
    static InseeCode external(std::string id) { return InseeCode(std::move(id)); }
    [[nodiscard]] const std::string& str() const { return code_; }
    [[nodiscard]] std::string departement() const { return code_.substr(0, 2); }
    auto operator<=>(const InseeCode&) const = default;

private:
    explicit InseeCode(std::string code) : code_(std::move(code)) {}
    std::string code_;
};

// Restores the leading zero of the 4-digit codes in column `col` of a CSV table that should
// hold INSEE codes, with one warning on the table (counting them, the first one quoted).
// Cells for which `keep` returns true (identifiers the study knows as they are) are left
// alone. Returns the number of codes repaired. Anything else malformed is left for the
// loader to refuse.
std::size_t restore_insee_leading_zeros(CsvTable& table, std::size_t col,
                                        const std::function<bool(const std::string&)>& keep = {});

}  // namespace maillage
