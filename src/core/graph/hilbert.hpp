#pragma once
// Distance along a Hilbert curve: sorting by it puts things close on the ground close in
// memory (graph node numbering, the leaves of the packed R-tree).
#include <cstdint>
#include <utility>

namespace maillage {

// Position on the Hilbert curve filling a 2^16 × 2^16 grid (the classic xy → d walk: at each
// level, pick the quadrant, then rotate / flip so the sub-curve is canonical).
inline std::uint64_t hilbert_distance(std::uint32_t x, std::uint32_t y) {
    constexpr std::uint32_t side = 1u << 16;
    std::uint64_t d = 0;
    for (std::uint32_t s = side / 2; s > 0; s /= 2) {
        const std::uint32_t rx = (x & s) ? 1 : 0;
        const std::uint32_t ry = (y & s) ? 1 : 0;
        d += static_cast<std::uint64_t>(s) * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = side - 1 - x;
                y = side - 1 - y;
            }
            std::swap(x, y);
        }
    }
    return d;
}

}  // namespace maillage
