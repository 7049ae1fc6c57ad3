#include "network/profile.hpp"

#include <charconv>
#include <cmath>

#include "util/errors.hpp"
#include "util/json_file.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {

std::map<std::string, double> speed_table(const nlohmann::json& j, const char* key, const std::string& file) {
    std::map<std::string, double> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_object()) throw InputError({file, std::string("/") + key, key}, "not an object", "{\"class\": km/h}");
    for (const auto& [k, v] : j[key].items()) {
        std::string ptr = std::string("/") + key + "/" + k;
        if (!v.is_number()) throw InputError({file, ptr, k}, "speed is not a number: " + v.dump(), "km/h > 0");
        if (!(v.get<double>() > 0)) throw InputError({file, ptr, k}, "speed must be positive, got " + v.dump(), "km/h > 0");
        out[k] = v.get<double>();
    }
    return out;
}

std::vector<std::string> string_list(const nlohmann::json& j, const char* key, const std::string& file) {
    std::vector<std::string> out;
    if (!j.contains(key)) return out;
    if (!j[key].is_array()) throw InputError({file, std::string("/") + key, key}, "not an array", "a list of strings");
    for (const auto& v : j[key]) {
        if (!v.is_string()) throw InputError({file, std::string("/") + key, key}, "not a string: " + v.dump());
        out.push_back(v.get<std::string>());
    }
    return out;
}

// j.value(key, fallback) would throw a type_error (an internal error) for a non-string: found by fuzz/.
std::string text(const nlohmann::json& j, const char* key, std::string fallback, const std::string& file) {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_string()) throw InputError({file, std::string("/") + key, key}, "not a string: " + j[key].dump(), "a string");
    return j[key].get<std::string>();
}

bool boolean(const nlohmann::json& j, const char* key, bool fallback, const std::string& file) {
    if (!j.contains(key)) return fallback;
    if (!j[key].is_boolean()) throw InputError({file, std::string("/") + key, key}, "not a boolean: " + j[key].dump(), "true or false");
    return j[key].get<bool>();
}

}  // namespace

std::optional<double> Profile::parse_maxspeed(const std::string& raw) const {
    std::string v = raw;
    if (auto semi = v.find(';'); semi != std::string::npos) v = v.substr(0, semi);  // "50;70": first value
    while (!v.empty() && v.back() == ' ') v.pop_back();
    double number = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), number);
    if (ec == std::errc() && p != v.data()) {
        std::string unit(p, static_cast<const char*>(v.data() + v.size()));
        while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
        if (unit.empty() || unit == "km/h" || unit == "kmh" || unit == "kph") return number > 0 ? std::optional(number) : std::nullopt;
        if (unit == "mph") return number * 1.609344;
        if (unit == "knots") return number * 1.852;
        return std::nullopt;
    }
    if (auto it = maxspeed_aliases_kmh.find(v); it != maxspeed_aliases_kmh.end()) return it->second;
    // Country-coded implicit limits: FR:urban, CH:rural, LI:motorway...
    if (auto colon = v.find(':'); colon != std::string::npos)
        if (auto it = maxspeed_aliases_kmh.find(v.substr(colon + 1)); it != maxspeed_aliases_kmh.end()) return it->second;
    return std::nullopt;
}

Profile load_profile(const std::string& name_or_path, const fs::path& geodata_dir) {
    bool is_path = name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".json");
    fs::path path = is_path ? fs::path(name_or_path) : geodata_dir / "profiles" / (name_or_path + ".json");
    if (!is_path && !fs::exists(path))
        throw UsageError("unknown profile '" + name_or_path + "' (no " + path.string() + "; use car, bicycle, foot or a file path)");
    const std::string file = path.string();
    auto j = read_json_file(path);
    check_keys(j, {"name", "description", "rationale", "highway_speeds_kmh", "use_maxspeed", "maxspeed_aliases_kmh",
                   "max_speed_kmh", "access_tags", "denied_access_values", "oneway", "oneway_tag", "ferry",
                   "access_speed_kmh", "max_snap_distance_m"},
               file, "");
    Profile p;
    p.file = file;
    p.name = text(j, "name", path.stem().string(), file);
    p.highway_speeds_kmh = speed_table(j, "highway_speeds_kmh", file);
    if (p.highway_speeds_kmh.empty())
        throw InputError({file, "/highway_speeds_kmh", "highway_speeds_kmh"}, "no routable highway class", "at least one class");
    p.use_maxspeed = boolean(j, "use_maxspeed", true, file);
    p.maxspeed_aliases_kmh = speed_table(j, "maxspeed_aliases_kmh", file);
    p.max_speed_kmh = json_number(j, "max_speed_kmh", file, "");
    p.access_tags = string_list(j, "access_tags", file);
    p.denied_access_values = string_list(j, "denied_access_values", file);
    p.oneway = boolean(j, "oneway", true, file);
    p.oneway_tag = text(j, "oneway_tag", "", file);
    p.ferry = boolean(j, "ferry", true, file);
    p.access_speed_kmh = json_number(j, "access_speed_kmh", file, "");
    p.max_snap_distance_m = json_number(j, "max_snap_distance_m", file, "");
    return p;
}

}  // namespace maillage
