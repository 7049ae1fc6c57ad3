// The radix heap against std::priority_queue on Dijkstra-like (monotone) workloads.
#include <queue>
#include <random>

#include <gtest/gtest.h>

#include "routing/radix_heap.hpp"

using namespace maillage;

TEST(RadixHeap, PopsInKeyOrderUnderMonotonePushes) {
    std::mt19937_64 rng(5);
    for (int round = 0; round < 20; ++round) {
        RadixHeap<std::uint32_t> heap;
        std::priority_queue<std::uint64_t, std::vector<std::uint64_t>, std::greater<>> reference;
        std::uint64_t last = 0;
        std::uint32_t next_value = 0;
        // Keys spread over the whole 64-bit range in some rounds, dense in others.
        const std::uint64_t spread = round % 2 ? (std::uint64_t{1} << 40) : 50;
        for (int step = 0; step < 5000; ++step) {
            if (heap.empty() || rng() % 3 != 0) {
                std::uint64_t key = last + rng() % spread;  // never below the last pop
                heap.push(key, next_value++);
                reference.push(key);
            } else {
                auto [key, value] = heap.pop();
                ASSERT_EQ(key, reference.top());
                ASSERT_GE(key, last);
                reference.pop();
                last = key;
            }
            ASSERT_EQ(heap.size(), reference.size());
        }
        while (!heap.empty()) {
            ASSERT_EQ(heap.pop().first, reference.top());
            reference.pop();
        }
    }
}

TEST(RadixHeap, EqualKeysComeLastInFirstOutAndClearRestarts) {
    RadixHeap<char> heap;
    heap.push(7, 'a');
    heap.push(7, 'b');
    heap.push(3, 'c');
    EXPECT_EQ(heap.pop(), std::make_pair(std::uint64_t{3}, 'c'));
    EXPECT_EQ(heap.pop().second, 'b');
    EXPECT_EQ(heap.pop().second, 'a');
    EXPECT_TRUE(heap.empty());
    heap.push(100, 'x');
    heap.pop();
    heap.clear();
    heap.push(1, 'y');  // below the last pop: allowed after clear()
    EXPECT_EQ(heap.pop(), std::make_pair(std::uint64_t{1}, 'y'));
}
