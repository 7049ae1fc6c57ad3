#include "coverage/gaps.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace maillage {

namespace {
std::size_t find_root(std::vector<std::size_t>& parent, std::size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
}
}  // namespace

GapReport find_gaps(const Territory& territory, const std::vector<DemandUnit>& demand, const CoverageResult& result,
                    double threshold) {
    GapReport report;
    report.threshold_minutes = threshold;
    std::map<std::size_t, Gap> by_commune;
    for (std::size_t u = 0; u < demand.size(); ++u) {
        const UnitResult& r = result.units[u];
        double m = r.reached() ? to_minutes(r.time) : std::numeric_limits<double>::infinity();
        if (m <= threshold || demand[u].population <= 0) continue;
        auto idx = territory.find_commune(demand[u].commune_code);
        if (!idx) continue;
        Gap& g = by_commune[*idx];
        g.commune = *idx;
        g.population_beyond += demand[u].population;
        g.minutes += demand[u].population * m;
        if (r.reached() && (!g.nearest_site.valid() || m < g.excess_minutes)) {
            g.nearest_site = r.site;
            g.excess_minutes = m;  // temporarily: best time in the commune
        }
    }
    for (auto& [idx, g] : by_commune) {
        g.minutes /= g.population_beyond;
        g.excess_minutes = g.minutes - threshold;
        g.score = g.population_beyond * g.excess_minutes;
        report.gaps.push_back(g);
    }
    std::sort(report.gaps.begin(), report.gaps.end(), [&](const Gap& a, const Gap& b) {
        if (a.score != b.score) return a.score > b.score;
        return territory.communes[a.commune].code < territory.communes[b.commune].code;
    });
    // Clusters: gap communes whose polygons touch (within 50 m, as the estimated network).
    std::vector<std::size_t> parent(report.gaps.size());
    std::iota(parent.begin(), parent.end(), 0);
    for (std::size_t i = 0; i < report.gaps.size(); ++i)
        for (std::size_t k = i + 1; k < report.gaps.size(); ++k) {
            const auto* a = territory.communes[report.gaps[i].commune].geometry.get();
            const auto* b = territory.communes[report.gaps[k].commune].geometry.get();
            OGREnvelope ea, eb;
            a->getEnvelope(&ea);
            b->getEnvelope(&eb);
            if (ea.MaxX + 50 < eb.MinX || eb.MaxX + 50 < ea.MinX || ea.MaxY + 50 < eb.MinY || eb.MaxY + 50 < ea.MinY) continue;
            if (a->Distance(b) <= 50) parent[find_root(parent, i)] = find_root(parent, k);
        }
    std::map<std::size_t, std::size_t> root_to_cluster;  // roots in rank order of their best gap
    for (std::size_t i = 0; i < report.gaps.size(); ++i) {
        std::size_t root = find_root(parent, i);
        auto [it, fresh] = root_to_cluster.emplace(root, report.clusters.size());
        if (fresh) report.clusters.push_back({static_cast<int>(report.clusters.size() + 1), {}, 0, 0});
        GapCluster& c = report.clusters[it->second];
        c.communes.push_back(report.gaps[i].commune);
        c.population_beyond += report.gaps[i].population_beyond;
        c.score += report.gaps[i].score;
        report.gaps[i].cluster = c.id;
        report.gaps[i].rank = static_cast<int>(i + 1);
    }
    std::stable_sort(report.clusters.begin(), report.clusters.end(),
                     [](const GapCluster& a, const GapCluster& b) { return a.score > b.score; });
    // Renumber clusters by score so cluster 1 is the worst zone.
    std::map<int, int> renumber;
    for (std::size_t i = 0; i < report.clusters.size(); ++i) {
        renumber[report.clusters[i].id] = static_cast<int>(i + 1);
        report.clusters[i].id = static_cast<int>(i + 1);
    }
    for (auto& g : report.gaps) g.cluster = renumber[g.cluster];
    return report;
}

}  // namespace maillage
