#pragma once
// The arrays of a contraction hierarchy (built by routing/contraction_hierarchy, swept by
// routing/phast), as columns so a graph cache can store them and map them back in place.
//
// Nodes are stored by *position*, the order of PHAST's downward sweep: higher ranks first.
// Every arc links a node to one of higher rank, i.e. to an earlier position — what makes a
// single sweep in position order correct, and what from_columns checks.
#include <cstdint>
#include <type_traits>

#include "graph/column.hpp"
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
    Column<NodeId> node_of;          // position → graph node
    Column<ChPosition> position_of;  // graph node → position
    // Upward graph, by tail position: arcs to nodes of higher rank (earlier positions).
    // up_arcs[up_first[p] .. up_first[p + 1]).
    Column<std::uint32_t> up_first;
    Column<ChArc> up_arcs;
    // Downward graph, by *head* position: arcs coming into p from nodes of higher rank,
    // `other` = their tail. down_arcs[down_first[p] .. down_first[p + 1]).
    Column<std::uint32_t> down_first;
    Column<ChArc> down_arcs;
    std::size_t shortcut_count = 0;

    [[nodiscard]] std::size_t node_count() const { return node_of.size(); }
    [[nodiscard]] bool empty() const { return node_of.empty(); }
    // Bytes held by the arrays above.
    [[nodiscard]] std::size_t memory_bytes() const;

    // Checks the arrays (read from a file) before anything sweeps them: sizes, bounds, the
    // two permutations inverse of each other, every arc towards an earlier position.
    // Throws std::invalid_argument saying what does not hold.
    static ContractionHierarchy from_columns(ContractionHierarchy arrays, std::size_t graph_nodes);
};

}  // namespace maillage
