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
std::string csv_escape(const std::string& field);
// Fixed-precision number for CSV cells ("" for NaN / infinity, i.e. unreachable).
std::string csv_number(double value, int decimals);

}  // namespace maillage
