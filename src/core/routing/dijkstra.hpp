#pragma once
// One-to-all, bounded and multi-source Dijkstra on a RoadGraph. Multi-source gives,
// in one pass, the time to the nearest source and which one it is ("label").
// Ties (equal times) go to the smallest label, so results never depend on heap order.
#include <cstdint>
#include <span>
#include <vector>

#include "network/road_graph.hpp"

namespace maillage {

constexpr std::uint32_t kNoLabel = std::numeric_limits<std::uint32_t>::max();

struct SearchSource {
    NodeId node = kNoNode;
    Seconds initial;        // time already spent before reaching `node` (access leg, partial edge)
    std::uint32_t label = 0;  // e.g. index of the facility
};

struct SearchResult {
    std::vector<Seconds> time;          // per node; infinity where not reached within the limit
    std::vector<std::uint32_t> label;   // per node; kNoLabel where not reached
    [[nodiscard]] bool reached(NodeId n) const { return label[n] != kNoLabel; }
};

// Reusable search state: keep one per thread and call run() many times.
class Dijkstra {
public:
    explicit Dijkstra(const RoadGraph& graph);
    // Nodes farther than `limit` are left unreached.
    const SearchResult& run(std::span<const SearchSource> sources, Seconds limit = Seconds::infinity());
    [[nodiscard]] const SearchResult& result() const { return result_; }
    // Nodes settled by the last run, in settling order.
    [[nodiscard]] const std::vector<NodeId>& settled() const { return settled_; }

private:
    void reset();
    const RoadGraph& graph_;
    SearchResult result_;
    std::vector<NodeId> settled_;
    std::vector<NodeId> touched_;
};

// Convenience: a fresh search from scratch.
SearchResult shortest_times(const RoadGraph& graph, std::span<const SearchSource> sources,
                            Seconds limit = Seconds::infinity());

}  // namespace maillage
