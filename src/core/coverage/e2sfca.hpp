#pragma once
// Enhanced two-step floating catchment (E2SFCA), DREES APL style:
//   R_j = S_j / Σ_k P_k · W(t_kj)     supply of site j per weighted inhabitant of its catchment
//   A_i = Σ_j R_j · W(t_ij)            accessibility of demand unit i
// with W a step-decay table over travel time. Σ_i P_i·A_i = Σ_j S_j over sites reaching
// anybody: the index redistributes supply, it does not create it.
#include <filesystem>
#include <optional>
#include <vector>

#include "coverage/demand.hpp"
#include "routing/travel_network.hpp"
#include "coverage/attached_sites.hpp"
#include "services/service.hpp"

namespace maillage {

struct DecayStep {
    double max_minutes = 0;
    double weight = 0;
};

class DecayTable {
public:
    static DecayTable load(const std::filesystem::path& csv);  // validates monotone, in [0,1]
    explicit DecayTable(std::vector<DecayStep> steps);
    [[nodiscard]] double weight(double minutes) const;
    [[nodiscard]] double max_minutes() const { return steps_.back().max_minutes; }
    [[nodiscard]] const std::vector<DecayStep>& steps() const { return steps_; }

private:
    std::vector<DecayStep> steps_;
};

struct E2sfcaOptions {
    std::optional<int> max_practitioner_age;   // exclude practitioners older than this (retirement scenario)
    std::vector<double> demand_weights;        // per demand unit (age consumption); empty = 1
};

struct E2sfcaResult {
    std::vector<double> site_supply;    // S_j actually counted (after age exclusion)
    std::vector<double> site_ratio;     // R_j
    std::vector<double> unit_access;    // A_i, supply per inhabitant
    std::size_t sites_excluded_by_age = 0;
    std::size_t sites_without_age = 0;
};

// Supply of a site: FTE when known, else its count (BPE counts practitioners per commune).
double site_supply(const ServiceSite& site);

E2sfcaResult compute_e2sfca(const TravelNetwork& network, const std::vector<DemandUnit>& demand,
                            const AttachedSites& sites,
                            const DecayTable& decay, const E2sfcaOptions& options);

}  // namespace maillage
