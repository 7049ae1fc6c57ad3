#pragma once
// The classes of "time to the nearest site" shared by every rendering of a coverage result:
// the report's maps and legends, the QGIS styles written next to the layers, the web map.
// One definition, so a planner sees the same colours in QGIS as in the report.
#include <cstddef>
#include <string>
#include <vector>

namespace maillage {

struct TimeClass {
    std::string label;         // French, for legends: "moins de 10 min", "10 à 20 min", "plus de 45 min", "inaccessible"
    double lower_minutes = 0;  // inclusive lower bound (0 for the first class)
    double upper_minutes = 0;  // exclusive-free upper bound: time <= upper; +inf for the open class
    std::string colour;        // "#rrggbb"
    bool unreachable = false;  // the last class: no site can be reached
};

// Classes for the coverage bands [b1 < b2 < ... < bn] (minutes): "moins de b1", "b1 à b2", ...,
// "plus de bn", then "inaccessible". Colours: ColorBrewer YlOrRd (sequential, colour-blind safe),
// pale for near, dark red for far; grey for unreachable. Throws std::invalid_argument when the
// bands are empty, not increasing or not finite.
std::vector<TimeClass> time_classes(const std::vector<double>& bands_minutes);

// Index of the class holding `minutes` (a time equal to a bound belongs to the class below it,
// as in the coverage tables: "within 10 minutes" includes 10.0).
std::size_t time_class_index(const std::vector<TimeClass>& classes, double minutes, bool reachable);

// "10", "7,5": minutes as a French legend writes them.
std::string french_minutes(double minutes);

}  // namespace maillage
