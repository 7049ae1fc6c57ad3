#pragma once
// Non-fatal findings of loaders (repaired polygons, communes without population...).
// They are collected, printed by `info`, and copied into every output's metadata.
#include <string>
#include <vector>

#include "util/errors.hpp"

namespace maillage {

struct Diagnostic {
    InputLocation where;
    std::string message;
    [[nodiscard]] std::string text() const;
};

class Diagnostics {
public:
    void warn(InputLocation where, std::string message);
    [[nodiscard]] const std::vector<Diagnostic>& warnings() const { return warnings_; }
    [[nodiscard]] bool empty() const { return warnings_.empty(); }
    void append(const Diagnostics& other);

private:
    std::vector<Diagnostic> warnings_;
};

}  // namespace maillage
