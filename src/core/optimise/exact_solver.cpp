#include "optimise/exact_solver.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CoinError.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>

// Tie-breaking. An optimum is often not unique (two candidates covering the same demand).
// Each new candidate's y_j gets a cost ε·(r_j + 1) in the minimised CBC objective, r_j its
// rank among the non-fixed candidates (ascending index): among sets of equal true objective,
// CBC prefers the one with the smallest sum of ranks (lowest indices). ε must not change the
// true optimum. Let Δ be the smallest non-zero difference between the true objectives of two
// sets: lscp counts sites, Δ = 1; mclp sums weights, Δ ≥ q_w, the weights' decimal quantum
// (largest 10^-d, d ≤ 6, with every weight a multiple of it); cmclp's value is a max flow = a
// min cut, a sum of weights and capacities: Δ ≥ their joint quantum; pmedian sums weight ×
// seconds / 60, Δ ≥ q_w·q_t / 60 (q_t the quantum of the listed times and the penalty).
// With P the largest Σ (r_j + 1) of a set the model can choose (k largest ranks; for lscp the
// U largest, U bounding the sites of an optimal cover), ε = Δ / (P + 1) keeps the perturbation
// of any set below Δ, so a truly worse set stays worse; the perturbed objective lives on a
// lattice of step ε, so CBC's cutoff increment and absolute gap are set to ε/2 (exact, and
// cuts the search) and the relative gap to 0. When ε is below the numerical resolution
// (1e-9 × the objective's scale: realistic p-median instances) or no quantum exists, there
// is no perturbation (it would be noise) and the increment/gap are Δ/2 or CBC's defaults.
// In every case the run is deterministic: one thread, fixed random seeds (Clp and Cbc),
// no time-of-day decision; only a run stopped by the time limit depends on the machine.

namespace maillage::optimise {
namespace {

using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------------------
// Validation

std::vector<std::uint32_t> new_candidates(const LocationProblem& p) {
    std::vector<std::uint32_t> out;
    for (std::size_t j = 0; j < p.candidate_count(); ++j)
        if (!p.fixed(j)) out.push_back(static_cast<std::uint32_t>(j));
    return out;
}

void validate(const LocationProblem& p, const SolveOptions& o, std::size_t new_count) {
    const std::string what = std::string("exact solver (") + to_string(o.objective) + "): ";
    for (std::size_t i = 0; i < p.demand_count(); ++i)
        if (!(p.weight(i) >= 0) || !std::isfinite(p.weight(i)))
            throw std::invalid_argument(what + "demand unit " + std::to_string(i) + " has weight " +
                                        std::to_string(p.weight(i)) + "; weights must be finite and >= 0");
    if (!(o.time_limit_seconds > 0))
        throw std::invalid_argument(what + "time limit must be > 0 s, got " + std::to_string(o.time_limit_seconds));
    if (o.objective != Objective::pmedian && !(o.max_time.value() > 0))
        throw std::invalid_argument(what + "max_time must be > 0, got " + std::to_string(o.max_time.value()) + " s");
    if (o.objective == Objective::lscp) {
        if (!(o.coverage_share > 0 && o.coverage_share <= 1))
            throw std::invalid_argument(what + "coverage_share must be in (0, 1], got " +
                                        std::to_string(o.coverage_share));
        return;
    }
    if (o.k == 0) throw std::invalid_argument(what + "k (new sites) must be at least 1");
    if (o.k > new_count)
        throw std::invalid_argument(what + "k = " + std::to_string(o.k) + " new sites but only " +
                                    std::to_string(new_count) + " non-fixed candidates");
    if (o.objective == Objective::pmedian) {
        const double pen = o.unreachable_penalty.value();
        if (!(pen > 0) || !std::isfinite(pen))
            throw std::invalid_argument(what + "unreachable_penalty must be finite and > 0");
        for (std::size_t i = 0; i < p.demand_count(); ++i)
            for (const auto& r : p.reachable(i))
                if (!(r.time.value() < pen))
                    throw std::invalid_argument(what + "unreachable_penalty (" + std::to_string(pen) +
                                                " s) must exceed every listed time; demand unit " +
                                                std::to_string(i) + " lists " + std::to_string(r.time.value()) +
                                                " s to candidate " + std::to_string(r.candidate));
    }
    if (o.objective == Objective::cmclp) {
        if (!p.capacitated()) throw std::invalid_argument(what + "the problem has no capacities");
        for (std::size_t j = 0; j < p.candidate_count(); ++j)
            if (!(p.capacity(j) >= 0))
                throw std::invalid_argument(what + "candidate " + std::to_string(j) + " has capacity " +
                                            std::to_string(p.capacity(j)) + "; capacities must be >= 0");
    }
}

// ---------------------------------------------------------------------------------------
// Exact evaluation of a set (the reported objective)

bool within(Seconds t, Seconds limit) { return t.value() <= limit.value(); }

std::vector<char> open_mask(const LocationProblem& p, const std::vector<std::uint32_t>& chosen) {
    std::vector<char> open(p.candidate_count(), 0);
    for (std::size_t j = 0; j < p.candidate_count(); ++j) open[j] = p.fixed(j) ? 1 : 0;
    for (auto j : chosen) open[j] = 1;
    return open;
}

bool is_covered(const LocationProblem& p, std::size_t i, Seconds limit, const std::vector<char>& open) {
    for (const auto& r : p.reachable(i)) {
        if (!within(r.time, limit)) break;  // sorted by time
        if (open[r.candidate]) return true;
    }
    return false;
}

double covered_weight(const LocationProblem& p, Seconds limit, const std::vector<char>& open) {
    double sum = 0;
    for (std::size_t i = 0; i < p.demand_count(); ++i)
        if (p.weight(i) > 0 && is_covered(p, i, limit, open)) sum += p.weight(i);
    return sum;
}

double pmedian_cost(const LocationProblem& p, Seconds penalty, const std::vector<char>& open) {
    double sum = 0;
    for (std::size_t i = 0; i < p.demand_count(); ++i) {
        if (!(p.weight(i) > 0)) continue;
        double t = penalty.value();
        for (const auto& r : p.reachable(i))
            if (open[r.candidate]) {
                t = std::min(t, r.time.value());
                break;  // sorted by time: the first open one is the nearest
            }
        sum += p.weight(i) * (t / 60.0);
    }
    return sum;
}

// Dinic's maximum flow on doubles. A residual capacity at or below `eps` counts as saturated,
// which keeps the algorithm finite with floating-point capacities (every augmentation
// saturates an arc in that sense; levels strictly grow between phases).
class MaxFlow {
public:
    explicit MaxFlow(std::size_t nodes) : adjacency_(nodes) {}
    std::size_t add_arc(std::size_t from, std::size_t to, double capacity) {
        adjacency_[from].push_back(arcs_.size());
        arcs_.push_back({to, capacity, 0});
        adjacency_[to].push_back(arcs_.size());
        arcs_.push_back({from, 0, 0});
        return arcs_.size() - 2;
    }
    double run(std::size_t source, std::size_t sink, double eps) {
        double total = 0;
        while (levels(source, sink, eps)) {
            next_.assign(adjacency_.size(), 0);
            while (double pushed = push(source, sink, std::numeric_limits<double>::infinity(), eps)) total += pushed;
        }
        return total;
    }
    [[nodiscard]] double flow(std::size_t arc) const { return arcs_[arc].flow; }

private:
    struct Arc {
        std::size_t to;
        double capacity;
        double flow;
    };
    bool levels(std::size_t source, std::size_t sink, double eps) {
        level_.assign(adjacency_.size(), -1);
        std::vector<std::size_t> queue{source};
        level_[source] = 0;
        for (std::size_t q = 0; q < queue.size(); ++q)
            for (std::size_t a : adjacency_[queue[q]]) {
                const Arc& arc = arcs_[a];
                if (level_[arc.to] < 0 && arc.capacity - arc.flow > eps) {
                    level_[arc.to] = level_[queue[q]] + 1;
                    queue.push_back(arc.to);
                }
            }
        return level_[sink] >= 0;
    }
    double push(std::size_t node, std::size_t sink, double limit, double eps) {
        if (node == sink) return limit;
        for (std::size_t& k = next_[node]; k < adjacency_[node].size(); ++k) {
            const std::size_t a = adjacency_[node][k];
            Arc& arc = arcs_[a];
            const double residual = arc.capacity - arc.flow;
            if (level_[arc.to] != level_[node] + 1 || residual <= eps) continue;
            if (double pushed = push(arc.to, sink, std::min(limit, residual), eps); pushed > 0) {
                arc.flow += pushed;
                arcs_[a ^ 1].flow -= pushed;
                return pushed;
            }
        }
        return 0;
    }
    std::vector<std::vector<std::size_t>> adjacency_;
    std::vector<Arc> arcs_;
    std::vector<int> level_;
    std::vector<std::size_t> next_;
};

// cmclp: the largest weight the open sites can serve (each demand unit split at will among
// the open sites within the limit, each site up to its capacity); load per candidate.
double capacitated_assignment(const LocationProblem& p, Seconds limit, const std::vector<char>& open,
                              std::vector<double>& load) {
    const std::size_t m = p.demand_count(), n = p.candidate_count();
    const std::size_t source = m + n, sink = m + n + 1;
    MaxFlow flow(m + n + 2);
    for (std::size_t i = 0; i < m; ++i) {
        if (!(p.weight(i) > 0)) continue;
        bool any = false;
        for (const auto& r : p.reachable(i)) {
            if (!within(r.time, limit)) break;
            if (!open[r.candidate]) continue;
            flow.add_arc(i, m + r.candidate, p.weight(i));
            any = true;
        }
        if (any) flow.add_arc(source, i, p.weight(i));
    }
    std::vector<std::size_t> to_sink(n, 0);
    for (std::size_t j = 0; j < n; ++j)
        if (open[j]) to_sink[j] = flow.add_arc(m + j, sink, p.capacity(j));
    flow.run(source, sink, 1e-12 * std::max(1.0, p.total_weight()));
    load.assign(n, 0.0);
    double total = 0;
    for (std::size_t j = 0; j < n; ++j)
        if (open[j]) {
            load[j] = flow.flow(to_sink[j]);
            total += load[j];
        }
    return total;
}

// ---------------------------------------------------------------------------------------
// The model, as CBC receives it (always minimised)

struct Milp {
    std::vector<double> col_lower, col_upper, cost;
    std::vector<char> integer;
    std::vector<CoinBigIndex> row_start{0};
    std::vector<int> row_index;
    std::vector<double> row_value, row_lower, row_upper;
    std::vector<double> start;  // a feasible solution (integer columns; continuous ones are solved for)

    int add_column(double lower, double upper, double c, bool is_integer, double start_value = 0) {
        col_lower.push_back(lower);
        col_upper.push_back(upper);
        cost.push_back(c);
        integer.push_back(is_integer ? 1 : 0);
        start.push_back(start_value);
        return static_cast<int>(cost.size() - 1);
    }
    void add_row(const std::vector<std::pair<int, double>>& terms, double lower, double upper) {
        for (const auto& [c, v] : terms) {
            row_index.push_back(c);
            row_value.push_back(v);
        }
        row_start.push_back(static_cast<CoinBigIndex>(row_index.size()));
        row_lower.push_back(lower);
        row_upper.push_back(upper);
    }
    [[nodiscard]] int rows() const { return static_cast<int>(row_lower.size()); }
    [[nodiscard]] int columns() const { return static_cast<int>(cost.size()); }
};

struct CbcOutcome {
    bool has_solution = false;
    std::vector<double> x;
    double bound = -std::numeric_limits<double>::infinity();  // on the minimised objective
    bool proven_optimal = false;
    bool proven_infeasible = false;
    bool time_limit = false;
};

// CbcMain0/CbcMain1 keep some process-wide state (parameter reading mode, printing switch):
// one solve at a time.
std::mutex cbc_mutex;

std::string number(double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", v);
    return buffer;
}

CbcOutcome run_cbc(const Milp& milp, double time_limit, double lattice) {
    CbcOutcome out;
    std::lock_guard<std::mutex> lock(cbc_mutex);
    OsiClpSolverInterface solver;
    const int nrows = milp.rows(), ncols = milp.columns();
    std::vector<int> lengths(static_cast<std::size_t>(nrows));
    for (int r = 0; r < nrows; ++r) lengths[r] = static_cast<int>(milp.row_start[r + 1] - milp.row_start[r]);
    CoinPackedMatrix matrix(false, ncols, nrows, static_cast<CoinBigIndex>(milp.row_index.size()),
                            milp.row_value.data(), milp.row_index.data(), milp.row_start.data(), lengths.data());
    solver.messageHandler()->setLogLevel(0);
    solver.getModelPtr()->setLogLevel(0);
    solver.loadProblem(matrix, milp.col_lower.data(), milp.col_upper.data(), milp.cost.data(), milp.row_lower.data(),
                       milp.row_upper.data());
    for (int c = 0; c < ncols; ++c)
        if (milp.integer[c]) solver.setInteger(c);
    solver.setObjSense(1.0);

    CbcModel model(solver);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    CbcSolverUsefulData data;
    data.noPrinting_ = true;
    data.useSignalHandler_ = false;
    CbcMain0(model, data);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);

    std::vector<std::pair<std::string, double>> start;
    for (int c = 0; c < ncols; ++c)
        if (milp.integer[c]) start.emplace_back(model.solver()->getColName(c), milp.start[c]);
    model.setMIPStart(start);

    std::vector<std::string> args = {"maillage",     "-log",        "0",         "-slog",          "0",
                                     "-timeMode",    "elapsed",     "-seconds",  number(time_limit),
                                     "-randomSeed",  "1234567",     "-randomCbcSeed", "20240601",
                                     "-ratioGap",    "0"};
    if (lattice > 0) {
        args.insert(args.end(), {"-allowableGap", number(lattice / 2), "-increment", number(lattice / 2)});
    }
    args.insert(args.end(), {"-solve", "-quit"});
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    try {
        CbcMain1(static_cast<int>(argv.size()), argv.data(), model, nullptr, data);
    } catch (const CoinError& e) {
        throw std::runtime_error("exact solver: CBC failed in " + e.className() + "::" + e.methodName() + ": " +
                                 e.message());
    }

    out.time_limit = model.isSecondsLimitReached();
    out.proven_optimal = model.isProvenOptimal() && !out.time_limit;
    out.proven_infeasible = model.isProvenInfeasible();
    if (const double* best = model.bestSolution()) {
        out.has_solution = true;
        out.x.assign(best, best + ncols);
    }
    out.bound = model.getBestPossibleObjValue();
    return out;
}

// ---------------------------------------------------------------------------------------
// Perturbation (see the note at the top)

// Largest 10^-d (d = 0..6) of which every value is a multiple; 0 when none.
double decimal_quantum(const std::vector<double>& values) {
    for (int d = 0; d <= 6; ++d) {
        const double scale = std::pow(10.0, d);
        bool all = true;
        for (double v : values) {
            const double s = v * scale;
            if (std::abs(s - std::round(s)) > 1e-9 * std::max(1.0, std::abs(s))) {
                all = false;
                break;
            }
        }
        if (all) return 1.0 / scale;
    }
    return 0;
}

struct Perturbation {
    double epsilon = 0;  // cost of rank r: ε·(r + 1)
    double lattice = 0;  // step of the minimised objective's values (0: unknown)
    double max_total = 0;  // largest perturbation of a set the model can choose (ε·P)
};

// `delta`: the true objective's step (0 if unknown); `sets_of`: how many new sites a set
// has at most; `scale`: the objective's magnitude.
Perturbation make_perturbation(double delta, std::size_t new_count, std::size_t sets_of, double scale) {
    Perturbation out;
    if (!(delta > 0)) return out;
    const double resolution = 1e-9 * std::max(1.0, scale);
    sets_of = std::min(sets_of, new_count);
    // P = Σ of the `sets_of` largest ranks + 1 = Σ_{r = n - s + 1}^{n} r
    const double n = static_cast<double>(new_count), s = static_cast<double>(sets_of);
    const double P = s * n - s * (s - 1) / 2;
    const double epsilon = delta / (P + 1);
    if (epsilon >= resolution) {
        out.epsilon = epsilon;
        out.lattice = epsilon;
        out.max_total = epsilon * P;
    } else if (delta >= resolution) {
        out.lattice = delta;
    }
    return out;
}

// ---------------------------------------------------------------------------------------

// The k new candidates with the largest score (ties: lowest index): a feasible start.
std::vector<std::uint32_t> top_k(const std::vector<std::uint32_t>& news, const std::vector<double>& score,
                                 std::size_t k) {
    std::vector<std::uint32_t> order = news;
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return score[a] > score[b]; });
    order.resize(std::min(k, order.size()));
    return order;
}

struct Built {
    Milp milp;
    Perturbation perturbation;
    double constant = 0;  // true objective = constant + sense × (minimised objective − perturbation)
    bool maximise = false;
};

// y_j columns are 0..n-1.
void add_site_columns(Built& b, const LocationProblem& p, const std::vector<int>& rank,
                      const std::vector<std::uint32_t>& start, double unit_cost) {
    std::vector<char> in_start(p.candidate_count(), 0);
    for (auto j : start) in_start[j] = 1;
    for (std::size_t j = 0; j < p.candidate_count(); ++j) {
        if (p.fixed(j))
            b.milp.add_column(1, 1, 0, true, 1);
        else
            b.milp.add_column(0, 1, unit_cost + b.perturbation.epsilon * (rank[j] + 1), true, in_start[j] ? 1 : 0);
    }
}

void add_cardinality(Built& b, const std::vector<std::uint32_t>& news, std::size_t k) {
    std::vector<std::pair<int, double>> terms;
    for (auto j : news) terms.emplace_back(static_cast<int>(j), 1.0);
    b.milp.add_row(terms, static_cast<double>(k), static_cast<double>(k));
}

}  // namespace

Solution solve_exact(const LocationProblem& problem, const SolveOptions& options) {
    const auto started = Clock::now();
    const std::vector<std::uint32_t> news = new_candidates(problem);
    validate(problem, options, news.size());
    const std::size_t m = problem.demand_count(), n = problem.candidate_count();
    std::vector<int> rank(n, -1);
    for (std::size_t r = 0; r < news.size(); ++r) rank[news[r]] = static_cast<int>(r);
    const Seconds T = options.max_time;
    const std::vector<char> fixed_open = open_mask(problem, {});

    Solution sol;
    sol.solver = "cbc";
    auto finish = [&](Solution& s) {
        s.seconds = std::chrono::duration<double>(Clock::now() - started).count();
        return s;
    };

    std::vector<double> positive_weights;
    for (std::size_t i = 0; i < m; ++i)
        if (problem.weight(i) > 0) positive_weights.push_back(problem.weight(i));
    const double weight_quantum = decimal_quantum(positive_weights);

    Built b;
    double lscp_target = 0, lscp_tolerance = 0;
    switch (options.objective) {
        case Objective::lscp: {
            // Which demand units some candidate (open or not) reaches within T.
            std::vector<std::uint32_t> uncoverable;
            double coverable = 0;
            for (std::size_t i = 0; i < m; ++i) {
                if (!(problem.weight(i) > 0)) continue;
                const auto list = problem.reachable(i);
                if (list.empty() || !within(list.front().time, T))
                    uncoverable.push_back(static_cast<std::uint32_t>(i));
                else
                    coverable += problem.weight(i);
            }
            const double W = problem.total_weight();
            const bool full = options.coverage_share >= 1.0;
            lscp_tolerance = 1e-9 * std::max(1.0, W);
            lscp_target = full ? W : options.coverage_share * W;
            if ((full && !uncoverable.empty()) || (!full && coverable < lscp_target - lscp_tolerance)) {
                sol.feasible = false;
                sol.uncoverable = std::move(uncoverable);
                sol.solver = "cbc (not run: target unreachable)";
                return finish(sol);
            }
            // Rows: demand units not already covered by a fixed site.
            std::vector<std::size_t> open_rows;
            double fixed_covered = 0;
            for (std::size_t i = 0; i < m; ++i) {
                if (!(problem.weight(i) > 0)) continue;
                if (is_covered(problem, i, T, fixed_open))
                    fixed_covered += problem.weight(i);
                else if (!full && !problem.reachable(i).empty() && within(problem.reachable(i).front().time, T))
                    open_rows.push_back(i);
                else if (full)
                    open_rows.push_back(i);
            }
            // Start: every new candidate reaching one of these demand units (feasible).
            std::vector<char> useful(n, 0);
            for (std::size_t i : open_rows)
                for (const auto& r : problem.reachable(i)) {
                    if (!within(r.time, T)) break;
                    useful[r.candidate] = 1;
                }
            std::vector<std::uint32_t> start;
            for (auto j : news)
                if (useful[j]) start.push_back(j);
            b.perturbation = make_perturbation(1.0, news.size(), std::min(news.size(), open_rows.size()),
                                               static_cast<double>(news.size()));
            add_site_columns(b, problem, rank, start, 1.0);
            if (full) {
                for (std::size_t i : open_rows) {
                    std::vector<std::pair<int, double>> terms;
                    for (const auto& r : problem.reachable(i)) {
                        if (!within(r.time, T)) break;
                        if (!problem.fixed(r.candidate)) terms.emplace_back(static_cast<int>(r.candidate), 1.0);
                    }
                    b.milp.add_row(terms, 1.0, COIN_DBL_MAX);
                }
            } else {
                std::vector<std::pair<int, double>> share_terms;
                for (std::size_t i : open_rows) {
                    const int z = b.milp.add_column(0, 1, 0, true, 1);
                    std::vector<std::pair<int, double>> terms{{z, 1.0}};
                    for (const auto& r : problem.reachable(i)) {
                        if (!within(r.time, T)) break;
                        if (!problem.fixed(r.candidate)) terms.emplace_back(static_cast<int>(r.candidate), -1.0);
                    }
                    b.milp.add_row(terms, -COIN_DBL_MAX, 0.0);
                    share_terms.emplace_back(z, problem.weight(i));
                }
                b.milp.add_row(share_terms, lscp_target - fixed_covered - lscp_tolerance, COIN_DBL_MAX);
            }
            break;
        }
        case Objective::mclp: {
            b.maximise = true;
            std::vector<std::size_t> rows;
            std::vector<double> score(n, 0.0);
            for (std::size_t i = 0; i < m; ++i) {
                if (!(problem.weight(i) > 0)) continue;
                if (is_covered(problem, i, T, fixed_open)) {
                    b.constant += problem.weight(i);
                    continue;
                }
                bool any = false;
                for (const auto& r : problem.reachable(i)) {
                    if (!within(r.time, T)) break;
                    score[r.candidate] += problem.weight(i);
                    any = true;
                }
                if (any) rows.push_back(i);
            }
            b.perturbation = make_perturbation(weight_quantum, news.size(), options.k, problem.total_weight());
            add_site_columns(b, problem, rank, top_k(news, score, options.k), 0.0);
            for (std::size_t i : rows) {
                const int z = b.milp.add_column(0, 1, -problem.weight(i), false);
                std::vector<std::pair<int, double>> terms{{z, 1.0}};
                for (const auto& r : problem.reachable(i)) {
                    if (!within(r.time, T)) break;
                    terms.emplace_back(static_cast<int>(r.candidate), -1.0);
                }
                b.milp.add_row(terms, -COIN_DBL_MAX, 0.0);
            }
            add_cardinality(b, news, options.k);
            break;
        }
        case Objective::pmedian: {
            // Demand unit i pays its fallback f_i: the nearest fixed site's time, else the penalty
            // (the u_i slack; a fixed site is always open, so its x_ij merges with u_i). Only new
            // candidates nearer than f_i get an x_ij.
            std::vector<double> times{options.unreachable_penalty.value()};
            double scale = 0;
            std::vector<double> score(n, 0.0);
            struct Demand {
                std::size_t i;
                double fallback;
                std::size_t count;  // the first `count` pairs of reachable(i) are new and nearer
            };
            std::vector<Demand> demands;
            for (std::size_t i = 0; i < m; ++i) {
                if (!(problem.weight(i) > 0)) continue;
                const auto list = problem.reachable(i);
                double fallback = options.unreachable_penalty.value();
                std::size_t count = 0;
                for (const auto& r : list) {
                    if (problem.fixed(r.candidate)) {
                        fallback = r.time.value();
                        break;
                    }
                    ++count;
                }
                while (count > 0 && !(list[count - 1].time.value() < fallback)) --count;
                times.push_back(fallback);
                const double w = problem.weight(i);
                scale += w * fallback / 60.0;
                if (count == 0) {
                    b.constant += w * (fallback / 60.0);
                    continue;
                }
                for (std::size_t c = 0; c < count; ++c) {
                    times.push_back(list[c].time.value());
                    score[list[c].candidate] += w * (fallback - list[c].time.value());
                }
                demands.push_back({i, fallback, count});
            }
            const double time_quantum = decimal_quantum(times);
            b.perturbation = make_perturbation(weight_quantum * time_quantum / 60.0, news.size(), options.k, scale);
            const auto start = top_k(news, score, options.k);
            add_site_columns(b, problem, rank, start, 0.0);
            for (const auto& d : demands) {
                const double w = problem.weight(d.i);
                const auto list = problem.reachable(d.i);
                std::vector<std::pair<int, double>> assign;
                for (std::size_t c = 0; c < d.count; ++c) {
                    const int x = b.milp.add_column(0, 1, w * (list[c].time.value() / 60.0), false);
                    assign.emplace_back(x, 1.0);
                    b.milp.add_row({{x, 1.0}, {static_cast<int>(list[c].candidate), -1.0}}, -COIN_DBL_MAX, 0.0);
                }
                const int u = b.milp.add_column(0, 1, w * (d.fallback / 60.0), false);
                assign.emplace_back(u, 1.0);
                b.milp.add_row(assign, 1.0, 1.0);
            }
            add_cardinality(b, news, options.k);
            break;
        }
        case Objective::cmclp: {
            b.maximise = true;
            // Capacities above the weight a site can reach change nothing: capped (numerics).
            std::vector<double> reach(n, 0.0);
            for (std::size_t i = 0; i < m; ++i) {
                if (!(problem.weight(i) > 0)) continue;
                for (const auto& r : problem.reachable(i)) {
                    if (!within(r.time, T)) break;
                    reach[r.candidate] += problem.weight(i);
                }
            }
            std::vector<double> cap(n), score(n);
            for (std::size_t j = 0; j < n; ++j) score[j] = cap[j] = std::min(problem.capacity(j), reach[j]);
            // The value is a maximum flow = a minimum cut: a sum of weights and capacities.
            std::vector<double> values = positive_weights;
            values.insert(values.end(), cap.begin(), cap.end());
            b.perturbation = make_perturbation(decimal_quantum(values), news.size(), options.k, problem.total_weight());
            add_site_columns(b, problem, rank, top_k(news, score, options.k), 0.0);
            std::vector<std::vector<std::pair<int, double>>> site_rows(n);
            for (std::size_t i = 0; i < m; ++i) {
                if (!(problem.weight(i) > 0)) continue;
                const double w = problem.weight(i);
                std::vector<std::pair<int, double>> assign;
                for (const auto& r : problem.reachable(i)) {
                    if (!within(r.time, T)) break;
                    if (!(cap[r.candidate] > 0)) continue;
                    const int x = b.milp.add_column(0, 1, -w, false);
                    assign.emplace_back(x, 1.0);
                    if (!problem.fixed(r.candidate))
                        b.milp.add_row({{x, 1.0}, {static_cast<int>(r.candidate), -1.0}}, -COIN_DBL_MAX, 0.0);
                    site_rows[r.candidate].emplace_back(x, w);
                }
                if (!assign.empty()) b.milp.add_row(assign, -COIN_DBL_MAX, 1.0);
            }
            for (std::size_t j = 0; j < n; ++j) {
                if (site_rows[j].empty()) continue;
                auto terms = site_rows[j];
                if (problem.fixed(j)) {
                    b.milp.add_row(terms, -COIN_DBL_MAX, cap[j]);
                } else {
                    terms.emplace_back(static_cast<int>(j), -cap[j]);
                    b.milp.add_row(terms, -COIN_DBL_MAX, 0.0);
                }
            }
            add_cardinality(b, news, options.k);
            break;
        }
    }

    const CbcOutcome cbc = run_cbc(b.milp, options.time_limit_seconds, b.perturbation.lattice);
    sol.time_limit_reached = cbc.time_limit;
    if (!cbc.has_solution) {
        sol.feasible = false;
        sol.solver = cbc.time_limit ? "cbc (time limit reached before any integer solution)"
                                    : (cbc.proven_infeasible ? "cbc (model infeasible)" : "cbc (no solution)");
        return finish(sol);
    }
    for (auto j : news)
        if (cbc.x[j] > 0.5) sol.chosen.push_back(j);

    // The exact objective of the chosen set.
    const std::vector<char> open = open_mask(problem, sol.chosen);
    switch (options.objective) {
        case Objective::lscp: {
            sol.objective = static_cast<double>(sol.chosen.size());
            if (options.coverage_share >= 1.0) {
                for (std::size_t i = 0; i < m && sol.feasible; ++i)
                    if (problem.weight(i) > 0 && !is_covered(problem, i, T, open)) sol.feasible = false;
            } else {
                sol.feasible = covered_weight(problem, T, open) >= lscp_target - lscp_tolerance;
            }
            break;
        }
        case Objective::mclp: sol.objective = covered_weight(problem, T, open); break;
        case Objective::pmedian: sol.objective = pmedian_cost(problem, options.unreachable_penalty, open); break;
        case Objective::cmclp: sol.objective = capacitated_assignment(problem, T, open, sol.load); break;
    }

    // CBC's bound on the minimised objective → a bound on the true objective: the perturbation
    // of any set is within [0, max_total].
    sol.proven_optimal = cbc.proven_optimal && sol.feasible;
    if (sol.proven_optimal) {
        sol.bound = sol.objective;
    } else if (std::isfinite(cbc.bound) && std::abs(cbc.bound) < 1e30) {
        double bound;
        if (b.maximise) {
            bound = b.constant + b.perturbation.max_total - cbc.bound;
            bound = std::max(bound, sol.objective);
        } else {
            bound = b.constant + cbc.bound - b.perturbation.max_total;
            if (options.objective == Objective::lscp) bound = std::ceil(bound - 1e-6);
            if (sol.feasible) bound = std::min(bound, sol.objective);
        }
        sol.bound = bound;
    }
    return finish(sol);
}

}  // namespace maillage::optimise
