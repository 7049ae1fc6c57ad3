#pragma once
// PHAST (Delling, Goldberg, Nowatzyk, Werneck 2011): one-to-all (and multi-source) searches
// on a contraction hierarchy. A Dijkstra search up the hierarchy from the sources, then one
// linear sweep over every node in the hierarchy's position order (highest level first),
// each node taking the best of its own key and its downward arcs' tails' keys. The sweep
// reads arrays in order instead of popping a heap, which is what makes it fast when many
// one-to-all searches are needed (optimisation, what-if).
//
// What it guarantees: `run` returns exactly what Dijkstra::run returns on the graph the
// hierarchy was built from, for the same sources and limit — every node's key is the
// smallest (whole milliseconds, label) over the sources, unreached (kUnreached: infinite
// time, kNoLabel) beyond the limit or beyond Millis::kMax - 1, and invalid sources throw
// std::invalid_argument as Dijkstra does. Lexicographic min is associative and adding a
// time keeps the order of keys, so the sweep may carry (time, label) keys: the upward
// search gives each hierarchy node the best key over the sources of an upward path, and
// every shortest path is an upward then a downward path (contraction_hierarchy.hpp).
// What it does not give: Dijkstra's `settled()` order (a sweep settles every node).
//
// Backward: the same hierarchy answers searches on the *reversed* graph (times towards the
// sources), because reversing every arc of a hierarchy gives the reversed graph's
// hierarchy: its upward arcs out of p are the downward arcs into p, and the other way round.
#include <span>
#include <vector>

#include "routing/contraction_hierarchy.hpp"
#include "routing/dijkstra.hpp"
#include "routing/radix_heap.hpp"

namespace maillage {

// Reusable query state (one per thread): the hierarchy is shared, read only.
enum class PhastDirection { forward, backward };

class Phast {
public:
    explicit Phast(const ContractionHierarchy& hierarchy, PhastDirection direction = PhastDirection::forward);
    // As Dijkstra::run: source times finite and >= 0, labels not kNoLabel.
    const SearchResult& run(std::span<const SearchSource> sources, Seconds limit = Seconds::infinity());
    [[nodiscard]] const SearchResult& result() const { return result_; }

private:
    const ContractionHierarchy& ch_;
    // The arrays searched upwards and swept downwards (swapped for a backward search).
    const Column<std::uint32_t>* up_first_;
    const Column<ChArc>* up_arcs_;
    const Column<std::uint32_t>* down_first_;
    const Column<ChArc>* down_arcs_;
    std::vector<std::uint64_t> key_;  // by position, same encoding as SearchResult's keys
    RadixHeap<ChPosition> heap_;
    SearchResult result_;
};

}  // namespace maillage
