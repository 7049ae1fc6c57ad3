#include "util/diagnostics.hpp"

namespace maillage {

std::string Diagnostic::text() const {
    std::string loc = format_location(where);
    return loc.empty() ? message : loc + ": " + message;
}

void Diagnostics::warn(InputLocation where, std::string message) {
    warnings_.push_back({std::move(where), std::move(message)});
}

void Diagnostics::append(const Diagnostics& other) {
    warnings_.insert(warnings_.end(), other.warnings_.begin(), other.warnings_.end());
}

}  // namespace maillage
