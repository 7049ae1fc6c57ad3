#include "routing/dijkstra.hpp"

#include <algorithm>
#include <limits>
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

namespace {

std::uint64_t bound_of(Seconds limit) {
    return std::min<std::uint64_t>(Millis::floor(limit).count(), Millis::kMax - 1);
}

// Lowers key[s.node] to the source's key when smaller, and queues it.
void seed(const SearchSource& s, std::uint64_t bound, std::vector<std::uint64_t>& key, RadixHeap<NodeId>& heap) {
    if (!(s.initial.value() >= 0.0) || !s.initial.is_finite() || s.label == kNoLabel || s.node >= key.size())
        throw std::invalid_argument("search source: node, initial time or label out of range");
    const std::uint64_t t = Millis::round(s.initial).count();
    if (t > bound) return;
    const std::uint64_t k = t << 32 | s.label;
    if (k < key[s.node]) {
        key[s.node] = k;
        heap.push(k, s.node);
    }
}

// The search proper: settles queued nodes in key order, relaxing their arcs. Every search
// (from scratch, sources added, a label removed) ends here.
// Returns false, leaving nodes queued, when `max_settled` nodes are settled before the end.
bool settle(const RoadGraph& graph, std::vector<std::uint64_t>& key, RadixHeap<NodeId>& heap, std::uint64_t bound,
            std::vector<NodeId>& settled, std::size_t max_settled = std::numeric_limits<std::size_t>::max()) {
    const Arc* arcs = graph.all_arcs().data();
    while (!heap.empty()) {
        auto [k, u] = heap.pop();
        if (k != key[u]) continue;  // stale: improved after this push
        if (settled.size() >= max_settled) {
            heap.push(k, u);
            return false;
        }
        settled.push_back(u);
        const std::uint64_t t = k >> 32;
        const std::uint64_t label = k & 0xffffffffu;
        for (const Arc& a : graph.arcs(u)) {
            const std::uint64_t nt = t + a.duration.count();
            if (nt > bound) continue;
            const std::uint64_t nk = nt << 32 | label;
            if (nk < key[a.target]) {
                key[a.target] = nk;
                heap.push(nk, a.target);
                // The search is bound by memory latency: each settled node's arcs are read
                // once, from anywhere in the array. Asking for them now, when the node
                // enters the queue, overlaps that miss with the work done before it is
                // popped (measured: -25 % on a 1 M-node graph, see BENCHMARKS.md).
                __builtin_prefetch(arcs + graph.first_edge(a.target));
            }
        }
    }
    return true;
}

}  // namespace

const SearchResult& Dijkstra::run(std::span<const SearchSource> sources, Seconds limit) {
    reset();
    const std::uint64_t bound = bound_of(limit);
    for (const auto& s : sources) seed(s, bound, result_.key_, heap_);
    settle(graph_, result_.key_, heap_, bound, settled_);
    return result_;
}

bool Dijkstra::run_within(std::span<const SearchSource> sources, Seconds limit, std::size_t max_settled) {
    reset();
    const std::uint64_t bound = bound_of(limit);
    for (const auto& s : sources) seed(s, bound, result_.key_, heap_);
    if (settle(graph_, result_.key_, heap_, bound, settled_, max_settled)) return true;
    // Given up: the queued nodes hold keys too; clear them so the next run starts clean
    // (reset() only knows the settled ones).
    while (!heap_.empty()) result_.key_[heap_.pop().second] = SearchResult::kUnreached;
    reset();
    return false;
}

void add_sources(const RoadGraph& graph, SearchResult& result, std::span<const SearchSource> sources, Seconds limit,
                 std::vector<NodeId>& changed) {
    RadixHeap<NodeId> heap;
    const std::uint64_t bound = bound_of(limit);
    for (const auto& s : sources) seed(s, bound, result.key_, heap);
    // Only improved keys are queued, so the search stops where the new sources no longer
    // beat the old ones; a node settled here is a node whose key changed.
    settle(graph, result.key_, heap, bound, changed);
}

void remove_label(const RoadGraph& graph, const RoadGraph& predecessors, SearchResult& result, std::uint32_t label,
                  std::span<const SearchSource> label_sources, std::span<const SearchSource> remaining, Seconds limit,
                  std::vector<NodeId>& changed) {
    auto& key = result.key_;
    const auto label_of = [&](NodeId n) { return key[n] == SearchResult::kUnreached ? kNoLabel : static_cast<std::uint32_t>(key[n]); };
    // The region: every node labelled `label`. Each was reached from a neighbour with that
    // label or is one of its sources, so a walk from the sources along such nodes finds all.
    std::vector<NodeId> region;
    for (const auto& s : label_sources)
        if (s.node < key.size() && label_of(s.node) == label) region.push_back(s.node);
    std::sort(region.begin(), region.end());
    region.erase(std::unique(region.begin(), region.end()), region.end());
    std::vector<bool> in_region(key.size(), false);
    for (NodeId n : region) in_region[n] = true;
    for (std::size_t i = 0; i < region.size(); ++i)
        for (const Arc& a : graph.arcs(region[i]))
            if (!in_region[a.target] && label_of(a.target) == label) {
                in_region[a.target] = true;
                region.push_back(a.target);
            }
    for (NodeId n : region) key[n] = SearchResult::kUnreached;
    // Seeds: the best way into each region node from outside (settled, final keys), and the
    // other sources inside the region. All pushes come before the first pop (radix heap).
    RadixHeap<NodeId> heap;
    const std::uint64_t bound = bound_of(limit);
    for (NodeId v : region) {
        for (const Arc& back : predecessors.arcs(v)) {
            const NodeId u = back.target;
            if (in_region[u] || key[u] == SearchResult::kUnreached) continue;
            const std::uint64_t nt = (key[u] >> 32) + back.duration.count();
            if (nt > bound) continue;
            const std::uint64_t nk = nt << 32 | (key[u] & 0xffffffffu);
            if (nk < key[v]) {
                key[v] = nk;
                heap.push(nk, v);
            }
        }
    }
    for (const auto& s : remaining)
        if (s.node < key.size() && in_region[s.node]) seed(s, bound, key, heap);
    std::vector<NodeId> settled;
    settle(graph, key, heap, bound, settled);
    changed.insert(changed.end(), region.begin(), region.end());
}

SearchResult shortest_times(const RoadGraph& graph, std::span<const SearchSource> sources, Seconds limit) {
    Dijkstra d(graph);
    d.run(sources, limit);
    return d.result();
}

}  // namespace maillage
