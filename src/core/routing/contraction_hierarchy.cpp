#include "routing/contraction_hierarchy.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <limits>
#include <stdexcept>
#include <thread>
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

using Adjacency = std::vector<std::vector<DynArc>>;

// An arc of the hierarchy as recorded when its lower end is contracted, or a shortcut
// lower → higher before it is added.
struct Record {
    NodeId lower;
    NodeId higher;
    std::uint32_t duration;
};

// Runs work(worker, begin, end) over [0, count) in chunks on `threads` threads (the
// calling one included). Chunks are fixed by `count` alone, so a caller that keeps one
// result per chunk and concatenates them in chunk order is deterministic whatever the
// threads' timing.
template <class Work>
void for_chunks(std::size_t count, std::size_t chunk, unsigned threads, Work&& work) {
    const std::size_t chunks = (count + chunk - 1) / chunk;
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::atomic<bool> failed{false};
    const auto worker = [&](unsigned id) {
        try {
            for (std::size_t c; !failed && (c = next++) < chunks;)
                work(id, c, c * chunk, std::min(count, (c + 1) * chunk));
        } catch (...) {
            if (!failed.exchange(true)) failure = std::current_exception();
        }
    };
    threads = static_cast<unsigned>(std::clamp<std::size_t>(threads, 1, std::max<std::size_t>(chunks, 1)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker, t);
    worker(0);
    for (std::thread& t : pool) t.join();
    if (failure) std::rethrow_exception(failure);
}

// A bounded Dijkstra over the remaining graph, one per thread: the adjacency is only read
// while searches run.
class WitnessSearch {
public:
    explicit WitnessSearch(std::size_t n) : distance_(n, kFar), hops_(n, 0), target_(n, 0) {}

    // Calls emit(u, w, duration) for every shortcut u → w that contracting v needs: each
    // pair of an arc u → v and an arc v → w with no path u ⇝ w as short that avoids every
    // node `skip` names (v among them) within the search limits.
    template <class Skip, class Emit>
    void shortcuts_of(const Adjacency& out, const Adjacency& in, NodeId v, const Skip& skip,
                      std::uint32_t settle_limit, std::uint32_t hop_limit, Emit&& emit) {
        for (const DynArc& first : in[v]) {
            const NodeId u = first.other;
            std::uint64_t max_time = 0;
            ++epoch_;
            targets_left_ = 0;
            for (const DynArc& second : out[v])
                if (second.other != u) {
                    max_time = std::max<std::uint64_t>(max_time, std::uint64_t{first.duration} + second.duration);
                    if (target_[second.other] != epoch_) {
                        target_[second.other] = epoch_;
                        ++targets_left_;
                    }
                }
            if (targets_left_ == 0) continue;
            search(out, u, skip, std::min(max_time, kMaxTime), settle_limit, hop_limit);
            for (const DynArc& second : out[v]) {
                if (second.other == u) continue;
                const std::uint64_t via = std::uint64_t{first.duration} + second.duration;
                if (via <= kMaxTime && distance_[second.other] > via)
                    emit(u, second.other, static_cast<std::uint32_t>(via));
            }
        }
    }

private:
    // Stops when the queue's smallest time exceeds `max_time`, after `settle_limit`
    // settled nodes, or once every target is settled. distance_ holds the length of a real
    // path (an upper bound) wherever it is not kFar: stopping early only adds shortcuts
    // that were not needed, never loses one.
    template <class Skip>
    void search(const Adjacency& out, NodeId source, const Skip& skip, std::uint64_t max_time,
                std::uint32_t settle_limit, std::uint32_t hop_limit) {
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
            if (target_[n] == epoch_ && --targets_left_ == 0) break;
            if (hops_[n] >= hop_limit) continue;
            for (const DynArc& a : out[n]) {
                if (skip(a.other)) continue;
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

    using Item = std::pair<std::uint64_t, NodeId>;
    void push(Item item) {
        queue_.push_back(item);
        std::push_heap(queue_.begin(), queue_.end(), std::greater<>{});
    }

    std::vector<std::uint64_t> distance_;
    std::vector<std::uint32_t> hops_;    // arcs on the path distance_ measures
    std::vector<std::uint32_t> target_;  // == epoch_: a node the current search must reach
    std::uint32_t epoch_ = 0;
    std::uint32_t targets_left_ = 0;
    std::vector<NodeId> touched_;
    std::vector<Item> queue_;  // a binary min-heap
};

// Contracts in rounds (as OSRM's contractor does): every remaining node whose priority is
// smaller than all its neighbours' is contracted in the same round. No two of them are
// adjacent, and their witness searches avoid all of them, so every shortcut they need is
// found against the graph that remains after the round (a shortest path through several
// of them is rebuilt piece by piece). Priorities of their neighbours are computed once
// per round instead of once per contracted neighbour, and a round's searches run in
// parallel, each thread with its own search state.
class Contractor {
public:
    Contractor(const RoadGraph& graph, const ChOptions& options)
        : options_(options),
          threads_(std::max(1u, options.threads)),
          out_(graph.node_count()),
          in_(graph.node_count()),
          level_(graph.node_count(), 0),
          contracted_neighbours_(graph.node_count(), 0),
          priority_(graph.node_count(), 0),
          edge_difference_(graph.node_count(), 0),
          stale_(graph.node_count(), 1),
          round_of_(graph.node_count(), kNotInRound) {
        for (NodeId u = 0; u < graph.node_count(); ++u)
            for (const Arc& a : graph.arcs(u))
                if (a.target != u && a.duration.count() <= kMaxTime) add_or_lower(u, a.target, a.duration.count());
        shortcuts_ = 0;  // the graph's own arcs are not shortcuts
        for (unsigned t = 0; t < threads_; ++t) searches_.emplace_back(graph.node_count());
    }

    ContractionHierarchy run();

private:
    static constexpr std::uint32_t kNotInRound = std::numeric_limits<std::uint32_t>::max();

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
        ++shortcuts_;
    }

    // Smaller is contracted first. Edge difference keeps the graph sparse; contracted
    // neighbours spread contraction evenly (uniform, shallow hierarchy); the level keeps
    // the hierarchy shallow, which bounds both query search spaces.
    // Shortcuts contracting v would add (bounded searches: an estimate) minus its arcs.
    std::int64_t edge_difference(WitnessSearch& search, NodeId v) const {
        std::int64_t added = 0;
        search.shortcuts_of(out_, in_, v, [v](NodeId n) { return n == v; }, options_.estimate_settle_limit,
                            options_.estimate_hop_limit, [&](NodeId, NodeId, std::uint32_t) { ++added; });
        return added - static_cast<std::int64_t>(in_[v].size() + out_[v].size());
    }
    void set_priority(NodeId v) {
        priority_[v] = 4 * edge_difference_[v] + 2 * contracted_neighbours_[v] + level_[v];
    }

    // Recomputes the edge differences of `nodes` (in parallel) and their priorities.
    void refresh(const std::vector<NodeId>& nodes) {
        for_chunks(nodes.size(), 256, threads_, [&](unsigned worker, std::size_t, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) {
                edge_difference_[nodes[i]] = edge_difference(searches_[worker], nodes[i]);
                stale_[nodes[i]] = 0;
                set_priority(nodes[i]);
            }
        });
    }

    // (priority, id) is a strict total order, so the remaining node smallest in it is
    // always selected: every round contracts at least one node.
    bool before(NodeId a, NodeId b) const {
        return priority_[a] != priority_[b] ? priority_[a] < priority_[b] : a < b;
    }
    bool locally_smallest(NodeId v) const {
        for (const DynArc& a : out_[v])
            if (!before(v, a.other)) return false;
        for (const DynArc& a : in_[v])
            if (!before(v, a.other)) return false;
        return true;
    }

    void contract_round(const std::vector<NodeId>& batch, std::uint32_t round);

    const ChOptions& options_;
    unsigned threads_;
    Adjacency out_, in_;
    std::vector<std::uint32_t> level_;
    std::vector<std::uint32_t> contracted_neighbours_;
    std::vector<std::int64_t> priority_;
    std::vector<std::int64_t> edge_difference_;
    std::vector<std::uint8_t> stale_;  // 1: a neighbour was contracted since edge_difference_ was computed
    std::vector<std::uint32_t> round_of_;  // the round a node was contracted in
    std::vector<WitnessSearch> searches_;  // one per thread
    std::vector<Record> up_, down_;
    std::size_t shortcuts_ = 0;
    std::vector<NodeId> neighbours_;
};

void Contractor::contract_round(const std::vector<NodeId>& batch, std::uint32_t round) {
    for (NodeId v : batch) round_of_[v] = round;
    const auto in_round = [this, round](NodeId n) { return round_of_[n] == round; };
    // Witness searches, in parallel; one list per chunk, joined in chunk order.
    constexpr std::size_t kChunk = 64;
    std::vector<std::vector<Record>> found((batch.size() + kChunk - 1) / kChunk);
    for_chunks(batch.size(), kChunk, threads_, [&](unsigned worker, std::size_t chunk, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            searches_[worker].shortcuts_of(out_, in_, batch[i], in_round, options_.witness_settle_limit,
                                           options_.witness_hop_limit,
                                           [&](NodeId u, NodeId w, std::uint32_t d) { found[chunk].push_back({u, w, d}); });
    });
    // The contracted nodes' arcs to the remaining nodes are final: they are their arcs in
    // the hierarchy. No two contracted nodes are adjacent, so the order does not matter.
    neighbours_.clear();
    for (NodeId v : batch) {
        for (const DynArc& a : out_[v]) {
            up_.push_back({v, a.other, a.duration});
            std::erase_if(in_[a.other], [v](const DynArc& b) { return b.other == v; });
        }
        for (const DynArc& a : in_[v]) {
            down_.push_back({v, a.other, a.duration});
            std::erase_if(out_[a.other], [v](const DynArc& b) { return b.other == v; });
        }
        // Each neighbour once per contracted node.
        const std::size_t first = neighbours_.size();
        for (const DynArc& a : out_[v]) neighbours_.push_back(a.other);
        for (const DynArc& a : in_[v]) neighbours_.push_back(a.other);
        std::sort(neighbours_.begin() + static_cast<std::ptrdiff_t>(first), neighbours_.end());
        neighbours_.erase(std::unique(neighbours_.begin() + static_cast<std::ptrdiff_t>(first), neighbours_.end()),
                          neighbours_.end());
        for (std::size_t i = first; i < neighbours_.size(); ++i) {
            level_[neighbours_[i]] = std::max(level_[neighbours_[i]], level_[v] + 1);
            ++contracted_neighbours_[neighbours_[i]];
        }
        out_[v] = {};
        in_[v] = {};
    }
    for (const auto& list : found)
        for (const Record& s : list) add_or_lower(s.lower, s.higher, s.duration);
    std::sort(neighbours_.begin(), neighbours_.end());
    neighbours_.erase(std::unique(neighbours_.begin(), neighbours_.end()), neighbours_.end());
    // Levels and contracted neighbours are exact at once; edge differences are refreshed
    // lazily, when a node is about to be contracted (Contractor::run).
    for (NodeId v : neighbours_) {
        stale_[v] = 1;
        set_priority(v);
    }
}

ContractionHierarchy Contractor::run() {
    const std::size_t n = out_.size();
    std::vector<NodeId> remaining(n);
    for (NodeId v = 0; v < n; ++v) remaining[v] = v;
    refresh(remaining);
    std::vector<NodeId> batch, stale;
    for (std::uint32_t round = 0; !remaining.empty(); ++round) {
        batch.clear();
        for (NodeId v : remaining)
            if (locally_smallest(v)) batch.push_back(v);
        // Lazy update: a candidate whose edge difference is stale is re-estimated and stays
        // only if it is still the smallest around. A round either contracts nodes or
        // refreshes at least one stale one, so the loop ends; a round whose candidates
        // were all fresh contracts all of them.
        stale.clear();
        for (NodeId v : batch)
            if (stale_[v]) stale.push_back(v);
        if (!stale.empty()) {
            refresh(stale);
            std::erase_if(batch, [&](NodeId v) { return !locally_smallest(v); });
        }
        contract_round(batch, round);
        std::erase_if(remaining, [&](NodeId v) { return round_of_[v] == round; });
    }

    ContractionHierarchy ch;
    ch.shortcut_count = shortcuts_;
    if (up_.size() >= std::numeric_limits<std::uint32_t>::max() || down_.size() >= std::numeric_limits<std::uint32_t>::max())
        throw std::length_error("contraction hierarchy: 2^32 arcs or more");
    std::vector<NodeId> node_of(n);
    for (NodeId v = 0; v < n; ++v) node_of[v] = v;
    // Every arc goes from a lower to a strictly higher level, so by level, highest first,
    // is a topological order of the downward graph: what the sweep needs.
    std::stable_sort(node_of.begin(), node_of.end(), [&](NodeId a, NodeId b) { return level_[a] > level_[b]; });
    std::vector<ChPosition> position_of(n);
    for (ChPosition p = 0; p < n; ++p) position_of[node_of[p]] = p;

    // CSR by the lower end's position, arcs sorted by the other end's position (the
    // sweep then reads the keys it needs in increasing address order).
    const auto build = [&](std::vector<Record>& records, Column<std::uint32_t>& first_column, Column<ChArc>& arcs_column) {
        for (Record& r : records) {
            r.lower = position_of[r.lower];
            r.higher = position_of[r.higher];
        }
        std::sort(records.begin(), records.end(), [](const Record& a, const Record& b) {
            return a.lower != b.lower ? a.lower < b.lower : a.higher < b.higher;
        });
        std::vector<std::uint32_t> first(n + 1, 0);
        for (const Record& r : records) ++first[r.lower + 1];
        for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
        std::vector<ChArc> arcs(records.size());
        for (std::size_t i = 0; i < records.size(); ++i) arcs[i] = {records[i].higher, Millis(records[i].duration)};
        records = {};
        first_column = Column<std::uint32_t>(std::move(first));
        arcs_column = Column<ChArc>(std::move(arcs));
    };
    build(up_, ch.up_first, ch.up_arcs);
    build(down_, ch.down_first, ch.down_arcs);
    ch.node_of = Column<NodeId>(std::move(node_of));
    ch.position_of = Column<ChPosition>(std::move(position_of));
    return ch;
}

}  // namespace

ContractionHierarchy build_contraction_hierarchy(const RoadGraph& graph, const ChOptions& options) {
    return Contractor(graph, options).run();
}

}  // namespace maillage
