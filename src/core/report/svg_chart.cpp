#include "report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/french_text.hpp"
#include "report/svg_map.hpp"

namespace maillage::report {

std::string render_stacked_bars(const StackedBarChart& c) {
    const double top = 4, gap = 7, annot_w = 64;
    const double bar_w = c.width_px - c.label_width_px - annot_w;
    const double bars_h = static_cast<double>(c.bars.size()) * (c.bar_height_px + gap);
    // Legend: segments in rows of up to four.
    const std::size_t per_row = 4;
    const std::size_t legend_rows = (c.segment_labels.size() + per_row - 1) / per_row;
    const double height = top + bars_h + 8 + static_cast<double>(legend_rows) * 18;
    std::ostringstream os;
    os << "<svg class=\"chart\" data-chart=\"" << escape(c.id) << "\" role=\"img\" aria-label=\"" << escape(c.aria_label)
       << "\" width=\"" << svg_number(c.width_px) << "\" height=\"" << svg_number(height) << "\" viewBox=\"0 0 "
       << svg_number(c.width_px) << ' ' << svg_number(height) << "\">\n";
    double y = top;
    for (const auto& b : c.bars) {
        double total = 0;
        for (double v : b.values) total += v;
        os << "<text class=\"bar-label\" x=\"" << svg_number(c.label_width_px - 6) << "\" y=\""
           << svg_number(y + c.bar_height_px - 4) << "\">" << escape(b.label) << "</text>";
        double x = c.label_width_px;
        for (std::size_t i = 0; i < b.values.size() && i < c.segment_colours.size(); ++i) {
            if (total <= 0 || b.values[i] <= 0) continue;
            const double w = bar_w * b.values[i] / total;
            os << "<rect x=\"" << svg_number(x) << "\" y=\"" << svg_number(y) << "\" width=\"" << svg_number(w)
               << "\" height=\"" << svg_number(c.bar_height_px) << "\" fill=\"" << c.segment_colours[i] << "\"><title>"
               << escape(c.segment_labels.size() > i ? c.segment_labels[i] : "") << " : " << format_count(b.values[i])
               << " habitants (" << format_share(b.values[i] / total) << ")</title></rect>";
            x += w;
        }
        os << "<rect class=\"bar-frame\" x=\"" << svg_number(c.label_width_px) << "\" y=\"" << svg_number(y) << "\" width=\""
           << svg_number(bar_w) << "\" height=\"" << svg_number(c.bar_height_px) << "\"/>";
        os << "<text class=\"bar-value\" x=\"" << svg_number(c.label_width_px + bar_w + 6) << "\" y=\""
           << svg_number(y + c.bar_height_px - 4) << "\">" << escape(b.annotation) << "</text>\n";
        y += c.bar_height_px + gap;
    }
    y += 6;
    const double col_w = (c.width_px - c.label_width_px) / static_cast<double>(per_row);
    for (std::size_t i = 0; i < c.segment_labels.size(); ++i) {
        const double lx = c.label_width_px + static_cast<double>(i % per_row) * col_w;
        const double ly = y + static_cast<double>(i / per_row) * 18;
        os << "<rect x=\"" << svg_number(lx) << "\" y=\"" << svg_number(ly) << "\" width=\"12\" height=\"12\" fill=\""
           << (i < c.segment_colours.size() ? c.segment_colours[i] : "#fff") << "\" stroke=\"#555\" stroke-width=\"0.6\"/>"
           << "<text class=\"chart-legend\" x=\"" << svg_number(lx + 16) << "\" y=\"" << svg_number(ly + 10) << "\">"
           << escape(c.segment_labels[i]) << "</text>";
    }
    os << "\n</svg>\n";
    return os.str();
}

std::string render_line_chart(const LineChart& c) {
    const double left = 64, right = 16, top = 26, bottom = 40;
    const double w = c.width_px - left - right, h = c.height_px - top - bottom;
    double x_min = 0, x_max = 1, y_max = c.y_max;
    if (!c.x.empty()) {
        x_min = *std::min_element(c.x.begin(), c.x.end());
        x_max = *std::max_element(c.x.begin(), c.x.end());
        if (x_max == x_min) x_max = x_min + 1;
    }
    if (y_max <= 0) y_max = c.y.empty() ? 1 : *std::max_element(c.y.begin(), c.y.end());
    if (y_max <= 0) y_max = 1;
    auto X = [&](double v) { return left + w * (v - x_min) / (x_max - x_min); };
    auto Y = [&](double v) { return top + h * (1 - v / y_max); };
    std::ostringstream os;
    os << "<svg class=\"chart\" data-chart=\"" << escape(c.id) << "\" role=\"img\" aria-label=\"" << escape(c.aria_label)
       << "\" width=\"" << svg_number(c.width_px) << "\" height=\"" << svg_number(c.height_px) << "\" viewBox=\"0 0 "
       << svg_number(c.width_px) << ' ' << svg_number(c.height_px) << "\">\n";
    for (int i = 0; i <= 4; ++i) {
        const double v = y_max * i / 4.0;
        os << "<path class=\"grid\" d=\"M" << svg_number(left) << ' ' << svg_number(Y(v)) << "h" << svg_number(w) << "\"/>"
           << "<text class=\"axis\" x=\"" << svg_number(left - 6) << "\" y=\"" << svg_number(Y(v) + 4) << "\">"
           << (c.y_is_share ? format_share(v, 0) : format_count(v)) << "</text>";
    }
    for (double k : c.x)
        os << "<text class=\"axis-x\" x=\"" << svg_number(X(k)) << "\" y=\"" << svg_number(top + h + 16) << "\">"
           << format_decimal(k, 0) << "</text>";
    os << "<text class=\"axis-title\" x=\"" << svg_number(left + w / 2) << "\" y=\"" << svg_number(c.height_px - 4) << "\">"
       << escape(c.x_label) << "</text>";
    os << "<text class=\"axis-title-y\" x=\"4\" y=\"12\">" << escape(c.y_label) << "</text>";
    if (!c.x.empty()) {
        os << "<path class=\"line\" d=\"";
        for (std::size_t i = 0; i < c.x.size(); ++i)
            os << (i ? "L" : "M") << svg_number(X(c.x[i])) << ' ' << svg_number(Y(c.y[i]));
        os << "\"/>";
        for (std::size_t i = 0; i < c.x.size(); ++i)
            os << "<circle class=\"dot\" cx=\"" << svg_number(X(c.x[i])) << "\" cy=\"" << svg_number(Y(c.y[i]))
               << "\" r=\"3.5\"><title>" << format_decimal(c.x[i], 0) << " : "
               << (c.y_is_share ? format_share(c.y[i]) : format_count(c.y[i])) << "</title></circle>";
    }
    os << "\n</svg>\n";
    return os.str();
}

}  // namespace maillage::report
