#pragma once
// The writers' share-out of independent work (one feature, one family) between a few
// threads: task(i) for every i < count, each result kept at its own index, so the output
// never depends on the threads. The first exception is rethrown once all threads are done.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace maillage {

template <class F>
void parallel_for(std::size_t count, F&& task, std::size_t min_per_thread = 16) {
    const std::size_t cores = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 8);
    const std::size_t threads = std::clamp<std::size_t>(count / std::max<std::size_t>(1, min_per_thread), 1, cores);
    std::atomic<std::size_t> next{0};
    std::vector<std::exception_ptr> errors(threads);
    auto worker = [&](std::size_t t) {
        try {
            for (std::size_t i; (i = next++) < count;) task(i);
        } catch (...) {
            errors[t] = std::current_exception();
            next = count;
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace maillage
