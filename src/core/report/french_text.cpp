#include "report/french_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace maillage::report {

namespace {

std::string group_thousands(long long value) {
    std::string digits = std::to_string(value < 0 ? -value : value);
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i > 0 && (n - i) % 3 == 0) out += kNarrowNbsp;
        out += digits[i];
    }
    return value < 0 ? "-" + out : out;
}

}  // namespace

std::string format_count(double value) {
    if (!std::isfinite(value)) return "–";
    return group_thousands(std::llround(value));
}

std::string format_decimal(double value, int decimals) {
    if (!std::isfinite(value)) return "–";
    const double scale = std::pow(10.0, decimals);
    const long long scaled = std::llround(value * scale);
    const long long whole = scaled / static_cast<long long>(scale);
    long long frac = scaled % static_cast<long long>(scale);
    std::string out = (scaled < 0 && whole == 0 ? "-" : "") + group_thousands(whole);
    if (frac != 0) {
        if (frac < 0) frac = -frac;
        std::string f = std::to_string(frac);
        while (static_cast<int>(f.size()) < decimals) f = "0" + f;
        while (!f.empty() && f.back() == '0') f.pop_back();
        out += "," + f;
    }
    return out;
}

std::string format_share(double share, int decimals) {
    if (!std::isfinite(share)) return "–";
    return format_decimal(share * 100.0, decimals) + std::string(kNarrowNbsp) + "%";
}

std::string format_minutes(double minutes) {
    if (!std::isfinite(minutes)) return "–";
    const long long m = std::llround(minutes);
    if (m < 60) return std::to_string(m) + std::string(kNbsp) + "min";
    const long long rest = m % 60;
    std::string out = std::to_string(m / 60) + std::string(kNbsp) + "h";
    if (rest) out += std::string(kNbsp) + (rest < 10 ? "0" : "") + std::to_string(rest);
    return out;
}

std::string format_signed_count(double value) {
    if (!std::isfinite(value)) return "–";
    const long long v = std::llround(value);
    if (v == 0) return "0";
    return (v > 0 ? "+" : "\u2212") + group_thousands(v < 0 ? -v : v);
}

std::string format_date(const std::string& iso) {
    static const std::array<const char*, 12> months = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                                       "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (iso.size() != 10 || std::sscanf(iso.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 ||
        d > 31)
        return iso;
    return std::to_string(d) + (d == 1 ? "er" : "") + " " + months[static_cast<std::size_t>(m - 1)] + " " + std::to_string(y);
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string plural(double count, std::string_view singular, std::string_view plural_form) {
    return std::string(std::fabs(count) >= 2.0 ? plural_form : singular);
}

}  // namespace maillage::report
