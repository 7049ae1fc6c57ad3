#pragma once
// SHA-256 of input files for provenance (FIPS 180-4). GDAL keeps its own copy
// private, so maillage carries this small one, checked against the NIST vectors.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace maillage {

std::string sha256_hex(std::string_view data);
std::string sha256_file(const std::filesystem::path& path);  // throws InputError if unreadable

}  // namespace maillage
