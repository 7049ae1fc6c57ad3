#pragma once
// A format-neutral feature: geometry in Lambert-93 plus ordered properties. Writers
// reproject, round and serialise it; producers never care about the output format.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/ogr_ptr.hpp"

namespace maillage {

struct Feature {
    GeometryPtr geometry;            // Lambert-93; may be null (attribute-only row)
    nlohmann::ordered_json properties = nlohmann::ordered_json::object();
};

struct FeatureLayer {
    std::string name;
    std::vector<Feature> features;
};

// Rounds to `decimals` places; outputs use it so numbers are stable across platforms.
double round_to(double value, int decimals);

}  // namespace maillage
