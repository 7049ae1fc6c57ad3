#pragma once
// Contraction hierarchy (Geisberger et al. 2008) of a RoadGraph, laid out for PHAST
// (Delling, Goldberg, Nowatzyk, Werneck 2011): nodes are contracted cheapest first (edge
// difference + contracted neighbours + level), in rounds as OSRM's contractor does — every
// node cheaper than all its neighbours in one round, edge differences re-estimated lazily,
// searches spread over threads — and a shortcut u→w replaces u→v→w whenever a bounded
// witness search finds no path as short that avoids the round's nodes.
//
// What it guarantees: for every pair (s, t) with a shortest time d(s, t) ≤ Millis::kMax - 1
// (the largest bound a Dijkstra search ever uses), some path goes up the hierarchy from s
// and then down to t with exactly d(s, t) — times are whole milliseconds and a shortcut is
// the exact sum of the arcs it replaces. Arcs and shortcuts longer than that bound are left
// out: Dijkstra never crosses them either (a node beyond the bound is unreached).
// Bounded witness searches only ever add shortcuts that were not needed, never lose one.
//
// Positions: by level, highest first (a node's level is above that of every node
// contracted before it and adjacent to it), then by NodeId, so nodes of one level keep the
// graph's Hilbert locality. Arcs of a node are sorted by the other end's position.
// Deterministic: the same graph and options give the same arrays, whatever the threads.
#include <cstdint>

#include "graph/hierarchy.hpp"
#include "graph/road_graph.hpp"

namespace maillage {

struct ChOptions {
    // A witness search stops after settling this many nodes (then a shortcut is added,
    // which may be unnecessary but is never wrong). Priority estimates use a smaller one.
    std::uint32_t witness_settle_limit = 1000;
    std::uint32_t estimate_settle_limit = 200;
    // ... or after paths of this many arcs (dense upper levels: a hop limit keeps each
    // search small where a settle limit alone lets one search relax 100 000 arcs).
    std::uint32_t witness_hop_limit = 8;
    std::uint32_t estimate_hop_limit = 4;
    // Threads for the witness searches (the caller's among them). The hierarchy is the
    // same whatever the count.
    unsigned threads = 1;
};

// Throws std::length_error if the hierarchy has 2^32 arcs or more.
ContractionHierarchy build_contraction_hierarchy(const RoadGraph& graph, const ChOptions& options = {});

}  // namespace maillage
