#pragma once
// One-to-all, bounded and multi-source Dijkstra on a RoadGraph. Multi-source gives,
// in one pass, the time to the nearest source and which one it is ("label").
// Ties (equal times) go to the smallest label, so results never depend on heap order.
// Times are summed in whole milliseconds (see Millis): exact and order-independent.
#include <cstdint>
#include <span>
#include <vector>

#include "graph/road_graph.hpp"
#include "routing/radix_heap.hpp"

namespace maillage {

constexpr std::uint32_t kNoLabel = std::numeric_limits<std::uint32_t>::max();

struct SearchSource {
    NodeId node = kNoNode;
    Seconds initial;        // time already spent before reaching `node` (access leg, partial edge)
    std::uint32_t label = 0;  // e.g. index of the facility
};

class SearchResult {
public:
    SearchResult() = default;
    explicit SearchResult(std::size_t node_count) : key_(node_count, kUnreached) {}

    [[nodiscard]] std::size_t size() const { return key_.size(); }
    [[nodiscard]] bool reached(NodeId n) const { return key_[n] != kUnreached; }
    // Infinity where not reached within the limit.
    [[nodiscard]] Seconds time(NodeId n) const {
        return reached(n) ? Millis(static_cast<std::uint32_t>(key_[n] >> 32)).seconds() : Seconds::infinity();
    }
    // kNoLabel where not reached.
    [[nodiscard]] std::uint32_t label(NodeId n) const {
        return reached(n) ? static_cast<std::uint32_t>(key_[n]) : kNoLabel;
    }

private:
    friend class Dijkstra;
    friend class Phast;  // routing/phast.hpp: the same keys from a contraction hierarchy
    friend void add_sources(const RoadGraph&, SearchResult&, std::span<const SearchSource>, Seconds,
                            std::vector<NodeId>&);
    friend void remove_label(const RoadGraph&, const RoadGraph&, SearchResult&, std::uint32_t,
                             std::span<const SearchSource>, std::span<const SearchSource>, Seconds,
                             std::vector<NodeId>&);
    // (milliseconds << 32 | label): one comparison orders by time then label, and one
    // array holds both, so a relaxation reads one word per node.
    static constexpr std::uint64_t kUnreached = ~std::uint64_t{0};
    std::vector<std::uint64_t> key_;
};

// Reusable search state: keep one per thread and call run() many times.
class Dijkstra {
public:
    explicit Dijkstra(const RoadGraph& graph);
    // Nodes farther than `limit` are left unreached. Source times must be finite and >= 0;
    // labels must not be kNoLabel.
    const SearchResult& run(std::span<const SearchSource> sources, Seconds limit = Seconds::infinity());
    // As run, but gives up (false, and an empty result) once `max_settled` nodes are settled
    // with more to go: a caller with a faster way for large searches (PHAST) tries the
    // small search first.
    bool run_within(std::span<const SearchSource> sources, Seconds limit, std::size_t max_settled);
    [[nodiscard]] const SearchResult& result() const { return result_; }
    // Nodes settled by the last run, in settling order (every node it reached).
    [[nodiscard]] const std::vector<NodeId>& settled() const { return settled_; }

private:
    void reset();
    const RoadGraph& graph_;
    SearchResult result_;
    std::vector<NodeId> settled_;
    RadixHeap<NodeId> heap_;
};

// Updates of a finished search (what-if: a site added or closed). A node's key is the
// smallest (whole milliseconds, label) over all sources — a property of the sources, not of
// the order they were searched in — so an updated result equals a search from scratch.

// Adds sources: only nodes that get a smaller key are searched again (a search pruned
// where it no longer improves anything). `changed` receives those nodes.
void add_sources(const RoadGraph& graph, SearchResult& result, std::span<const SearchSource> sources, Seconds limit,
                 std::vector<NodeId>& changed);

// Removes the sources of `label` (`label_sources`, as they were added). The nodes it
// labelled are searched again from their neighbours outside that region (`predecessors`:
// `graph` with every arc reversed) and from the `remaining` sources that lie inside it.
// `changed` receives the region's nodes.
void remove_label(const RoadGraph& graph, const RoadGraph& predecessors, SearchResult& result, std::uint32_t label,
                  std::span<const SearchSource> label_sources, std::span<const SearchSource> remaining, Seconds limit,
                  std::vector<NodeId>& changed);

// Convenience: a fresh search from scratch.
SearchResult shortest_times(const RoadGraph& graph, std::span<const SearchSource> sources,
                            Seconds limit = Seconds::infinity());

}  // namespace maillage
