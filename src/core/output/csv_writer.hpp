#pragma once
// Plain RFC 4180 CSV (comma, quotes doubled, \n line ends), written atomically.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace maillage {

using CsvRow = std::vector<std::string>;

void write_csv(const std::filesystem::path& path, const CsvRow& header, const std::vector<CsvRow>& rows);
// CSV outputs carry their provenance in a sidecar FILE.provenance.json (CSV has no place for
// it that every reader tolerates); both written atomically. `metadata`: Provenance::to_json().
void write_csv_with_provenance(const std::filesystem::path& path, const CsvRow& header,
                               const std::vector<CsvRow>& rows, const nlohmann::json& metadata);
// A CSV that stands alone (matrix, nearest) with its sidecar at `sidecar`: the sidecar also
// names the CSV and its sha256 (`"output": {"file", "sha256"}`), so a reader can tell whether
// the sidecar beside a CSV describes it (util/staged_files.hpp installs the sidecar first).
void write_standalone_csv(const std::filesystem::path& path, const std::filesystem::path& sidecar,
                          const CsvRow& header, const std::vector<CsvRow>& rows, nlohmann::json metadata);
std::string csv_escape(const std::string& field);
// Fixed-precision number for CSV cells ("" for NaN / infinity, i.e. unreachable).
std::string csv_number(double value, int decimals);

}  // namespace maillage
