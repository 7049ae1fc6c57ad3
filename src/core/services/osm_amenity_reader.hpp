#pragma once
// Service points from OpenStreetMap tags (nodes, and closed ways at their centre):
// doctors, pharmacies, childcare... for test extracts and for planners who only have OSM.
#include <filesystem>
#include <string>
#include <vector>

#include "services/service.hpp"

namespace maillage {

// Categories with an OSM tag mapping: gp, pharmacie, creche, maison_sante, france_services.
std::vector<std::string> osm_mapped_categories();

std::vector<ServiceSite> read_osm_amenities(const std::filesystem::path& pbf, const std::string& category);

}  // namespace maillage
