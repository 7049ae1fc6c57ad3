#pragma once
// INSEE commune codes are strings ("2A004", "86001"): never integers.
#include <optional>
#include <string>
#include <string_view>

namespace maillage {

class InseeCode {
public:
    InseeCode() = default;
    // Returns nullopt unless `text` is 5 characters: 2 digits or 2A/2B, then 3 digits.
    static std::optional<InseeCode> parse(std::string_view text);
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

}  // namespace maillage
