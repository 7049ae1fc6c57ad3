#pragma once
// Reading project and user JSON files (profiles, estimate parameters) with errors that
// name the file and the JSON pointer of the offending key.
#include <filesystem>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace maillage {

nlohmann::json read_json_file(const std::filesystem::path& path);

// Throws InputError for any key of `object` (at `pointer`) not in `allowed`.
void check_keys(const nlohmann::json& object, std::initializer_list<const char*> allowed, const std::string& file,
                const std::string& pointer);

double json_number(const nlohmann::json& object, const char* key, const std::string& file, const std::string& pointer,
                   bool positive = true);

}  // namespace maillage
