// evaluate(): the objective of a set of new sites, as every solver reports it, and the helpers
// the heuristics share (covered weight, weighted minutes, the capacitated max flow).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

#include "optimise/heuristics.hpp"
#include "optimise/location_problem.hpp"

namespace maillage::optimise {

std::vector<bool> open_sites(const LocationProblem& problem, std::span<const std::uint32_t> chosen) {
    std::vector<bool> open(problem.candidate_count());
    for (std::size_t j = 0; j < open.size(); ++j) open[j] = problem.fixed(j);
    for (std::uint32_t j : chosen) {
        if (j >= open.size())
            throw std::invalid_argument("evaluate: candidate " + std::to_string(j) + " out of range (" +
                                        std::to_string(open.size()) + " candidates)");
        open[j] = true;
    }
    return open;
}

double covered_weight(const LocationProblem& problem, Seconds max_time, const std::vector<bool>& open) {
    double covered = 0;
    for (std::size_t i = 0; i < problem.demand_count(); ++i) {
        for (const Reachable& r : problem.reachable(i)) {  // sorted by time: stop past T
            if (r.time > max_time) break;
            if (open[r.candidate]) {
                covered += problem.weight(i);
                break;
            }
        }
    }
    return covered;
}

double weighted_minutes(const LocationProblem& problem, Seconds unreachable_penalty, const std::vector<bool>& open) {
    double total = 0;
    for (std::size_t i = 0; i < problem.demand_count(); ++i) {
        Seconds nearest = unreachable_penalty;
        for (const Reachable& r : problem.reachable(i)) {
            if (open[r.candidate]) {
                nearest = r.time;
                break;
            }
        }
        total += problem.weight(i) * to_minutes(nearest);
    }
    return total;
}

bool reaches_share(double covered, double total_weight, double share) {
    return covered >= share * total_weight - 1e-9 * total_weight;
}

namespace {

using FlowTraits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<boost::edge_capacity_t, std::int64_t,
                    boost::property<boost::edge_residual_capacity_t, std::int64_t,
                                    boost::property<boost::edge_reverse_t, FlowTraits::edge_descriptor>>>>;
using FlowEdge = FlowTraits::edge_descriptor;

FlowEdge add_arc(FlowGraph& g, std::size_t from, std::size_t to, std::int64_t capacity) {
    auto capacity_map = boost::get(boost::edge_capacity, g);
    auto reverse_map = boost::get(boost::edge_reverse, g);
    FlowEdge e = boost::add_edge(from, to, g).first;
    FlowEdge back = boost::add_edge(to, from, g).first;
    capacity_map[e] = capacity;
    capacity_map[back] = 0;
    reverse_map[e] = back;
    reverse_map[back] = e;
    return e;
}

}  // namespace

CapacitatedAssignment assign_capacitated(const LocationProblem& problem, Seconds max_time,
                                         const std::vector<bool>& open) {
    const std::size_t n = problem.demand_count();
    const std::size_t m = problem.candidate_count();
    CapacitatedAssignment result;
    result.load.assign(m, 0.0);

    double scale = kFlowScale;
    if (problem.total_weight() * scale > 1e17) scale = 1e17 / problem.total_weight();
    auto scaled = [scale](double v) { return static_cast<std::int64_t>(std::llround(std::max(0.0, v) * scale)); };

    // Nodes: 0 source, 1 sink, then the demand units that reach an open site within T, then
    // the open sites they reach (numbered on first use).
    constexpr std::size_t kSource = 0, kSink = 1;
    std::vector<std::uint32_t> site_node(m, 0);
    std::vector<std::uint32_t> used_sites;
    std::size_t node_count = 2;
    struct Arc { std::uint32_t demand_node; std::uint32_t candidate; std::int64_t capacity; };
    std::vector<Arc> arcs;
    std::vector<std::pair<std::uint32_t, std::int64_t>> sources;  // (node, scaled weight)
    std::int64_t total_scaled = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::int64_t w = scaled(problem.weight(i));
        if (w == 0) continue;
        std::uint32_t node = 0;
        for (const Reachable& r : problem.reachable(i)) {
            if (r.time > max_time) break;
            if (!open[r.candidate]) continue;
            if (node == 0) {
                node = static_cast<std::uint32_t>(node_count++);
                sources.push_back({node, w});
                total_scaled += w;
            }
            arcs.push_back({node, r.candidate, w});
            if (site_node[r.candidate] == 0) used_sites.push_back(r.candidate), site_node[r.candidate] = 1;
        }
    }
    if (arcs.empty()) return result;
    std::sort(used_sites.begin(), used_sites.end());
    for (std::uint32_t j : used_sites) site_node[j] = static_cast<std::uint32_t>(node_count++);

    FlowGraph g(node_count);
    for (const auto& [node, w] : sources) add_arc(g, kSource, node, w);
    for (const Arc& a : arcs) add_arc(g, a.demand_node, site_node[a.candidate], a.capacity);
    std::vector<FlowEdge> to_sink;
    to_sink.reserve(used_sites.size());
    for (std::uint32_t j : used_sites) {
        std::int64_t capacity = total_scaled;
        if (problem.capacitated()) {
            const double c = problem.capacity(j);
            if (c * scale < static_cast<double>(total_scaled)) capacity = scaled(c);
        }
        to_sink.push_back(add_arc(g, site_node[j], kSink, capacity));
    }
    const std::int64_t flow = boost::push_relabel_max_flow(g, kSource, kSink);
    result.assigned = static_cast<double>(flow) / scale;
    auto capacity_map = boost::get(boost::edge_capacity, g);
    auto residual_map = boost::get(boost::edge_residual_capacity, g);
    for (std::size_t s = 0; s < used_sites.size(); ++s) {
        const FlowEdge e = to_sink[s];
        result.load[used_sites[s]] = static_cast<double>(capacity_map[e] - residual_map[e]) / scale;
    }
    return result;
}

double evaluate(const LocationProblem& problem, const SolveOptions& options, std::span<const std::uint32_t> chosen) {
    const std::vector<bool> open = open_sites(problem, chosen);
    switch (options.objective) {
        case Objective::lscp: {
            // Distinct new sites (a fixed candidate listed costs nothing: it is open anyway).
            std::vector<bool> counted(problem.candidate_count(), false);
            double sites = 0;
            for (std::uint32_t j : chosen) {
                if (problem.fixed(j) || counted[j]) continue;
                counted[j] = true;
                sites += 1;
            }
            return sites;
        }
        case Objective::mclp: return covered_weight(problem, options.max_time, open);
        case Objective::pmedian: return weighted_minutes(problem, options.unreachable_penalty, open);
        case Objective::cmclp: return assign_capacitated(problem, options.max_time, open).assigned;
    }
    throw std::invalid_argument("evaluate: unknown objective");
}

}  // namespace maillage::optimise
