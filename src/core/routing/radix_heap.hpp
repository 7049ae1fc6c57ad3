#pragma once
// Monotone priority queue on 64-bit integer keys (radix heap, Ahuja et al. 1990).
// Dijkstra only ever pushes keys not below the last one popped, which is all a radix heap
// needs: an item lives in the bucket of the highest bit where its key differs from the
// last popped key, and moves at most 64 times over its life, against log(n) sift steps per
// operation for a binary heap. Pops come in key order; equal keys come last-in first-out,
// so the order is a pure function of the pushes (deterministic).
#include <array>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

namespace maillage {

template <class Value>
class RadixHeap {
public:
    using Key = std::uint64_t;

    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] std::size_t size() const { return size_; }

    // Empties the heap and forgets the last key; bucket capacity is kept for the next search.
    void clear() {
        for (auto& b : buckets_) b.clear();
        size_ = 0;
        last_ = 0;
        occupied_ = 0;
    }

    // `key` must not be below the last popped key.
    void push(Key key, Value value) {
        put(key, value);
        ++size_;
    }

    // Smallest key; the heap must not be empty.
    std::pair<Key, Value> pop() {
        if (buckets_[0].empty()) refill_bucket_zero();
        auto item = buckets_[0].back();
        buckets_[0].pop_back();
        --size_;
        return item;
    }

private:
    [[nodiscard]] int bucket_of(Key key) const { return key == last_ ? 0 : 64 - std::countl_zero(key ^ last_); }

    void put(Key key, Value value) {
        const int b = bucket_of(key);
        buckets_[b].push_back({key, value});
        if (b > 0) occupied_ |= std::uint64_t{1} << (b - 1);
    }

    // The first non-empty bucket holds the new minimum; every item of it moves to a lower
    // bucket once that minimum is the reference.
    void refill_bucket_zero() {
        const int i = std::countr_zero(occupied_) + 1;  // a bit mask, not a scan of 64 vectors
        auto& from = buckets_[i];
        occupied_ &= ~(std::uint64_t{1} << (i - 1));
        Key min = from.front().first;
        for (const auto& item : from) min = item.first < min ? item.first : min;
        last_ = min;
        for (const auto& item : from) put(item.first, item.second);
        from.clear();
    }

    std::array<std::vector<std::pair<Key, Value>>, 65> buckets_;
    std::uint64_t occupied_ = 0;  // bit b-1 set when bucket b (1..64) may hold items
    std::size_t size_ = 0;
    Key last_ = 0;
};

}  // namespace maillage
