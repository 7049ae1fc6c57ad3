#include "output/feature.hpp"

#include <cmath>

namespace maillage {

double round_to(double value, int decimals) {
    if (!std::isfinite(value)) return value;
    double k = std::pow(10.0, decimals);
    double r = std::round(value * k) / k;
    return r == 0.0 ? 0.0 : r;  // no "-0"
}

}  // namespace maillage
