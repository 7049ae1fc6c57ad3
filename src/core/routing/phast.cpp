#include "routing/phast.hpp"

#include <algorithm>
#include <stdexcept>

namespace maillage {

namespace {

constexpr std::uint64_t kUnreached = ~std::uint64_t{0};

// As Dijkstra: the limit in whole milliseconds, never above Millis::kMax - 1.
std::uint64_t bound_of(Seconds limit) {
    return std::min<std::uint64_t>(Millis::floor(limit).count(), Millis::kMax - 1);
}

// The key of `key` carried over an arc of `duration`, or kUnreached beyond `bound`
// (kUnreached itself stays unreached: its time, 2^32 - 1, is above any bound).
inline std::uint64_t carried(std::uint64_t key, Millis duration, std::uint64_t bound) {
    const std::uint64_t t = (key >> 32) + duration.count();
    return t > bound ? kUnreached : (t << 32 | (key & 0xffffffffu));
}

}  // namespace

Phast::Phast(const ContractionHierarchy& hierarchy, PhastDirection direction)
    : ch_(hierarchy), key_(hierarchy.node_count(), kUnreached), result_(hierarchy.node_count()) {
    const bool forward = direction == PhastDirection::forward;
    up_first_ = forward ? &ch_.up_first : &ch_.down_first;
    up_arcs_ = forward ? &ch_.up_arcs : &ch_.down_arcs;
    down_first_ = forward ? &ch_.down_first : &ch_.up_first;
    down_arcs_ = forward ? &ch_.down_arcs : &ch_.up_arcs;
}

const SearchResult& Phast::run(std::span<const SearchSource> sources, Seconds limit) {
    const std::uint64_t bound = bound_of(limit);
    const std::size_t n = ch_.node_count();
    std::fill(key_.begin(), key_.end(), kUnreached);
    heap_.clear();
    // Seeds exactly as Dijkstra's (same checks, same rounding, same bound).
    for (const auto& s : sources) {
        if (!(s.initial.value() >= 0.0) || !s.initial.is_finite() || s.label == kNoLabel || s.node >= n)
            throw std::invalid_argument("search source: node, initial time or label out of range");
        const std::uint64_t t = Millis::round(s.initial).count();
        if (t > bound) continue;
        const std::uint64_t k = t << 32 | s.label;
        const ChPosition p = ch_.position_of[s.node];
        if (k < key_[p]) {
            key_[p] = k;
            heap_.push(k, p);
        }
    }
    // Upward search: Dijkstra on the arcs towards higher ranks only. It is small (the
    // hierarchy's upper levels), so a plain search is enough.
    const std::uint32_t* up_first = up_first_->data();
    const ChArc* up = up_arcs_->data();
    while (!heap_.empty()) {
        auto [k, p] = heap_.pop();
        if (k != key_[p]) continue;
        for (std::uint32_t i = up_first[p]; i < up_first[p + 1]; ++i) {
            const std::uint64_t nk = carried(k, up[i].duration, bound);
            if (nk < key_[up[i].other]) {
                key_[up[i].other] = nk;
                heap_.push(nk, up[i].other);
            }
        }
    }
    // Downward sweep: by position, every tail of a downward arc comes before its head, so
    // each key read here is final. Keys are written back by node for the caller.
    const std::uint32_t* down_first = down_first_->data();
    const ChArc* down = down_arcs_->data();
    const NodeId* node_of = ch_.node_of.data();
    std::uint64_t* key = key_.data();
    std::uint64_t* out = result_.key_.data();
    for (std::size_t p = 0; p < n; ++p) {
        std::uint64_t k = key[p];
        for (std::uint32_t i = down_first[p]; i < down_first[p + 1]; ++i)
            k = std::min(k, carried(key[down[i].other], down[i].duration, bound));
        key[p] = k;
        out[node_of[p]] = k;
    }
    return result_;
}

}  // namespace maillage
