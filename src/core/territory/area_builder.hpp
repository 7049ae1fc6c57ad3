#pragma once
// Dissolves communes into EPCI / territory polygons (GEOS union through OGR).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "territory/territory.hpp"

namespace maillage {

std::vector<Area> dissolve_areas(const std::vector<Commune>& communes,
                                 const std::function<std::string(const Commune&)>& key,
                                 const std::map<std::string, std::string>& names);

GeometryPtr union_of_communes(const std::vector<Commune>& communes);

}  // namespace maillage
