#include "optimise/location_problem.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace maillage::optimise {

LocationProblem::LocationProblem(std::vector<double> weights, std::vector<std::vector<Reachable>> pairs_by_demand,
                                 std::vector<bool> fixed, std::vector<double> capacities)
    : weights_(std::move(weights)), fixed_(std::move(fixed)), capacities_(std::move(capacities)) {
    if (pairs_by_demand.size() != weights_.size())
        throw std::invalid_argument("location problem: one list of reachable candidates per demand unit");
    if (!capacities_.empty() && capacities_.size() != fixed_.size())
        throw std::invalid_argument("location problem: one capacity per candidate");
    first_.assign(weights_.size() + 1, 0);
    std::size_t total = 0;
    for (const auto& list : pairs_by_demand) total += list.size();
    pairs_.reserve(total);
    candidate_first_.assign(fixed_.size() + 1, 0);
    for (std::size_t i = 0; i < weights_.size(); ++i) {
        auto& list = pairs_by_demand[i];
        std::sort(list.begin(), list.end(), [](const Reachable& a, const Reachable& b) {
            return a.time != b.time ? a.time < b.time : a.candidate < b.candidate;
        });
        for (const auto& r : list) {
            if (r.candidate >= fixed_.size()) throw std::invalid_argument("location problem: candidate out of range");
            ++candidate_first_[r.candidate + 1];
        }
        first_[i + 1] = first_[i] + static_cast<std::uint32_t>(list.size());
        pairs_.insert(pairs_.end(), list.begin(), list.end());
        total_weight_ += weights_[i];
        std::vector<Reachable>().swap(list);  // the input copy is not kept twice in memory
    }
    // The transposed lists by counting sort (demand units in index order within a candidate),
    // then each candidate's slice ordered by (time, demand).
    for (std::size_t j = 0; j < fixed_.size(); ++j) candidate_first_[j + 1] += candidate_first_[j];
    by_candidate_.resize(pairs_.size());
    std::vector<double> slice_time(pairs_.size());
    std::vector<std::uint32_t> fill(candidate_first_.begin(), candidate_first_.end() - 1);
    for (std::size_t i = 0; i < weights_.size(); ++i)
        for (const auto& r : reachable(i)) {
            const std::uint32_t at = fill[r.candidate]++;
            by_candidate_[at] = static_cast<std::uint32_t>(i);
            slice_time[at] = r.time.value();
        }
    std::vector<std::uint32_t> order;
    for (std::size_t j = 0; j < fixed_.size(); ++j) {
        const std::uint32_t lo = candidate_first_[j], hi = candidate_first_[j + 1];
        order.resize(hi - lo);
        for (std::uint32_t k = 0; k < hi - lo; ++k) order[k] = lo + k;
        std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return slice_time[a] < slice_time[b]; });
        std::vector<std::uint32_t> sorted(order.size());
        for (std::size_t k = 0; k < order.size(); ++k) sorted[k] = by_candidate_[order[k]];
        std::copy(sorted.begin(), sorted.end(), by_candidate_.begin() + lo);
    }
}

Seconds LocationProblem::time_from_candidate_list(std::size_t i, std::size_t j) const {
    for (const auto& r : reachable(i))
        if (r.candidate == j) return r.time;
    return Seconds::infinity();
}

const char* to_string(Objective o) {
    switch (o) {
        case Objective::lscp: return "lscp";
        case Objective::mclp: return "mclp";
        case Objective::pmedian: return "pmedian";
        case Objective::cmclp: return "cmclp";
    }
    return "?";
}

std::optional<double> Solution::gap() const {
    if (!bound) return std::nullopt;
    const double denominator = std::max(std::abs(*bound), 1e-9);
    return std::abs(objective - *bound) / denominator;
}

}  // namespace maillage::optimise
