#include "routing/dijkstra.hpp"

#include <stdexcept>

namespace maillage {

Dijkstra::Dijkstra(const RoadGraph& graph) : graph_(graph), result_(graph.node_count()) {}

// Every node whose key was set was pushed with a key within the limit, so it was popped
// and settled: resetting the settled nodes restores the whole array.
void Dijkstra::reset() {
    for (NodeId n : settled_) result_.key_[n] = SearchResult::kUnreached;
    settled_.clear();
    heap_.clear();
}

const SearchResult& Dijkstra::run(std::span<const SearchSource> sources, Seconds limit) {
    reset();
    auto& key = result_.key_;
    const std::uint64_t bound = std::min<std::uint64_t>(Millis::floor(limit).count(), Millis::kMax - 1);
    for (const auto& s : sources) {
        if (!(s.initial.value() >= 0.0) || !s.initial.is_finite() || s.label == kNoLabel || s.node >= key.size())
            throw std::invalid_argument("search source: node, initial time or label out of range");
        const std::uint64_t t = Millis::round(s.initial).count();
        if (t > bound) continue;
        const std::uint64_t k = t << 32 | s.label;
        if (k < key[s.node]) {
            key[s.node] = k;
            heap_.push(k, s.node);
        }
    }
    const Arc* arcs = graph_.all_arcs().data();
    while (!heap_.empty()) {
        auto [k, u] = heap_.pop();
        if (k != key[u]) continue;  // stale: improved after this push
        settled_.push_back(u);
        const std::uint64_t t = k >> 32;
        const std::uint64_t label = k & 0xffffffffu;
        for (const Arc& a : graph_.arcs(u)) {
            const std::uint64_t nt = t + a.duration.count();
            if (nt > bound) continue;
            const std::uint64_t nk = nt << 32 | label;
            if (nk < key[a.target]) {
                key[a.target] = nk;
                heap_.push(nk, a.target);
                // The search is bound by memory latency: each settled node's arcs are read
                // once, from anywhere in the array. Asking for them now, when the node
                // enters the queue, overlaps that miss with the work done before it is
                // popped (measured: -25 % on a 1 M-node graph, see BENCHMARKS.md).
                __builtin_prefetch(arcs + graph_.first_edge(a.target));
            }
        }
    }
    return result_;
}

SearchResult shortest_times(const RoadGraph& graph, std::span<const SearchSource> sources, Seconds limit) {
    Dijkstra d(graph);
    d.run(sources, limit);
    return d.result();
}

}  // namespace maillage
