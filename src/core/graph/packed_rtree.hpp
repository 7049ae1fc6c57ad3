#pragma once
// A static R-tree packed in flat arrays (the "packed Hilbert R-tree" of Kamel & Faloutsos,
// laid out level by level as in flatbush): items sorted along a Hilbert curve, every node
// the bounding box of 16 consecutive entries of the level below. Built once in O(n log n),
// never modified; being plain arrays (Columns) it is written into a graph cache and read
// back in place, which a pointer-based tree (Boost.Geometry's) cannot be.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "geo/point.hpp"
#include "graph/column.hpp"

namespace maillage {

struct Box {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    static Box around(Point2 p) { return {p.x, p.y, p.x, p.y}; }
    void expand(Point2 p);
    void expand(const Box& b);
    // Squared distance from p to the box (0 inside): a lower bound for anything inside.
    [[nodiscard]] double distance2(Point2 p) const;
};

class PackedRTree {
public:
    static constexpr std::uint32_t kNodeSize = 16;

    struct Columns {
        Column<Box> boxes;             // every level, leaves first, the root last
        Column<std::uint32_t> ids;     // leaves: the item; upper levels: first child's position
        Column<std::uint64_t> level_ends;  // end position of each level in `boxes`
    };
    struct Nearest {
        std::uint32_t item;
        double distance2;
    };

    PackedRTree() = default;
    // Item i has box boxes[i].
    explicit PackedRTree(const std::vector<Box>& boxes);
    // Read back from a graph cache: checked first (std::invalid_argument saying what is wrong).
    static PackedRTree from_columns(Columns columns, std::size_t item_count);
    [[nodiscard]] const Columns& columns() const { return c_; }
    [[nodiscard]] std::size_t size() const { return items_; }
    [[nodiscard]] bool empty() const { return items_ == 0; }

    // The item nearest to p by `distance2(item)` (its exact squared distance, at least its
    // box's): best-first over the boxes. Ties go to the smallest item id. nullopt if empty.
    [[nodiscard]] std::optional<Nearest> nearest(Point2 p, const std::function<double(std::uint32_t)>& distance2) const;

    [[nodiscard]] std::size_t memory_bytes() const { return c_.boxes.bytes() + c_.ids.bytes() + c_.level_ends.bytes(); }

private:
    Columns c_;
    std::size_t items_ = 0;
};

}  // namespace maillage
