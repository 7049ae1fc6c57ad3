#pragma once
// Reads commune polygons from any OGR layer into Lambert-93, validating codes and geometry.
#include <vector>

#include "territory/territory.hpp"
#include "territory/territory_sources.hpp"

namespace maillage {

std::vector<Commune> read_communes(const TerritorySources& sources, Diagnostics& diagnostics);

}  // namespace maillage
