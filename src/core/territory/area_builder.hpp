#pragma once
// Dissolves communes into EPCI / territory polygons (GEOS union through OGR).
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "territory/territory.hpp"

namespace maillage {

// No commune has a billion inhabitants: a larger population is an input error (a shifted
// column, a typo), refused where it is read with the file, line and field. It also keeps every
// sum of populations far from overflowing (35 000 communes × 1e9 < 2^63).
constexpr long long kMaxCommunePopulation = 1'000'000'000;

std::vector<Area> dissolve_areas(const std::vector<Commune>& communes,
                                 const std::function<std::string(const Commune&)>& key,
                                 const std::map<std::string, std::string>& names);

GeometryPtr union_of_communes(const std::vector<Commune>& communes);

}  // namespace maillage
