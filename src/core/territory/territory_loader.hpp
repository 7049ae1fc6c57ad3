#pragma once
#include "territory/territory.hpp"
#include "territory/territory_sources.hpp"

namespace maillage {

// Loads and validates communes, joins population / EPCI, assigns territories and
// dissolves EPCI and territory polygons. Throws InputError on invalid input;
// non-fatal findings land in Territory::diagnostics.
Territory load_territory(const TerritorySources& sources);

}  // namespace maillage
