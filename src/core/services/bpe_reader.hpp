#pragma once
// INSEE BPE: equipment COUNTS per commune, no coordinates. Each (commune, type) becomes one
// site at the commune's representative point with location_precision = commune.
// BPE vintages use the commune codes of their year: former codes are mapped to the
// current commune that absorbed them (Territory::find_commune knows the merger history).
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
};

std::vector<ServiceSite> read_bpe(const std::filesystem::path& path, const Territory& territory,
                                  const ServiceCatalogue& catalogue, BpeReadReport& report,
                                  Diagnostics* diagnostics = nullptr);  // the CSV reader's warnings

}  // namespace maillage
