#include "util/provenance.hpp"

#include <algorithm>

#include "util/sha256.hpp"

namespace maillage {

std::string tool_version() { return std::string("maillage ") + MAILLAGE_VERSION; }

std::string Provenance::display_path(const std::filesystem::path& path) {
    if (!path.is_absolute()) return path.string();
    std::error_code ec;
    const auto cwd = std::filesystem::current_path(ec);
    const auto relative = path.lexically_normal().lexically_relative(cwd);
    if (ec || relative.empty() || *relative.begin() == "..") return path.string();
    return relative.string();
}

void Provenance::add_input(const std::string& role, const std::filesystem::path& path) {
    const std::string p = display_path(path);
    bool known = std::any_of(inputs_.begin(), inputs_.end(),
                             [&](const InputRecord& r) { return r.role == role && r.path == p; });
    if (known) return;
    inputs_.push_back({role, p, sha256_file(path)});
}

void Provenance::add_input(InputRecord record) {
    bool known = std::any_of(inputs_.begin(), inputs_.end(), [&](const InputRecord& r) {
        return r.role == record.role && r.path == record.path;
    });
    if (!known) inputs_.push_back(std::move(record));
}

nlohmann::json Provenance::to_json() const {
    nlohmann::json inputs = nlohmann::json::array();
    for (const auto& r : inputs_) inputs.push_back({{"role", r.role}, {"path", r.path}, {"sha256", r.sha256}});
    nlohmann::json out = {
        {"tool", tool_version()},
        {"inputs", inputs},
        {"parameters", parameters_},
    };
    if (!travel_time_source_.empty()) out["travel_time_source"] = travel_time_source_;
    if (!profile_.empty()) out["profile"] = profile_;
    return out;
}

}  // namespace maillage
