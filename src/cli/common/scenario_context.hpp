#pragma once
// The CLI's scenario context: the Vienne preset as the default study, geodata/ from
// --geodata or $MAILLAGE_GEODATA, the memory budget of an OSM build from --max-memory (0: the
// machine's memory, as the commands given --network have it).
#include <string>

#include "cli/common/network_options.hpp"
#include "presets/vienne_preset.hpp"
#include "scenario/scenario_runner.hpp"

namespace maillage::cli {

inline ScenarioContext scenario_context(const std::string& geodata_option, double max_memory_gb = 0) {
    auto dir = presets::resolve_geodata_dir(geodata_option);
    ScenarioContext context;
    context.default_study = [dir] { return StudySources{presets::vienne_territory(dir), presets::vienne_services(dir)}; };
    context.geodata_dir = dir;
    context.max_memory_bytes = memory_budget_bytes(max_memory_gb);
    return context;
}

}  // namespace maillage::cli
