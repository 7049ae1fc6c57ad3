#include "coverage/e2sfca.hpp"

#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

DecayTable::DecayTable(std::vector<DecayStep> steps) : steps_(std::move(steps)) {
    if (steps_.empty()) throw std::invalid_argument("empty decay table");
}

DecayTable DecayTable::load(const std::filesystem::path& path) {
    CsvTable t = CsvTable::read(path);
    const auto m = t.require_column({"max_minutes"});
    const auto w = t.require_column({"weight"});
    std::vector<DecayStep> steps;
    for (const auto& row : t.rows()) {
        const std::string where = "line " + std::to_string(row.line);
        DecayStep s{parse_number(row.cells[m], t.file(), row.line, "max_minutes"),
                    parse_number(row.cells[w], t.file(), row.line, "weight")};
        if (s.max_minutes <= 0 || (!steps.empty() && s.max_minutes <= steps.back().max_minutes))
            throw InputError({t.file(), where, "max_minutes"}, "bands not ascending or not positive", "ascending minutes > 0");
        if (s.weight < 0 || s.weight > 1)
            throw InputError({t.file(), where, "weight"}, "weight " + row.cells[w] + " outside [0, 1]", "a weight in [0, 1]");
        if (!steps.empty() && s.weight > steps.back().weight)
            throw InputError({t.file(), where, "weight"}, "weight increases with travel time",
                             "non-increasing weights (farther is never better)");
        steps.push_back(s);
    }
    if (steps.empty()) throw InputError({t.file(), "", ""}, "no decay step", "at least one row");
    return DecayTable(std::move(steps));
}

double DecayTable::weight(double minutes) const {
    for (const auto& s : steps_)
        if (minutes <= s.max_minutes) return s.weight;
    return 0.0;
}

double site_supply(const ServiceSite& s) { return s.fte ? *s.fte : s.count; }

E2sfcaResult compute_e2sfca(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                            const AttachedSites& attached, const DecayTable& decay, const E2sfcaOptions& options) {
    const auto& sites = attached.sites();
    const auto& attachments = attached.attachments();
    E2sfcaResult r;
    r.site_supply.assign(sites.size(), 0.0);
    r.site_ratio.assign(sites.size(), 0.0);
    r.unit_access.assign(demand.size(), 0.0);
    std::vector<std::optional<Attachment>> units;
    for (const auto& u : demand) units.push_back(network.try_attach(u.position));
    auto weight_of_unit = [&](std::size_t i) {
        return demand[i].population * (options.demand_weights.empty() ? 1.0 : options.demand_weights[i]);
    };
    const Seconds limit = minutes(decay.max_minutes());
    // (site, unit, W) within the largest band: the only pairs that matter.
    struct Pair {
        std::size_t site, unit;
        double w;
    };
    std::vector<Pair> pairs;
    for (std::size_t j = 0; j < sites.size(); ++j) {
        double supply = site_supply(*sites[j]);
        if (options.max_practitioner_age) {
            if (!sites[j]->practitioner_age) ++r.sites_without_age;
            else if (*sites[j]->practitioner_age > *options.max_practitioner_age) {
                ++r.sites_excluded_by_age;
                supply = 0;
            }
        }
        r.site_supply[j] = supply;
        SiteSearch search = network.toward(std::span(&attachments[j], 1), limit);
        for (std::size_t i = 0; i < demand.size(); ++i) {
            if (!units[i]) continue;
            Reach reach = network.evaluate(search, *units[i]);
            if (!reach.reached()) continue;
            double w = decay.weight(to_minutes(reach.time));
            if (w > 0) pairs.push_back({j, i, w});
        }
    }
    std::vector<double> weighted_demand(sites.size(), 0.0);
    for (const auto& p : pairs) weighted_demand[p.site] += weight_of_unit(p.unit) * p.w;
    for (std::size_t j = 0; j < sites.size(); ++j)
        r.site_ratio[j] = weighted_demand[j] > 0 ? r.site_supply[j] / weighted_demand[j] : 0.0;
    for (const auto& p : pairs) {
        double dw = options.demand_weights.empty() ? 1.0 : options.demand_weights[p.unit];
        r.unit_access[p.unit] += r.site_ratio[p.site] * p.w * dw;
    }
    return r;
}

}  // namespace maillage
