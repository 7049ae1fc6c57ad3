#pragma once
// How a profile reads the tags of one OSM way: routable or not, speed, directions.
#include <optional>

#include <osmium/osm/tag.hpp>

#include "network/profile.hpp"

namespace maillage {

struct WayRule {
    bool forward = false;
    bool backward = false;
    double speed_kmh = 0;                 // for ordinary roads
    std::optional<double> ferry_seconds;  // route=ferry with a duration: the whole crossing
};

// nullopt: not routable for this profile.
std::optional<WayRule> evaluate_way(const osmium::TagList& tags, const Profile& profile);

// OSM duration "HH:MM", "HH:MM:SS" or minutes; nullopt if unreadable.
std::optional<double> parse_osm_duration(const char* text);

}  // namespace maillage
