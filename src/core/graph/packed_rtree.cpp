#include "graph/packed_rtree.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <queue>
#include <stdexcept>
#include <string>
#include <tuple>

#include "graph/hilbert.hpp"

namespace maillage {

void Box::expand(Point2 p) {
    min_x = std::min(min_x, p.x);
    min_y = std::min(min_y, p.y);
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
}

void Box::expand(const Box& b) {
    min_x = std::min(min_x, b.min_x);
    min_y = std::min(min_y, b.min_y);
    max_x = std::max(max_x, b.max_x);
    max_y = std::max(max_y, b.max_y);
}

double Box::distance2(Point2 p) const {
    const double dx = std::max({min_x - p.x, 0.0, p.x - max_x});
    const double dy = std::max({min_y - p.y, 0.0, p.y - max_y});
    return dx * dx + dy * dy;
}

PackedRTree::PackedRTree(const std::vector<Box>& items) : items_(items.size()) {
    if (items.size() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("packed R-tree: too many items");
    std::vector<Box> boxes;
    std::vector<std::uint32_t> ids(items.size());
    std::vector<std::uint64_t> level_ends;
    std::iota(ids.begin(), ids.end(), 0u);
    if (!items.empty()) {
        Box all = items.front();
        for (const auto& b : items) all.expand(b);
        const double scale = 65535.0 / std::max({all.max_x - all.min_x, all.max_y - all.min_y, 1e-9});
        std::vector<std::uint64_t> key(items.size());
        for (std::size_t i = 0; i < items.size(); ++i) {
            const double cx = (items[i].min_x + items[i].max_x) / 2 - all.min_x;
            const double cy = (items[i].min_y + items[i].max_y) / 2 - all.min_y;
            key[i] = hilbert_distance(static_cast<std::uint32_t>(cx * scale), static_cast<std::uint32_t>(cy * scale));
        }
        // Equal keys keep item order: the layout, and so every query, is deterministic.
        std::stable_sort(ids.begin(), ids.end(), [&](std::uint32_t a, std::uint32_t b) { return key[a] < key[b]; });
        boxes.reserve(items.size() + items.size() / (kNodeSize - 1) + 2);
        for (std::uint32_t id : ids) boxes.push_back(items[id]);
        level_ends.push_back(boxes.size());
        // Upper levels until one root.
        std::uint64_t level_begin = 0;
        while (level_ends.back() - level_begin > 1) {
            const std::uint64_t level_end = level_ends.back();
            for (std::uint64_t first = level_begin; first < level_end; first += kNodeSize) {
                const std::uint64_t last = std::min<std::uint64_t>(first + kNodeSize, level_end);
                Box b = boxes[first];
                for (std::uint64_t k = first + 1; k < last; ++k) b.expand(boxes[k]);
                boxes.push_back(b);
                ids.push_back(static_cast<std::uint32_t>(first));
            }
            level_begin = level_end;
            level_ends.push_back(boxes.size());
        }
        if (boxes.size() >= std::numeric_limits<std::uint32_t>::max())
            throw std::length_error("packed R-tree: too many entries");
    }
    c_.boxes = Column<Box>(std::move(boxes));
    c_.ids = Column<std::uint32_t>(std::move(ids));
    c_.level_ends = Column<std::uint64_t>(std::move(level_ends));
}

PackedRTree PackedRTree::from_columns(Columns c, std::size_t item_count) {
    auto require = [](bool ok, const char* what) {
        if (!ok) throw std::invalid_argument(std::string("spatial index: ") + what);
    };
    require(c.boxes.size() == c.ids.size(), "boxes and ids of different lengths");
    if (item_count == 0) {
        require(c.boxes.empty() && c.level_ends.empty(), "entries in an empty index");
    } else {
        require(!c.level_ends.empty() && c.level_ends[0] == item_count &&
                    c.level_ends[c.level_ends.size() - 1] == c.boxes.size(),
                "levels do not match the entries");
        for (std::size_t i = 0; i < item_count; ++i) require(c.ids[i] < item_count, "a leaf refers to a missing item");
        for (std::size_t level = 1; level < c.level_ends.size(); ++level) {
            require(c.level_ends[level - 1] < c.level_ends[level], "levels are not increasing");
            const std::uint64_t below_begin = level >= 2 ? c.level_ends[level - 2] : 0;
            for (std::uint64_t k = c.level_ends[level - 1]; k < c.level_ends[level]; ++k)
                require(c.ids[k] >= below_begin && c.ids[k] < c.level_ends[level - 1], "a node refers to a missing child");
        }
        const std::size_t top = c.level_ends.size() - 1;
        require(c.level_ends[top] - (top > 0 ? c.level_ends[top - 1] : 0) == 1, "not exactly one root");
    }
    PackedRTree t;
    t.c_ = std::move(c);
    t.items_ = item_count;
    return t;
}

std::optional<PackedRTree::Nearest> PackedRTree::nearest(Point2 p,
                                                         const std::function<double(std::uint32_t)>& distance2) const {
    if (items_ == 0) return std::nullopt;
    // Queue entries: (squared distance, kind, id). Kind 0: an upper node at position `id`
    // (its lower bound), kind 1: a leaf entry at position `id` (its box's lower bound), kind
    // 2: item `id` with its exact distance. At equal distance boxes come first, so an item
    // is taken only when nothing left can be nearer or an equally near smaller id.
    using Entry = std::tuple<double, int, std::uint64_t>;
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
    const std::size_t levels = c_.level_ends.size();
    const std::uint64_t root = c_.boxes.size() - 1;
    queue.emplace(c_.boxes[root].distance2(p), levels == 1 ? 1 : 0, root);
    while (!queue.empty()) {
        const auto [d2, kind, id] = queue.top();
        queue.pop();
        if (kind == 2) return Nearest{static_cast<std::uint32_t>(id), d2};
        if (kind == 1) {
            const std::uint32_t item = c_.ids[id];
            queue.emplace(std::max(distance2(item), d2), 2, item);
            continue;
        }
        // An upper node: which level is its child level?
        std::size_t level = 1;
        while (id >= c_.level_ends[level]) ++level;
        const std::uint64_t first = c_.ids[id];
        const std::uint64_t end = std::min<std::uint64_t>(first + kNodeSize, c_.level_ends[level - 1]);
        const int child_kind = level == 1 ? 1 : 0;
        for (std::uint64_t k = first; k < end; ++k) queue.emplace(c_.boxes[k].distance2(p), child_kind, k);
    }
    return std::nullopt;
}

}  // namespace maillage
