#include "output/time_classes.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace maillage {

namespace {

// ColorBrewer YlOrRd (Cynthia Brewer, colorbrewer2.org), the published schemes of 3 to 9 classes.
const std::vector<std::vector<std::string_view>>& yl_or_rd() {
    static const std::vector<std::vector<std::string_view>> schemes = {
        {"#ffeda0", "#feb24c", "#f03b20"},
        {"#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"},
        {"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"},
        {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"},
        {"#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"},
        {"#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"},
        {"#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"},
    };
    return schemes;
}

constexpr std::string_view kUnreachableColour = "#969696";

std::vector<std::string> palette(std::size_t n) {
    const auto& schemes = yl_or_rd();
    if (n < 3) {
        // Two classes (one band): the ends of the 3-class scheme.
        const auto& s = schemes.front();
        return n == 1 ? std::vector<std::string>{std::string(s[1])}
                      : std::vector<std::string>{std::string(s[0]), std::string(s[2])};
    }
    if (n <= 9) {
        const auto& s = schemes[n - 3];
        return {s.begin(), s.end()};
    }
    // More than 9 classes: ColorBrewer stops at 9; neighbouring classes share the nearest colour
    // of the 9-class scheme rather than inventing unpublished ones.
    const auto& s = schemes.back();
    std::vector<std::string> out;
    for (std::size_t i = 0; i < n; ++i) out.emplace_back(s[i * (s.size() - 1) / (n - 1)]);
    return out;
}

}  // namespace

std::string french_minutes(double minutes) {
    double rounded = std::round(minutes * 10.0) / 10.0;
    if (rounded == std::floor(rounded)) return std::to_string(static_cast<long long>(rounded));
    std::string s = std::to_string(static_cast<long long>(std::floor(rounded))) + "," +
                    std::to_string(static_cast<long long>(std::llround((rounded - std::floor(rounded)) * 10.0)));
    return s;
}

std::vector<TimeClass> time_classes(const std::vector<double>& bands) {
    if (bands.empty()) throw std::invalid_argument("time classes: no band given");
    for (std::size_t i = 0; i < bands.size(); ++i) {
        if (!std::isfinite(bands[i]) || bands[i] <= 0.0)
            throw std::invalid_argument("time classes: band " + std::to_string(bands[i]) + " is not a positive finite number");
        if (i > 0 && bands[i] <= bands[i - 1]) throw std::invalid_argument("time classes: bands are not increasing");
    }
    const auto colours = palette(bands.size() + 1);
    std::vector<TimeClass> out;
    double lower = 0.0;
    for (std::size_t i = 0; i < bands.size(); ++i) {
        std::string label = i == 0 ? "moins de " + french_minutes(bands[i]) + " min"
                                   : french_minutes(lower) + " à " + french_minutes(bands[i]) + " min";
        out.push_back({label, lower, bands[i], colours[i], false});
        lower = bands[i];
    }
    out.push_back({"plus de " + french_minutes(lower) + " min", lower, std::numeric_limits<double>::infinity(),
                   colours.back(), false});
    out.push_back({"inaccessible", std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                   std::string(kUnreachableColour), true});
    return out;
}

std::size_t time_class_index(const std::vector<TimeClass>& classes, double minutes, bool reachable) {
    if (!reachable || !std::isfinite(minutes)) return classes.size() - 1;
    for (std::size_t i = 0; i + 1 < classes.size(); ++i)
        if (minutes <= classes[i].upper_minutes) return i;
    return classes.size() - 2;
}

}  // namespace maillage
