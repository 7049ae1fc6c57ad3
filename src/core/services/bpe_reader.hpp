#pragma once
// INSEE BPE: equipment COUNTS per commune, no coordinates. Each (commune, type) becomes one
// site at the commune's representative point with location_precision = commune.
// BPE vintages use the commune codes of their year: former codes are mapped to the
// current commune that absorbed them (Territory::find_commune knows the merger history).
// Counts of communes beyond the study are placed at the representative point of a
// neighbouring commune (given polygons, e.g. every commune within 20 km) when it lies within
// the margin of the study area, with in_study_area = false; codes found neither in the
// study nor among the neighbours are counted (rows and equipments), never silently dropped.
#include <filesystem>
#include <vector>

#include "services/catalogue.hpp"
#include "services/service.hpp"
#include "territory/territory.hpp"

namespace maillage {

struct BpeReadReport {
    long long rows_in_study_area = 0;
    long long rows_outside = 0;          // communes of other départements (the file covers neighbours)
    long long rows_mapped_from_old_code = 0;
    // Of rows_outside (catalogued types only):
    long long rows_neighbours = 0;       // placed in a neighbouring commune within the margin
    long long rows_beyond_margin = 0;    // a neighbouring commune farther than the margin: left out
    long long rows_unplaced = 0;         // code in neither the study nor the neighbours: left out
    long long equipments_unplaced = 0;   // the equipment counts of those rows
};

// The communes beyond the study that can hold BPE counts (codes absent from the study only),
// and how far the study area may reach: margin_m.
struct BpeNeighbours {
    const std::vector<Commune>* communes = nullptr;  // nullptr or empty: counts outside the study are left out
    double margin_m = 0;
};

std::vector<ServiceSite> read_bpe(const std::filesystem::path& path, const Territory& territory,
                                  const ServiceCatalogue& catalogue, BpeReadReport& report,
                                  Diagnostics* diagnostics = nullptr,  // the CSV reader's warnings
                                  const BpeNeighbours& neighbours = {});

}  // namespace maillage
