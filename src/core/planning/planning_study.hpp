#pragma once
// What `maillage serve` loads once: the study and network of a scenario (or the default
// study), the baseline sites of every category, ready for planning sessions.
#include <memory>
#include <string>

#include "planning/planning_session.hpp"
#include "scenario/scenario_runner.hpp"

namespace maillage {

struct PlanningStudy {
    std::unique_ptr<Workspace> workspace;
    std::unique_ptr<SiteFactory> factory;  // owns the scenario's baseline additions
    PlanningBase base;
};

// `spec`: a parsed scenario, or a default one (no file: the default study, estimated network).
// `scenario_file`: the absolute path exports name in `extends` (empty for none).
std::unique_ptr<PlanningStudy> open_planning_study(const ScenarioSpec& spec, const ScenarioContext& context,
                                                   const std::string& scenario_file);

}  // namespace maillage
