#include "routing/contraction_hierarchy.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <queue>
#include <stdexcept>
#include <utility>

namespace maillage {

namespace {

// The largest time a search keeps (Dijkstra's bound never exceeds it): a longer arc or
// shortcut can only lead to unreached nodes, so the hierarchy leaves it out.
constexpr std::uint64_t kMaxTime = Millis::kMax - 1;
constexpr std::uint64_t kFar = std::numeric_limits<std::uint64_t>::max();

struct DynArc {
    NodeId other;
    std::uint32_t duration;
};

// An arc of the hierarchy as recorded when its lower end is contracted.
struct Record {
    NodeId lower;
    NodeId higher;
    std::uint32_t duration;
};

class Contractor {
public:
    Contractor(const RoadGraph& graph, const ChOptions& options)
        : options_(options),
          out_(graph.node_count()),
          in_(graph.node_count()),
          contracted_(graph.node_count(), false),
          level_(graph.node_count(), 0),
          contracted_neighbours_(graph.node_count(), 0),
          distance_(graph.node_count(), kFar),
          hops_(graph.node_count(), 0),
          target_(graph.node_count(), 0) {
        for (NodeId u = 0; u < graph.node_count(); ++u)
            for (const Arc& a : graph.arcs(u))
                if (a.target != u && a.duration.count() <= kMaxTime) add_or_lower(u, a.target, a.duration.count());
    }

    ContractionHierarchy run();

private:
    // Keeps the shorter of parallel arcs: one arc per ordered pair.
    void add_or_lower(NodeId u, NodeId w, std::uint32_t duration) {
        for (DynArc& a : out_[u])
            if (a.other == w) {
                if (duration < a.duration) {
                    a.duration = duration;
                    for (DynArc& b : in_[w])
                        if (b.other == u) b.duration = duration;
                }
                return;
            }
        out_[u].push_back({w, duration});
        in_[w].push_back({u, duration});
    }

    // Dijkstra from `source` over uncontracted nodes, avoiding `avoid`, until the queue's
    // smallest time exceeds `max_time` or `settle_limit` nodes are settled. distance_ holds
    // the length of a real path (an upper bound) wherever it is not kFar.
    void witness_search(NodeId source, NodeId avoid, std::uint64_t max_time, std::uint32_t settle_limit,
                        std::uint32_t hop_limit) {
        for (NodeId n : touched_) distance_[n] = kFar;
        touched_.clear();
        queue_.clear();  // keeps its capacity: millions of searches, one allocation
        distance_[source] = 0;
        hops_[source] = 0;
        touched_.push_back(source);
        push({0, source});
        std::uint32_t settled = 0;
        while (!queue_.empty()) {
            std::pop_heap(queue_.begin(), queue_.end(), std::greater<>{});
            const auto [d, n] = queue_.back();
            queue_.pop_back();
            if (d != distance_[n]) continue;
            if (d > max_time || ++settled > settle_limit) break;
            // Once every target is settled its distance is final: nothing left to learn.
            if (target_[n] == epoch_ && --targets_left_ == 0) break;
            if (hops_[n] >= hop_limit) continue;
            for (const DynArc& a : out_[n]) {
                if (a.other == avoid) continue;
                const std::uint64_t nd = d + a.duration;
                if (nd < distance_[a.other]) {
                    if (distance_[a.other] == kFar) touched_.push_back(a.other);
                    distance_[a.other] = nd;
                    hops_[a.other] = hops_[n] + 1;
                    push({nd, a.other});
                }
            }
        }
    }

    // Calls emit(u, w, duration) for every shortcut contracting v needs.
    template <class Emit>
    void shortcuts_of(NodeId v, std::uint32_t settle_limit, std::uint32_t hop_limit, Emit&& emit) {
        for (const DynArc& in : in_[v]) {
            const NodeId u = in.other;
            std::uint64_t max_time = 0;
            bool any = false;
            for (const DynArc& out : out_[v])
                if (out.other != u) {
                    max_time = std::max<std::uint64_t>(max_time, std::uint64_t{in.duration} + out.duration);
                    any = true;
                }
            if (!any) continue;
            ++epoch_;
            targets_left_ = 0;
            for (const DynArc& out : out_[v])
                if (out.other != u && target_[out.other] != epoch_) {
                    target_[out.other] = epoch_;
                    ++targets_left_;
                }
            witness_search(u, v, std::min(max_time, kMaxTime), settle_limit, hop_limit);
            for (const DynArc& out : out_[v]) {
                if (out.other == u) continue;
                const std::uint64_t via = std::uint64_t{in.duration} + out.duration;
                if (via <= kMaxTime && distance_[out.other] > via)
                    emit(u, out.other, static_cast<std::uint32_t>(via));
            }
        }
    }

    // Smaller is contracted first. Edge difference keeps the graph sparse; contracted
    // neighbours spread contraction evenly (uniform, shallow hierarchy); the level keeps
    // the hierarchy shallow, which bounds both query search spaces.
    std::int64_t priority(NodeId v) {
        std::int64_t added = 0;
        shortcuts_of(v, options_.estimate_settle_limit, options_.estimate_hop_limit, [&](NodeId, NodeId, std::uint32_t) { ++added; });
        const std::int64_t removed = static_cast<std::int64_t>(in_[v].size() + out_[v].size());
        return 4 * (added - removed) + 2 * contracted_neighbours_[v] + level_[v];
    }

    void contract(NodeId v);

    const ChOptions& options_;
    std::vector<std::vector<DynArc>> out_, in_;
    std::vector<bool> contracted_;
    std::vector<std::uint32_t> level_;
    std::vector<std::uint32_t> contracted_neighbours_;
    std::vector<Record> up_, down_;
    std::size_t shortcuts_ = 0;
    // Witness search state, reset through `touched_`.
    std::vector<std::uint64_t> distance_;
    std::vector<std::uint32_t> hops_;  // arcs on the path distance_ measures
    std::vector<std::uint32_t> target_;  // == epoch_: a node the current search must reach
    std::uint32_t epoch_ = 0;
    std::uint32_t targets_left_ = 0;
    std::vector<NodeId> touched_;
    using Item = std::pair<std::uint64_t, NodeId>;
    std::vector<Item> queue_;  // a binary min-heap
    void push(Item item) {
        queue_.push_back(item);
        std::push_heap(queue_.begin(), queue_.end(), std::greater<>{});
    }
    std::vector<NodeId> neighbours_;
    std::vector<Record> pending_;
};

void Contractor::contract(NodeId v) {
    // v's arcs to the remaining nodes are final: they are v's arcs in the hierarchy.
    for (const DynArc& a : out_[v]) up_.push_back({v, a.other, a.duration});
    for (const DynArc& a : in_[v]) down_.push_back({v, a.other, a.duration});
    pending_.clear();
    shortcuts_of(v, options_.witness_settle_limit, options_.witness_hop_limit,
                 [&](NodeId u, NodeId w, std::uint32_t d) { pending_.push_back({u, w, d}); });
    neighbours_.clear();
    for (const DynArc& a : out_[v]) {
        auto& back = in_[a.other];
        std::erase_if(back, [v](const DynArc& b) { return b.other == v; });
        neighbours_.push_back(a.other);
    }
    for (const DynArc& a : in_[v]) {
        auto& back = out_[a.other];
        std::erase_if(back, [v](const DynArc& b) { return b.other == v; });
        neighbours_.push_back(a.other);
    }
    contracted_[v] = true;
    out_[v] = {};
    in_[v] = {};
    for (const Record& s : pending_) {
        const auto before = out_[s.lower].size();
        add_or_lower(s.lower, s.higher, s.duration);
        shortcuts_ += out_[s.lower].size() != before ? 1 : 0;
    }
    std::sort(neighbours_.begin(), neighbours_.end());
    neighbours_.erase(std::unique(neighbours_.begin(), neighbours_.end()), neighbours_.end());
    for (NodeId n : neighbours_) {
        level_[n] = std::max(level_[n], level_[v] + 1);
        ++contracted_neighbours_[n];
    }
}

ContractionHierarchy Contractor::run() {
    const std::size_t n = out_.size();
    std::vector<std::int64_t> current(n);
    using Entry = std::pair<std::int64_t, NodeId>;  // ties to the smallest id: deterministic
    std::priority_queue<Entry, std::vector<Entry>, std::greater<>> order;
    for (NodeId v = 0; v < n; ++v) {
        current[v] = priority(v);
        order.push({current[v], v});
    }
    while (!order.empty()) {
        const auto [p, v] = order.top();
        order.pop();
        if (contracted_[v] || p != current[v]) continue;  // stale entry
        // Lazy update: priorities drift as the graph changes around a node; re-check the
        // candidate and put it back if it is no longer the cheapest.
        const std::int64_t now = priority(v);
        if (now != p) {
            current[v] = now;
            if (!order.empty() && Entry{now, v} > order.top()) {
                order.push({now, v});
                continue;
            }
        }
        contract(v);
        for (NodeId w : neighbours_) {
            current[w] = priority(w);
            order.push({current[w], w});
        }
    }

    ContractionHierarchy ch;
    ch.shortcut_count = shortcuts_;
    if (up_.size() >= std::numeric_limits<std::uint32_t>::max() || down_.size() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("contraction hierarchy: 2^32 arcs or more");
    ch.node_of.resize(n);
    for (NodeId v = 0; v < n; ++v) ch.node_of[v] = v;
    // Every arc goes from a lower to a strictly higher level, so by level, highest first,
    // is a topological order of the downward graph: what the sweep needs.
    std::stable_sort(ch.node_of.begin(), ch.node_of.end(), [&](NodeId a, NodeId b) { return level_[a] > level_[b]; });
    ch.position_of.resize(n);
    for (ChPosition p = 0; p < n; ++p) ch.position_of[ch.node_of[p]] = p;

    // CSR by the lower end's position, arcs sorted by the other end's position (the
    // sweep then reads the keys it needs in increasing address order).
    const auto build = [&](std::vector<Record>& records, std::vector<std::uint32_t>& first, std::vector<ChArc>& arcs) {
        for (Record& r : records) {
            r.lower = ch.position_of[r.lower];
            r.higher = ch.position_of[r.higher];
        }
        std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
            return a.lower != b.lower ? a.lower < b.lower : a.higher < b.higher;
        });
        first.assign(n + 1, 0);
        for (const Record& r : records) ++first[r.lower + 1];
        for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
        arcs.resize(records.size());
        for (std::size_t i = 0; i < records.size(); ++i) arcs[i] = {records[i].higher, Millis(records[i].duration)};
        records = {};
    };
    build(up_, ch.up_first, ch.up_arcs);
    build(down_, ch.down_first, ch.down_arcs);
    return ch;
}

}  // namespace

std::size_t ContractionHierarchy::memory_bytes() const {
    return node_of.size() * sizeof(NodeId) + position_of.size() * sizeof(ChPosition) +
           (up_first.size() + down_first.size()) * sizeof(std::uint32_t) +
           (up_arcs.size() + down_arcs.size()) * sizeof(ChArc);
}

ContractionHierarchy build_contraction_hierarchy(const RoadGraph& graph, const ChOptions& options) {
    return Contractor(graph, options).run();
}

}  // namespace maillage
