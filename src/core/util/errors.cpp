#include "util/errors.hpp"

namespace maillage {

namespace {
std::string compose(const InputLocation& where, const std::string& message, const std::string& expected) {
    std::string out = format_location(where);
    if (!out.empty()) out += ": ";
    out += message;
    if (!expected.empty()) out += " (expected " + expected + ")";
    return out;
}
}  // namespace

std::string format_location(const InputLocation& where) {
    std::string out = where.file;
    auto append = [&out](const std::string& part) {
        if (part.empty()) return;
        if (!out.empty()) out += ": ";
        out += part;
    };
    append(where.feature);
    if (!where.field.empty()) append("field '" + where.field + "'");
    return out;
}

InputError::InputError(InputLocation where, std::string message, std::string expected)
    : Error(compose(where, message, expected)),
      where_(std::move(where)),
      message_(std::move(message)),
      expected_(std::move(expected)) {}

InputError InputError::with_context(const InputLocation& outer) const {
    InputLocation merged = where_;
    if (merged.file.empty()) merged.file = outer.file;
    if (merged.feature.empty()) merged.feature = outer.feature;
    if (merged.field.empty()) merged.field = outer.field;
    return InputError(merged, message_, expected_);
}

}  // namespace maillage
