#pragma once
// A routing profile is data (geodata/profiles/*.json), so planners can copy and edit one.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "util/units.hpp"

namespace maillage {

struct Profile {
    std::string name;
    std::string file;                                  // where it was read from
    std::map<std::string, double> highway_speeds_kmh;  // a highway class absent here is not routable
    bool use_maxspeed = true;
    std::map<std::string, double> maxspeed_aliases_kmh;  // "urban" matches FR:urban, CH:urban...
    double max_speed_kmh = 130;
    std::vector<std::string> access_tags;              // general → specific; the last one present wins
    std::vector<std::string> denied_access_values;
    bool oneway = true;
    std::string oneway_tag;                            // mode-specific override, e.g. oneway:bicycle
    bool ferry = true;
    double access_speed_kmh = 20;
    double max_snap_distance_m = 2000;

    // km/h from an OSM maxspeed value; nullopt when it cannot be read ("signals", "variable").
    [[nodiscard]] std::optional<double> parse_maxspeed(const std::string& value) const;
};

// A bare name (car, bicycle, foot) is <geodata>/profiles/NAME.json; anything with '/' or
// ending in .json is a path. Unknown keys, wrong types, negative speeds: InputError.
Profile load_profile(const std::string& name_or_path, const std::filesystem::path& geodata_dir);

}  // namespace maillage
