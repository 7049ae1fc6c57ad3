#pragma once
// How the report writes numbers and text in French: "438 897" with a narrow no-break space
// between thousands, "97,7 %" with a decimal comma and a no-break space before the sign,
// "23 min", and HTML escaping. One place, so every figure of the report reads the same.
#include <string>
#include <string_view>

namespace maillage::report {

inline constexpr std::string_view kNarrowNbsp = "\u202F";  // between thousands, before %
inline constexpr std::string_view kNbsp = "\u00A0";        // between a number and its unit

// 438897 → "438 897" (rounded to the nearest integer).
std::string format_count(double value);
// 0.9775 → "97,7 %" (`decimals` after the comma; a share of exactly 1 or 0 prints "100 %", "0 %").
std::string format_share(double share, int decimals = 1);
// 12.34 → "12,3" (no unit; trailing ",0" dropped).
std::string format_decimal(double value, int decimals = 1);
// 23.6 → "24 min"; 90 → "1 h 30".
std::string format_minutes(double minutes);
// "+1 234", "−56" (true minus sign), "0".
std::string format_signed_count(double value);
// "2026-11-26" → "26 novembre 2026"; anything else is returned unchanged.
std::string format_date(const std::string& iso_date);

// Escapes & < > " for text and double-quoted attribute values.
std::string escape(std::string_view text);

// "habitant" / "habitants".
std::string plural(double count, std::string_view singular, std::string_view plural_form);

}  // namespace maillage::report
