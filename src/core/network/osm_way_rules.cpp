#include "network/osm_way_rules.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

namespace maillage {

namespace {

bool is_yes(const char* v) { return !std::strcmp(v, "yes") || !std::strcmp(v, "true") || !std::strcmp(v, "1"); }

bool access_denied(const osmium::TagList& tags, const Profile& p) {
    const char* verdict = nullptr;
    for (const auto& key : p.access_tags)  // general first, the most specific present wins
        if (const char* v = tags.get_value_by_key(key.c_str())) verdict = v;
    if (!verdict) return false;
    return std::find(p.denied_access_values.begin(), p.denied_access_values.end(), verdict) != p.denied_access_values.end();
}

}  // namespace

std::optional<double> parse_osm_duration(const char* text) {
    if (!text || !*text) return std::nullopt;
    int parts[3] = {0, 0, 0};
    int count = 0;
    const char* p = text;
    while (*p && count < 3) {
        char* end = nullptr;
        long v = std::strtol(p, &end, 10);
        if (end == p || v < 0) return std::nullopt;
        parts[count++] = static_cast<int>(v);
        p = end;
        if (*p == ':') ++p;
        else if (*p) return std::nullopt;
    }
    if (count == 1) return parts[0] * 60.0;                      // minutes
    if (count == 2) return parts[0] * 3600.0 + parts[1] * 60.0;  // HH:MM
    return parts[0] * 3600.0 + parts[1] * 60.0 + parts[2];       // HH:MM:SS
}

std::optional<WayRule> evaluate_way(const osmium::TagList& tags, const Profile& p) {
    WayRule rule;
    const char* route = tags.get_value_by_key("route");
    if (route && !std::strcmp(route, "ferry")) {
        if (!p.ferry || access_denied(tags, p)) return std::nullopt;
        rule.ferry_seconds = parse_osm_duration(tags.get_value_by_key("duration"));
        if (!rule.ferry_seconds) return std::nullopt;  // no duration: its time would be a guess
        rule.forward = rule.backward = true;
        return rule;
    }
    const char* highway = tags.get_value_by_key("highway");
    if (!highway) return std::nullopt;
    auto speed = p.highway_speeds_kmh.find(highway);
    if (speed == p.highway_speeds_kmh.end()) return std::nullopt;
    if (const char* area = tags.get_value_by_key("area"); area && is_yes(area)) return std::nullopt;
    if (access_denied(tags, p)) return std::nullopt;
    rule.speed_kmh = speed->second;
    if (p.use_maxspeed)
        if (const char* ms = tags.get_value_by_key("maxspeed"))
            if (auto v = p.parse_maxspeed(ms)) rule.speed_kmh = *v;
    rule.speed_kmh = std::min(rule.speed_kmh, p.max_speed_kmh);

    rule.forward = rule.backward = true;
    const char* oneway = p.oneway_tag.empty() ? nullptr : tags.get_value_by_key(p.oneway_tag.c_str());
    if (!oneway && p.oneway) oneway = tags.get_value_by_key("oneway");
    bool implied = p.oneway && (!std::strcmp(highway, "motorway") || !std::strcmp(highway, "motorway_link"));
    if (const char* junction = tags.get_value_by_key("junction"); p.oneway && junction &&
        (!std::strcmp(junction, "roundabout") || !std::strcmp(junction, "circular")))
        implied = true;
    if (oneway) {
        if (is_yes(oneway)) rule.backward = false;
        else if (!std::strcmp(oneway, "-1") || !std::strcmp(oneway, "reverse")) rule.forward = false;
        else if (!std::strcmp(oneway, "no")) implied = false;
    }
    if (implied && !(oneway && !std::strcmp(oneway, "no"))) rule.backward = false;
    if (!rule.forward && !rule.backward) return std::nullopt;
    return rule;
}

}  // namespace maillage
