#include "planning/planning_study.hpp"

namespace maillage {

std::unique_ptr<PlanningStudy> open_planning_study(const ScenarioSpec& spec, const ScenarioContext& context,
                                                   const std::string& scenario_file) {
    auto p = std::make_unique<PlanningStudy>();
    Study study = load_study(scenario_study_sources(spec, context));
    p->workspace = std::make_unique<Workspace>(std::move(study), scenario_workspace_options(spec, context));
    p->factory = std::make_unique<SiteFactory>(p->workspace->study());
    std::vector<AppliedChange> additions;
    p->base.workspace = p->workspace.get();
    p->base.baseline = baseline_sites(p->workspace->study(), spec, *p->factory, additions);
    p->base.scenario_file = scenario_file;
    p->base.title = spec.title;
    return p;
}

}  // namespace maillage
