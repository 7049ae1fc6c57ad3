#pragma once
// Contraction hierarchy (Geisberger et al. 2008) of a RoadGraph, laid out for PHAST
// (Delling, Goldberg, Nowatzyk, Werneck 2011): nodes are contracted one by one, cheapest
// first (edge difference + contracted neighbours, lazily updated), and a shortcut u→w
// replaces u→v→w whenever a bounded witness search finds no path as short without v.
//
// What it guarantees: for every pair (s, t) with a shortest time d(s, t) ≤ Millis::kMax - 1
// (the largest bound a Dijkstra search ever uses), some path goes up the hierarchy from s
// and then down to t with exactly d(s, t) — times are whole milliseconds and a shortcut is
// the exact sum of the arcs it replaces. Arcs and shortcuts longer than that bound are left
// out: Dijkstra never crosses them either (a node beyond the bound is unreached).
// Bounded witness searches only ever add shortcuts that were not needed, never lose one.
//
// Storage: plain vectors of 4- and 8-byte PODs (mappable like the graph cache's columns).
// Nodes are stored by *position*, the order of PHAST's downward sweep: by level, highest
// first (a node's level is above that of every node contracted before it and adjacent to
// it), then by NodeId, so nodes of one level keep the graph's Hilbert locality.
// Deterministic: the same graph and options give the same arrays.
#include <cstdint>
#include <type_traits>
#include <vector>

#include "graph/road_graph.hpp"

namespace maillage {

// A node's place in the sweep order (0 = swept first).
using ChPosition = std::uint32_t;

// An arc of the hierarchy: `other` is the far end's position, `duration` the exact sum of
// the road arcs it stands for.
struct ChArc {
    ChPosition other;
    Millis duration;
};
static_assert(sizeof(ChArc) == 8 && std::is_trivially_copyable_v<ChArc>);

struct ContractionHierarchy {
    std::vector<NodeId> node_of;          // position → graph node
    std::vector<ChPosition> position_of;  // graph node → position
    // Upward graph, by tail position: arcs to nodes of higher rank (positions earlier in
    // the sweep). up_arcs[up_first[p] .. up_first[p + 1]).
    std::vector<std::uint32_t> up_first;
    std::vector<ChArc> up_arcs;
    // Downward graph, by *head* position: arcs coming into p from nodes of higher rank,
    // `other` = their tail, sorted by it. down_arcs[down_first[p] .. down_first[p + 1]).
    std::vector<std::uint32_t> down_first;
    std::vector<ChArc> down_arcs;
    std::size_t shortcut_count = 0;

    [[nodiscard]] std::size_t node_count() const { return node_of.size(); }
    // Bytes held by the arrays above.
    [[nodiscard]] std::size_t memory_bytes() const;
};

struct ChOptions {
    // A witness search stops after settling this many nodes (then a shortcut is added,
    // which may be unnecessary but is never wrong). Priority estimates use a smaller one.
    std::uint32_t witness_settle_limit = 1000;
    std::uint32_t estimate_settle_limit = 200;
    // ... or after paths of this many arcs (dense upper levels: a hop limit keeps each
    // search small where a settle limit alone lets one search relax 100 000 arcs).
    std::uint32_t witness_hop_limit = 8;
    std::uint32_t estimate_hop_limit = 4;
};

// Throws std::length_error if the hierarchy has 2^32 arcs or more.
ContractionHierarchy build_contraction_hierarchy(const RoadGraph& graph, const ChOptions& options = {});

}  // namespace maillage
