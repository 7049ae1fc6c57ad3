#pragma once
// Option checks that say what was wrong in plain words (CLI11's PositiveNumber prints the
// range of a double, 0 to 1.8e308, and its Range lets NaN through). Every number option of
// the command line goes through number_in: infinities, NaN and values outside a sane range
// are refused before any work, with the option's name (CLI11 prefixes it) and the range.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include <CLI/CLI.hpp>

namespace maillage::cli {

// "12.5" without trailing zeros; large and small values in plain digits where short.
inline std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// A finite number in [min, max] ((min, max] when `min_exclusive`); `unit` is said after the
// bounds ("m", "minutes", "km"...). Messages say the bound broken, then the valid range:
// "expected a number >= 10, got '1' (valid: 10 to 50000 m)".
inline CLI::Validator number_in(double min, double max, const std::string& unit = "", bool min_exclusive = false) {
    const std::string u = unit.empty() ? "" : " " + unit;
    const std::string range = (min_exclusive ? "> " : "") + number_text(min) + " to " + number_text(max) + u;
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            double v = 0;
            auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
            const std::string got = ", got '" + text + "' (valid: " + range + ")";
            if (ec != std::errc() || end != text.data() + text.size()) return "expected a number" + got;
            if (!std::isfinite(v)) return "expected a finite number" + got;
            if (min_exclusive ? !(v > min) : !(v >= min))
                return "expected a number " + std::string(min_exclusive ? "> " : ">= ") + number_text(min) + got;
            if (!(v <= max)) return "expected a number <= " + number_text(max) + got;
            return {};
        },
        range);
}

// The bounds of the options, in one place (README, "When something goes wrong").
namespace bounds {
constexpr double kMaxMinutes = 24 * 60.0;       // thresholds, gap threshold, time limits of a trip
constexpr double kMinCellM = 10, kMaxCellM = 50000;         // --cell-size
constexpr double kMinDemandStepM = 50, kMaxDemandStepM = 50000;  // --demand-step
constexpr double kMaxMemoryGb = 100000;                     // --max-memory (100 TB)
constexpr double kMaxMarginKm = 200;                        // --margin-km
constexpr double kMaxSnapM = 100000;                        // --max-snap
constexpr double kMaxCapacity = 1e9;                        // --capacity, --capacity-per-unit
}  // namespace bounds

inline CLI::Validator positive_number() { return number_in(0.0, 1e12, "", true); }
inline CLI::Validator non_negative_number() { return number_in(0.0, 1e12); }

}  // namespace maillage::cli
