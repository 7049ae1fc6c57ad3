#pragma once
// Strong numeric types: a duration is not a length. Arithmetic is only defined
// where it is physically meaningful, so mixing them up fails to compile.
#include <cmath>
#include <compare>
#include <cstdint>
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

// Searches add durations as whole milliseconds: integer sums are exact (a time never
// depends on the order edges were added), and a 32-bit count packs with a facility label
// into one 64-bit priority key. A path of n edges is within n × 0.5 ms of the exact sum.
class Millis {
public:
    static constexpr std::uint32_t kMax = std::numeric_limits<std::uint32_t>::max() - 1;  // ~49.7 days
    constexpr Millis() = default;
    constexpr explicit Millis(std::uint32_t count) : count_(count) {}
    // Nearest millisecond; beyond kMax (or infinite) saturates at kMax. `s` must be >= 0.
    static Millis round(Seconds s) {
        double ms = std::round(s.value() * 1000.0);
        return Millis(ms >= static_cast<double>(kMax) ? kMax : static_cast<std::uint32_t>(ms));
    }
    // Largest count not above `s` (a limit stays a limit).
    static Millis floor(Seconds s) {
        double ms = std::floor(s.value() * 1000.0 + 1e-6);
        return Millis(ms >= static_cast<double>(kMax) ? kMax : static_cast<std::uint32_t>(ms));
    }
    [[nodiscard]] constexpr std::uint32_t count() const { return count_; }
    [[nodiscard]] constexpr Seconds seconds() const { return Seconds(count_ / 1000.0); }
    constexpr auto operator<=>(const Millis&) const = default;

private:
    std::uint32_t count_ = 0;
};

}  // namespace maillage
