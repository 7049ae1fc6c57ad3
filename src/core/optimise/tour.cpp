#include "optimise/tour.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

namespace maillage::optimise {

double loop_minutes(const std::vector<std::vector<double>>& m, const std::vector<std::size_t>& order) {
    if (order.empty()) return 0;
    double t = m[0][order.front()];
    for (std::size_t i = 0; i + 1 < order.size(); ++i) t += m[order[i]][order[i + 1]];
    return t + m[order.back()][0];
}

namespace {

// Nearest neighbour from the base, the first stop given.
std::vector<std::size_t> nearest_neighbour(const std::vector<std::vector<double>>& m, std::size_t first) {
    const std::size_t n = m.size() - 1;
    std::vector<bool> done(n + 1, false);
    std::vector<std::size_t> order{first};
    done[first] = true;
    std::size_t at = first;
    for (std::size_t step = 1; step < n; ++step) {
        std::size_t best = 0;
        for (std::size_t j = 1; j <= n; ++j)
            if (!done[j] && (best == 0 || m[at][j] < m[at][best])) best = j;
        done[best] = true;
        order.push_back(best);
        at = best;
    }
    return order;
}

// 2-opt (reverse a segment) and Or-opt (move a run of 1–3 stops), first improvement, until
// no move shortens the loop. Full re-evaluation of each move: times may be asymmetric, and a
// tour of a few dozen stops makes that cheap.
void improve(const std::vector<std::vector<double>>& m, std::vector<std::size_t>& order) {
    const double eps = 1e-9;
    double best = loop_minutes(m, order);
    for (bool improved = true; improved;) {
        improved = false;
        for (std::size_t i = 0; i + 1 < order.size() && !improved; ++i)
            for (std::size_t j = i + 1; j < order.size() && !improved; ++j) {
                auto trial = order;
                std::reverse(trial.begin() + static_cast<std::ptrdiff_t>(i), trial.begin() + static_cast<std::ptrdiff_t>(j) + 1);
                double t = loop_minutes(m, trial);
                if (t < best - eps) {
                    order = std::move(trial);
                    best = t;
                    improved = true;
                }
            }
        for (std::size_t len = 1; len <= 3 && !improved; ++len)
            for (std::size_t i = 0; i + len <= order.size() && !improved; ++i)
                for (std::size_t at = 0; at + len <= order.size() && !improved; ++at) {
                    if (at == i) continue;
                    auto trial = order;
                    std::vector<std::size_t> run(trial.begin() + static_cast<std::ptrdiff_t>(i),
                                                 trial.begin() + static_cast<std::ptrdiff_t>(i + len));
                    trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(i), trial.begin() + static_cast<std::ptrdiff_t>(i + len));
                    trial.insert(trial.begin() + static_cast<std::ptrdiff_t>(std::min(at, trial.size())), run.begin(), run.end());
                    double t = loop_minutes(m, trial);
                    if (t < best - eps) {
                        order = std::move(trial);
                        best = t;
                        improved = true;
                    }
                }
    }
}

// The fewest days, then the least driving, cutting `order` into consecutive runs (dynamic
// programme over cut points). A run over the budget is allowed only as a single stop.
std::vector<TourDay> split_days(const std::vector<std::vector<double>>& m, const std::vector<std::size_t>& order,
                                double day_budget, std::size_t max_stops_per_day) {
    const std::size_t n = order.size();
    auto run = [&](std::size_t from, std::size_t to) {  // stops order[from..to)
        return loop_minutes(m, std::vector<std::size_t>(order.begin() + static_cast<std::ptrdiff_t>(from),
                                                        order.begin() + static_cast<std::ptrdiff_t>(to)));
    };
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<std::pair<std::size_t, double>> best(n + 1, {std::numeric_limits<std::size_t>::max(), inf});
    std::vector<std::size_t> cut(n + 1, 0);
    best[0] = {0, 0.0};
    for (std::size_t to = 1; to <= n; ++to)
        for (std::size_t from = 0; from < to; ++from) {
            if (best[from].second == inf) continue;
            const double t = run(from, to);
            const bool allowed = (t <= day_budget && to - from <= max_stops_per_day) || to - from == 1;
            if (!allowed) continue;
            std::pair<std::size_t, double> candidate{best[from].first + 1, best[from].second + t};
            if (candidate < best[to]) {
                best[to] = candidate;
                cut[to] = from;
            }
        }
    std::vector<TourDay> days;
    for (std::size_t to = n; to > 0; to = cut[to]) {
        TourDay day;
        day.stops.assign(order.begin() + static_cast<std::ptrdiff_t>(cut[to]), order.begin() + static_cast<std::ptrdiff_t>(to));
        day.driving_minutes = loop_minutes(m, day.stops);
        days.push_back(std::move(day));
    }
    return {days.rbegin(), days.rend()};
}

}  // namespace

Tour plan_tour(const std::vector<std::vector<double>>& m, double day_budget, std::size_t max_stops_per_day) {
    Tour tour;
    const std::size_t n = m.empty() ? 0 : m.size() - 1;
    if (n == 0) return tour;
    if (n <= 9) {
        // Every order, lexicographic: the first shortest one wins ties (deterministic).
        std::vector<std::size_t> order(n);
        std::iota(order.begin(), order.end(), 1);
        double best = std::numeric_limits<double>::infinity();
        do {
            double t = loop_minutes(m, order);
            if (t < best) {
                best = t;
                tour.order = order;
            }
        } while (std::next_permutation(order.begin(), order.end()));
        tour.exact = true;
    } else {
        // One nearest-neighbour start per first stop, each improved: the shortest is kept
        // (ties: the first start).
        double best = std::numeric_limits<double>::infinity();
        for (std::size_t first = 1; first <= n; ++first) {
            auto order = nearest_neighbour(m, first);
            improve(m, order);
            double t = loop_minutes(m, order);
            if (t < best - 1e-9) {
                best = t;
                tour.order = std::move(order);
            }
        }
    }
    tour.driving_minutes = loop_minutes(m, tour.order);
    // Days: consecutive runs of the loop (any starting stop: it is a cycle), each leaving from
    // and returning to the base; the cut that needs the fewest days, then the least driving.
    std::pair<std::size_t, double> best_plan{std::numeric_limits<std::size_t>::max(), 0.0};
    for (std::size_t start = 0; start < n; ++start) {
        std::vector<std::size_t> rotated(tour.order.begin() + static_cast<std::ptrdiff_t>(start), tour.order.end());
        rotated.insert(rotated.end(), tour.order.begin(), tour.order.begin() + static_cast<std::ptrdiff_t>(start));
        auto days = split_days(m, rotated, day_budget, max_stops_per_day);
        std::pair<std::size_t, double> plan{days.size(), 0.0};
        for (const auto& d : days) plan.second += d.driving_minutes;
        if (plan < best_plan) {
            best_plan = plan;
            tour.days = std::move(days);
        }
    }
    return tour;
}

}  // namespace maillage::optimise
