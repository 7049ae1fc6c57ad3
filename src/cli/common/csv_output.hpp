#pragma once
// CSV outputs carry their provenance in a sidecar FILE.provenance.json (CSV has no place
// for it that every reader tolerates); both are written atomically.
#include <filesystem>

#include "output/csv_writer.hpp"
#include "util/provenance.hpp"

namespace maillage::cli {

void write_csv_with_provenance(const std::filesystem::path& path, const CsvRow& header,
                               const std::vector<CsvRow>& rows, const Provenance& provenance);

}  // namespace maillage::cli
