#pragma once
// Option checks that say what was wrong in plain words (CLI11's PositiveNumber prints the
// range of a double, 0 to 1.8e308).
#include <charconv>
#include <string>

#include <CLI/CLI.hpp>

namespace maillage::cli {

inline CLI::Validator number_above(double min, bool inclusive, const std::string& what) {
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            double v = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            bool ok = ec == std::errc() && end == text.data() + text.size() && (inclusive ? v >= min : v > min);
            return ok ? std::string() : "expected " + what + ", got '" + text + "'";
        },
        what);
}

inline CLI::Validator positive_number() { return number_above(0.0, false, "a number > 0"); }
inline CLI::Validator non_negative_number() { return number_above(0.0, true, "a number >= 0"); }

}  // namespace maillage::cli
