#include "optimise/heuristics.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <queue>
#include <stdexcept>

namespace maillage::optimise {

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// ---------------------------------------------------------------------------------------
// Lazy greedy (CELF): a max-heap of (gain, candidate, round the gain was computed in). The
// top is taken when its gain is fresh (computed since the last site was added); otherwise it
// is re-evaluated and pushed back. With gains that never increase, a fresh top beats every
// other candidate's true gain, ties going to the smaller index: the plain greedy's answer.
// A candidate whose gain falls to zero is dropped for good.
struct HeapEntry {
    double gain;
    std::uint32_t candidate;
    std::uint32_t round;
};
struct HeapOrder {
    bool operator()(const HeapEntry& a, const HeapEntry& b) const {
        return a.gain != b.gain ? a.gain < b.gain : a.candidate > b.candidate;
    }
};

class LazyGreedy {
public:
    void push(std::uint32_t candidate, double gain) {
        if (gain > 0) heap_.push({gain, candidate, round_});
    }
    template <class Gain>
    std::optional<HeapEntry> pop_best(Gain&& gain) {
        while (!heap_.empty()) {
            HeapEntry top = heap_.top();
            heap_.pop();
            if (top.round == round_) return top;
            top.gain = gain(top.candidate);
            top.round = round_;
            if (top.gain > 0) heap_.push(top);
        }
        return std::nullopt;
    }
    void advance() { ++round_; }  // a site was added: every gain is stale

private:
    std::priority_queue<HeapEntry, std::vector<HeapEntry>, HeapOrder> heap_;
    std::uint32_t round_ = 0;
};

// ---------------------------------------------------------------------------------------
// Coverage greedy (MCLP, LSCP, the curve). demand_of(j) is sorted by time, so the demand units
// j covers within T are its first within_[j] entries.
class CoverageGreedy {
public:
    CoverageGreedy(const LocationProblem& problem, Seconds max_time)
        : problem_(problem), within_(problem.candidate_count(), 0), covered_(problem.demand_count(), 0) {
        for (std::size_t i = 0; i < problem.demand_count(); ++i) {
            for (const Reachable& r : problem.reachable(i)) {
                if (r.time > max_time) break;
                ++within_[r.candidate];
                if (problem.fixed(r.candidate)) covered_[i] = 1;
            }
        }
        for (std::uint32_t j = 0; j < problem.candidate_count(); ++j)
            if (!problem.fixed(j) && within_[j] > 0) heap_.push(j, gain(j));
    }

    [[nodiscard]] std::span<const std::uint32_t> cover(std::uint32_t j) const {
        return problem_.demand_of(j).first(within_[j]);
    }
    [[nodiscard]] double gain(std::uint32_t j) const {
        double g = 0;
        for (std::uint32_t i : cover(j))
            if (!covered_[i]) g += problem_.weight(i);
        return g;
    }
    // The best candidate and its gain; nullopt when none adds coverage.
    std::optional<HeapEntry> next() {
        return heap_.pop_best([this](std::uint32_t j) { return gain(j); });
    }
    void add(std::uint32_t j) {
        for (std::uint32_t i : cover(j)) covered_[i] = 1;
        heap_.advance();
    }

private:
    const LocationProblem& problem_;
    std::vector<std::uint32_t> within_;
    std::vector<std::uint8_t> covered_;
    LazyGreedy heap_;
};

// The greedy MCLP's sites and gains, up to `k` sites.
void run_coverage_greedy(const LocationProblem& problem, Seconds max_time, std::size_t k, Solution& s) {
    CoverageGreedy greedy(problem, max_time);
    while (s.chosen.size() < k) {
        auto best = greedy.next();
        if (!best) break;
        greedy.add(best->candidate);
        s.chosen.push_back(best->candidate);
        s.marginal_gain.push_back(best->gain);
    }
}

void check_options(const SolveOptions& options) {
    if (options.objective == Objective::lscp && !(options.coverage_share > 0 && options.coverage_share <= 1))
        throw std::invalid_argument("lscp: the coverage share must be in (0, 1]");
}

// Gains of the chosen sites added one after the other (fixed sites open), by `evaluate`:
// positive when the objective improves (a reduction for p-median).
std::vector<double> sequential_gains(const LocationProblem& problem, const SolveOptions& options,
                                     const std::vector<std::uint32_t>& chosen) {
    std::vector<double> gains;
    const double sign = options.objective == Objective::pmedian ? -1.0 : 1.0;
    double previous = evaluate(problem, options, {});
    for (std::size_t t = 1; t <= chosen.size(); ++t) {
        const double value = evaluate(problem, options, std::span(chosen).first(t));
        gains.push_back(sign * (value - previous));
        previous = value;
    }
    return gains;
}

// ---------------------------------------------------------------------------------------
// p-median: per demand unit the nearest and second-nearest open sites (time, then index, as
// the reachable lists are sorted), `penalty` standing for "none".
struct Arc {
    std::uint32_t demand;
    double time;  // seconds
};

class PMedianState {
public:
    PMedianState(const LocationProblem& problem, double penalty)
        : problem_(problem), penalty_(penalty), open_(problem.candidate_count(), 0),
          removable_(problem.candidate_count(), 0), c1_(problem.demand_count(), kNoCandidate),
          c2_(problem.demand_count(), kNoCandidate), d1_(problem.demand_count(), penalty),
          d2_(problem.demand_count(), penalty) {
        const std::size_t m = problem.candidate_count();
        first_.assign(m + 1, 0);
        for (std::size_t i = 0; i < problem.demand_count(); ++i)
            for (const Reachable& r : problem.reachable(i)) ++first_[r.candidate + 1];
        for (std::size_t j = 0; j < m; ++j) first_[j + 1] += first_[j];
        arcs_.resize(first_[m]);
        std::vector<std::size_t> fill(first_.begin(), first_.end() - 1);
        for (std::size_t i = 0; i < problem.demand_count(); ++i)
            for (const Reachable& r : problem.reachable(i))
                arcs_[fill[r.candidate]++] = {static_cast<std::uint32_t>(i), r.time.value()};
        for (std::size_t j = 0; j < m; ++j) open_[j] = problem.fixed(j) ? 1 : 0;
        for (std::size_t i = 0; i < problem.demand_count(); ++i) rescan(i);
    }

    [[nodiscard]] std::span<const Arc> arcs(std::uint32_t j) const {
        return {arcs_.data() + first_[j], first_[j + 1] - first_[j]};
    }
    [[nodiscard]] bool open(std::uint32_t j) const { return open_[j] != 0; }

    // Reduction of Σ w·t (weight × seconds) if j opens.
    [[nodiscard]] double gain(std::uint32_t j) const {
        double g = 0;
        for (const Arc& a : arcs(j))
            if (a.time < d1_[a.demand]) g += problem_.weight(a.demand) * (d1_[a.demand] - a.time);
        return g;
    }

    void open_site(std::uint32_t j) {
        open_[j] = 1;
        if (!problem_.fixed(j)) removable_[j] = 1;
        for (const Arc& a : arcs(j)) insert(a.demand, j, a.time);
    }
    void close_site(std::uint32_t r) {
        open_[r] = 0;
        removable_[r] = 0;
        for (const Arc& a : arcs(r))
            if (c1_[a.demand] == r || c2_[a.demand] == r) rescan(a.demand);
    }

    // Best swap (j in, r out) with profit (reduction of Σ w·t in weight × seconds) above
    // `min_profit`: Whitaker's fast interchange. For each closed j, one scan of the demand
    // units j reaches gives its gain and, per open site r, the correction `extra[r]` for the
    // units whose nearest is r and that j would serve better than their second nearest:
    // profit(j, r) = gain(j) − loss(r) + extra(j, r). Ties: the first (j, r) in index order.
    struct Swap {
        std::uint32_t in = kNoCandidate, out = kNoCandidate;
        double profit = 0;
    };
    Swap best_swap(const std::vector<std::uint32_t>& removable_sorted, double min_profit) {
        const std::size_t m = problem_.candidate_count();
        loss_.assign(m, 0.0);
        extra_.assign(m, 0.0);
        for (std::size_t i = 0; i < problem_.demand_count(); ++i)
            if (c1_[i] != kNoCandidate) loss_[c1_[i]] += problem_.weight(i) * (d2_[i] - d1_[i]);
        Swap best;
        best.profit = min_profit;
        for (std::uint32_t j = 0; j < m; ++j) {
            if (open_[j] || problem_.fixed(j) || first_[j] == first_[j + 1]) continue;
            double gain = 0;
            touched_.clear();
            for (const Arc& a : arcs(j)) {
                const std::uint32_t i = a.demand;
                const double w = problem_.weight(i);
                if (a.time < d1_[i]) gain += w * (d1_[i] - a.time);
                if (a.time < d2_[i] && c1_[i] != kNoCandidate && removable_[c1_[i]]) {
                    if (extra_[c1_[i]] == 0) touched_.push_back(c1_[i]);
                    extra_[c1_[i]] += w * (d2_[i] - std::max(a.time, d1_[i]));
                }
            }
            for (std::uint32_t r : removable_sorted) {
                const double profit = gain - loss_[r] + extra_[r];
                if (profit > best.profit) best = {j, r, profit};
            }
            for (std::uint32_t r : touched_) extra_[r] = 0;
        }
        return best;
    }

    [[nodiscard]] double cost() const {  // Σ w · d1, weight × seconds
        double c = 0;
        for (std::size_t i = 0; i < problem_.demand_count(); ++i) c += problem_.weight(i) * d1_[i];
        return c;
    }

private:
    // (time, index) order, as the reachable lists.
    static bool before(double t, std::uint32_t j, double d, std::uint32_t c) { return t != d ? t < d : j < c; }

    void insert(std::uint32_t i, std::uint32_t j, double t) {
        if (before(t, j, d1_[i], c1_[i])) {
            c2_[i] = c1_[i], d2_[i] = d1_[i];
            c1_[i] = j, d1_[i] = t;
        } else if (before(t, j, d2_[i], c2_[i])) {
            c2_[i] = j, d2_[i] = t;
        }
    }
    void rescan(std::size_t i) {
        c1_[i] = c2_[i] = kNoCandidate;
        d1_[i] = d2_[i] = penalty_;
        int found = 0;
        for (const Reachable& r : problem_.reachable(i)) {
            if (!open_[r.candidate]) continue;
            if (found++ == 0) {
                c1_[i] = r.candidate, d1_[i] = r.time.value();
            } else {
                c2_[i] = r.candidate, d2_[i] = r.time.value();
                break;
            }
        }
    }

    const LocationProblem& problem_;
    double penalty_;
    std::vector<std::size_t> first_;
    std::vector<Arc> arcs_;
    std::vector<std::uint8_t> open_, removable_;
    std::vector<std::uint32_t> c1_, c2_;
    std::vector<double> d1_, d2_;
    std::vector<double> loss_, extra_;
    std::vector<std::uint32_t> touched_;
};

}  // namespace

// ---------------------------------------------------------------------------------------

Solution greedy_mclp(const LocationProblem& problem, const SolveOptions& options) {
    const auto start = Clock::now();
    Solution s;
    s.solver = "greedy";
    run_coverage_greedy(problem, options.max_time, options.k, s);
    SolveOptions mclp = options;
    mclp.objective = Objective::mclp;
    s.objective = evaluate(problem, mclp, s.chosen);
    s.seconds = seconds_since(start);
    return s;
}

std::vector<CurvePoint> coverage_curve(const LocationProblem& problem, const SolveOptions& options, std::size_t k_max) {
    Solution s;
    run_coverage_greedy(problem, options.max_time, k_max, s);
    SolveOptions mclp = options;
    mclp.objective = Objective::mclp;
    std::vector<CurvePoint> curve;
    curve.push_back({0, kNoCandidate, evaluate(problem, mclp, {}), 0.0});
    for (std::size_t t = 1; t <= s.chosen.size(); ++t)
        curve.push_back({t, s.chosen[t - 1], evaluate(problem, mclp, std::span(s.chosen).first(t)),
                         s.marginal_gain[t - 1]});
    return curve;
}

Solution greedy_lscp(const LocationProblem& problem, const SolveOptions& options) {
    check_options(options);
    const auto start = Clock::now();
    Solution s;
    s.solver = "greedy+drop";
    const double total = problem.total_weight();
    const double share = options.coverage_share;

    // Feasible at all: every candidate open.
    double coverable = 0;
    for (std::size_t i = 0; i < problem.demand_count(); ++i) {
        auto list = problem.reachable(i);
        if (!list.empty() && list.front().time <= options.max_time) coverable += problem.weight(i);
    }
    if (!reaches_share(coverable, total, share)) {
        s.feasible = false;
        s.objective = 0;
        s.seconds = seconds_since(start);
        return s;
    }

    SolveOptions mclp = options;
    mclp.objective = Objective::mclp;
    CoverageGreedy greedy(problem, options.max_time);
    double covered = evaluate(problem, mclp, {});
    while (!reaches_share(covered, total, share)) {
        auto best = greedy.next();
        if (!best) break;
        greedy.add(best->candidate);
        s.chosen.push_back(best->candidate);
        covered += best->gain;
    }

    // Drop redundant sites, latest chosen first: count[i] = open sites covering i within T.
    std::vector<std::uint32_t> count(problem.demand_count(), 0);
    std::vector<bool> open = open_sites(problem, s.chosen);
    for (std::size_t i = 0; i < problem.demand_count(); ++i)
        for (const Reachable& r : problem.reachable(i)) {
            if (r.time > options.max_time) break;
            if (open[r.candidate]) ++count[i];
        }
    std::vector<bool> keep(s.chosen.size(), true);
    for (std::size_t t = s.chosen.size(); t-- > 0;) {
        const std::uint32_t j = s.chosen[t];
        double loss = 0;
        for (std::uint32_t i : greedy.cover(j))
            if (count[i] == 1) loss += problem.weight(i);
        if (reaches_share(covered - loss, total, share)) {
            keep[t] = false;
            covered -= loss;
            for (std::uint32_t i : greedy.cover(j)) --count[i];
        }
    }
    std::vector<std::uint32_t> kept;
    for (std::size_t t = 0; t < s.chosen.size(); ++t)
        if (keep[t]) kept.push_back(s.chosen[t]);
    s.chosen = std::move(kept);
    s.feasible = reaches_share(evaluate(problem, mclp, s.chosen), total, share);
    s.marginal_gain = sequential_gains(problem, mclp, s.chosen);
    s.objective = evaluate(problem, options, s.chosen);
    s.seconds = seconds_since(start);
    return s;
}

Solution pmedian_heuristic(const LocationProblem& problem, const SolveOptions& options) {
    const auto start = Clock::now();
    Solution s;
    s.solver = "greedy+teitz-bart";
    PMedianState state(problem, options.unreachable_penalty.value());

    // Greedy: largest reduction first (gains never increase as sites open: lazy).
    LazyGreedy greedy;
    for (std::uint32_t j = 0; j < problem.candidate_count(); ++j)
        if (!problem.fixed(j)) greedy.push(j, state.gain(j));
    while (s.chosen.size() < options.k) {
        auto best = greedy.pop_best([&state](std::uint32_t j) { return state.gain(j); });
        if (!best) break;
        state.open_site(best->candidate);
        greedy.advance();
        s.chosen.push_back(best->candidate);
    }

    // Teitz–Bart interchange, best improving swap per pass; a swapped-in site takes the place
    // of the one it replaces in `chosen`. The cap only guards against rounding cycles.
    const std::size_t max_passes = 100 * (s.chosen.size() + 1) + 1000;
    for (std::size_t pass = 0; pass < max_passes && !s.chosen.empty(); ++pass) {
        std::vector<std::uint32_t> removable = s.chosen;
        std::sort(removable.begin(), removable.end());
        const double min_profit = 1e-12 * std::max(state.cost(), 1.0);
        const auto swap = state.best_swap(removable, min_profit);
        if (swap.in == kNoCandidate) break;
        state.close_site(swap.out);
        state.open_site(swap.in);
        *std::find(s.chosen.begin(), s.chosen.end(), swap.out) = swap.in;
    }
    s.marginal_gain = sequential_gains(problem, options, s.chosen);
    s.objective = evaluate(problem, options, s.chosen);
    s.seconds = seconds_since(start);
    return s;
}

Solution greedy_cmclp(const LocationProblem& problem, const SolveOptions& options) {
    const auto start = Clock::now();
    Solution s;
    s.solver = "greedy";
    std::vector<bool> open = open_sites(problem, {});
    double current = assign_capacitated(problem, options.max_time, open).assigned;
    auto gain = [&](std::uint32_t j) {
        open[j] = true;
        const double value = assign_capacitated(problem, options.max_time, open).assigned;
        open[j] = false;
        return value - current;
    };
    // Candidates covering someone within T.
    std::vector<bool> useful(problem.candidate_count(), false);
    for (std::size_t i = 0; i < problem.demand_count(); ++i)
        for (const Reachable& r : problem.reachable(i)) {
            if (r.time > options.max_time) break;
            useful[r.candidate] = true;
        }
    LazyGreedy greedy;
    for (std::uint32_t j = 0; j < problem.candidate_count(); ++j)
        if (!problem.fixed(j) && useful[j]) greedy.push(j, gain(j));
    while (s.chosen.size() < options.k) {
        auto best = greedy.pop_best(gain);
        if (!best) break;
        open[best->candidate] = true;
        current = assign_capacitated(problem, options.max_time, open).assigned;
        greedy.advance();
        s.chosen.push_back(best->candidate);
        s.marginal_gain.push_back(best->gain);
    }
    auto assignment = assign_capacitated(problem, options.max_time, open);
    s.load = std::move(assignment.load);
    SolveOptions cmclp = options;
    cmclp.objective = Objective::cmclp;
    s.objective = evaluate(problem, cmclp, s.chosen);
    s.seconds = seconds_since(start);
    return s;
}

Solution solve_heuristic(const LocationProblem& problem, const SolveOptions& options) {
    check_options(options);
    const auto start = Clock::now();
    Solution s;
    switch (options.objective) {
        case Objective::lscp: s = greedy_lscp(problem, options); break;
        case Objective::mclp: s = greedy_mclp(problem, options); break;
        case Objective::pmedian: s = pmedian_heuristic(problem, options); break;
        case Objective::cmclp: s = greedy_cmclp(problem, options); break;
    }
    s.seconds = seconds_since(start);
    return s;
}

}  // namespace maillage::optimise
