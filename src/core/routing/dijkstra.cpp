#include "routing/dijkstra.hpp"

#include <queue>
#include <tuple>

namespace maillage {

namespace {
struct HeapItem {
    double time;
    std::uint32_t label;
    NodeId node;
    bool operator>(const HeapItem& o) const {
        return std::tie(time, label, node) > std::tie(o.time, o.label, o.node);
    }
};

bool better(double t, std::uint32_t l, double old_t, std::uint32_t old_l) {
    return t < old_t || (t == old_t && l < old_l);
}
}  // namespace

Dijkstra::Dijkstra(const RoadGraph& graph) : graph_(graph) {
    result_.time.assign(graph.node_count(), Seconds::infinity());
    result_.label.assign(graph.node_count(), kNoLabel);
}

void Dijkstra::reset() {
    for (NodeId n : touched_) {
        result_.time[n] = Seconds::infinity();
        result_.label[n] = kNoLabel;
    }
    touched_.clear();
    settled_.clear();
}

const SearchResult& Dijkstra::run(std::span<const SearchSource> sources, Seconds limit) {
    reset();
    std::priority_queue<HeapItem, std::vector<HeapItem>, std::greater<>> heap;
    auto& time = result_.time;
    auto& label = result_.label;
    auto offer = [&](NodeId n, double t, std::uint32_t l) {
        if (t > limit.value()) return;
        if (!better(t, l, time[n].value(), label[n])) return;
        if (label[n] == kNoLabel) touched_.push_back(n);
        time[n] = Seconds(t);
        label[n] = l;
        heap.push({t, l, n});
    };
    for (const auto& s : sources) offer(s.node, s.initial.value(), s.label);
    while (!heap.empty()) {
        HeapItem top = heap.top();
        heap.pop();
        if (top.time != time[top.node].value() || top.label != label[top.node]) continue;  // stale
        settled_.push_back(top.node);
        for (const Arc& a : graph_.arcs(top.node)) offer(a.target, top.time + a.seconds, top.label);
    }
    return result_;
}

SearchResult shortest_times(const RoadGraph& graph, std::span<const SearchSource> sources, Seconds limit) {
    Dijkstra d(graph);
    d.run(sources, limit);
    return d.result();
}

}  // namespace maillage
