#include "graph/hierarchy.hpp"

#include <stdexcept>
#include <string>

namespace maillage {

std::size_t ContractionHierarchy::memory_bytes() const {
    return node_of.bytes() + position_of.bytes() + up_first.bytes() + down_first.bytes() + up_arcs.bytes() +
           down_arcs.bytes();
}

namespace {

void check_arcs(const char* what, const Column<std::uint32_t>& first, const Column<ChArc>& arcs, std::size_t n) {
    if (first.size() != n + 1 || first[0] != 0 || first[n] != arcs.size())
        throw std::invalid_argument(std::string("hierarchy: the ") + what + " offsets do not match its arcs");
    for (std::size_t p = 0; p < n; ++p) {
        if (first[p] > first[p + 1])
            throw std::invalid_argument(std::string("hierarchy: the ") + what + " offsets decrease");
        for (std::uint32_t i = first[p]; i < first[p + 1]; ++i)
            if (arcs[i].other >= p)
                throw std::invalid_argument(std::string("hierarchy: an arc of the ") + what +
                                            " does not lead to a higher rank");
    }
}

}  // namespace

ContractionHierarchy ContractionHierarchy::from_columns(ContractionHierarchy h, std::size_t graph_nodes) {
    const std::size_t n = h.node_of.size();
    if (n != graph_nodes || h.position_of.size() != n)
        throw std::invalid_argument("hierarchy: " + std::to_string(n) + " nodes for a graph of " +
                                    std::to_string(graph_nodes));
    for (std::size_t p = 0; p < n; ++p)
        if (h.node_of[p] >= n || h.position_of[h.node_of[p]] != p)
            throw std::invalid_argument("hierarchy: the node order is not a permutation");
    check_arcs("upward graph", h.up_first, h.up_arcs, n);
    check_arcs("downward graph", h.down_first, h.down_arcs, n);
    return h;
}

}  // namespace maillage
