#pragma once
// Which files make up a territory, and how strict loading is.
#include <filesystem>
#include <string>

namespace maillage {

struct TerritorySources {
    std::filesystem::path communes;      // polygons (any OGR format)
    std::string communes_layer;          // empty: first layer
    std::filesystem::path population;    // optional CSV joined on the INSEE code (population, EPCI, anciens_codes)
    std::filesystem::path territories;   // optional CSV: EPCI → territory, or commune → territory
    std::filesystem::path epci_layer;          // optional polygons of the EPCI (id + name fields)
    std::filesystem::path territories_layer;   // optional polygons of the territories
    int osm_admin_level = 8;             // when `communes` is an OSM file: municipalities
    bool strict = false;                 // invalid polygons are errors instead of repaired with a warning
};

}  // namespace maillage
