#pragma once
// Plain RFC 4180 CSV (comma, quotes doubled, \n line ends), written atomically.
#include <filesystem>
#include <string>
#include <vector>

namespace maillage {

using CsvRow = std::vector<std::string>;

void write_csv(const std::filesystem::path& path, const CsvRow& header, const std::vector<CsvRow>& rows);
std::string csv_escape(const std::string& field);
// Fixed-precision number for CSV cells ("" for NaN / infinity, i.e. unreachable).
std::string csv_number(double value, int decimals);

}  // namespace maillage
