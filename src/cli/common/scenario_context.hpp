#pragma once
// The CLI's scenario context: the Vienne preset as the default study, geodata/ from
// --geodata or $MAILLAGE_GEODATA.
#include <string>

#include "presets/vienne_preset.hpp"
#include "scenario/scenario_runner.hpp"

namespace maillage::cli {

inline ScenarioContext scenario_context(const std::string& geodata_option) {
    auto dir = presets::resolve_geodata_dir(geodata_option);
    return {[dir] { return StudySources{presets::vienne_territory(dir), presets::vienne_services(dir)}; }, dir};
}

}  // namespace maillage::cli
