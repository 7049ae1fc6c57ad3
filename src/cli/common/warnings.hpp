#pragma once
// One way every command shows warnings: the first few on stderr, then a count; the full
// list is in the outputs (summary.json, provenance).
#include <string>
#include <vector>

namespace maillage::cli {

void print_warnings(const std::vector<std::string>& warnings, const std::string& where_all_are = "summary.json");

}  // namespace maillage::cli
