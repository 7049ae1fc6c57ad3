#pragma once
// Every output carries where it came from: input files and their hashes, the
// travel-time source, profile, parameters and tool version.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace maillage {

struct InputRecord {
    std::string role;   // "communes", "sites", "network", ...
    std::string path;   // as given by the user
    std::string sha256;
};

class Provenance {
public:
    // A file's identity is its sha256; its path is for people: an absolute path under the
    // working directory is written relative to it, so the same inputs run from two checkouts
    // give byte-identical outputs.
    static std::string display_path(const std::filesystem::path& path);
    // Hashes the file now; a file is recorded once per role even if added twice.
    void add_input(const std::string& role, const std::filesystem::path& path);
    // An input whose hash is already known (recorded in a graph cache when it was built).
    void add_input(InputRecord record);
    void set_parameter(const std::string& key, nlohmann::json value) { parameters_[key] = std::move(value); }
    void set_travel_time_source(std::string source) { travel_time_source_ = std::move(source); }
    void set_profile(std::string profile) { profile_ = std::move(profile); }

    [[nodiscard]] const std::vector<InputRecord>& inputs() const { return inputs_; }
    [[nodiscard]] const std::string& travel_time_source() const { return travel_time_source_; }
    [[nodiscard]] const std::string& profile() const { return profile_; }
    [[nodiscard]] const nlohmann::json& parameters() const { return parameters_; }

    // Stable key order (nlohmann::json sorts object keys), no timestamps: outputs
    // stay byte-identical for identical inputs.
    [[nodiscard]] nlohmann::json to_json() const;

private:
    std::vector<InputRecord> inputs_;
    nlohmann::json parameters_ = nlohmann::json::object();
    std::string travel_time_source_;
    std::string profile_;
};

std::string tool_version();

}  // namespace maillage
