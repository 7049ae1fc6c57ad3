#pragma once
// Charts as inline SVG: 100 % stacked bars (population of each area by time class) and a
// line chart (coverage curve of an optimisation). Sizes in CSS pixels.
#include <string>
#include <vector>

namespace maillage::report {

struct StackedBar {
    std::string label;                 // area name
    std::vector<double> values;        // one per segment (population), same order as the colours
    std::string annotation;            // written right of the bar ("97,7 %")
};

struct StackedBarChart {
    std::string id;
    std::string aria_label;
    std::vector<std::string> segment_colours;
    std::vector<std::string> segment_labels;  // legend, under the chart
    std::vector<StackedBar> bars;
    double width_px = 680;
    double label_width_px = 200;
    double bar_height_px = 16;
};

std::string render_stacked_bars(const StackedBarChart& chart);

struct LineChart {
    std::string id;
    std::string aria_label;
    std::string x_label;
    std::string y_label;
    std::vector<double> x;
    std::vector<double> y;  // same size as x
    double y_max = 0;       // 0: from the data
    double width_px = 680;
    double height_px = 260;
    bool y_is_share = false;  // y in [0, 1], axis in %
};

std::string render_line_chart(const LineChart& chart);

}  // namespace maillage::report
