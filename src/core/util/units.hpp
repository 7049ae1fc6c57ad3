#pragma once
// Strong numeric types: a duration is not a length. Arithmetic is only defined
// where it is physically meaningful, so mixing them up fails to compile.
#include <compare>
#include <limits>

namespace maillage {

template <class Tag>
class Quantity {
public:
    constexpr Quantity() = default;
    constexpr explicit Quantity(double v) : v_(v) {}
    [[nodiscard]] constexpr double value() const { return v_; }

    constexpr Quantity operator+(Quantity o) const { return Quantity(v_ + o.v_); }
    constexpr Quantity operator-(Quantity o) const { return Quantity(v_ - o.v_); }
    constexpr Quantity& operator+=(Quantity o) { v_ += o.v_; return *this; }
    constexpr Quantity& operator-=(Quantity o) { v_ -= o.v_; return *this; }
    constexpr Quantity operator*(double k) const { return Quantity(v_ * k); }
    constexpr Quantity operator/(double k) const { return Quantity(v_ / k); }
    constexpr double operator/(Quantity o) const { return v_ / o.v_; }
    constexpr auto operator<=>(const Quantity&) const = default;

    static constexpr Quantity infinity() { return Quantity(std::numeric_limits<double>::infinity()); }
    [[nodiscard]] constexpr bool is_finite() const {
        return v_ < std::numeric_limits<double>::infinity() && v_ > -std::numeric_limits<double>::infinity();
    }

private:
    double v_ = 0.0;
};

struct SecondsTag {};
struct MetresTag {};
struct MetresPerSecondTag {};

using Seconds = Quantity<SecondsTag>;
using Metres = Quantity<MetresTag>;
using MetresPerSecond = Quantity<MetresPerSecondTag>;

constexpr Seconds minutes(double m) { return Seconds(m * 60.0); }
constexpr double to_minutes(Seconds s) { return s.value() / 60.0; }
constexpr MetresPerSecond kmh(double v) { return MetresPerSecond(v / 3.6); }
constexpr double to_kmh(MetresPerSecond v) { return v.value() * 3.6; }
constexpr Seconds travel_time(Metres d, MetresPerSecond v) { return Seconds(d.value() / v.value()); }

}  // namespace maillage
