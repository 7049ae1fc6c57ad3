#include "cli/common/network_options.hpp"

#include <charconv>
#include <cmath>

#include <unistd.h>

#include "cli/common/number_checks.hpp"
#include "presets/vienne_preset.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

void NetworkCliOptions::add_to(CLI::App& app) {
    app.add_option("--network", spec,
                   "Travel network: osm:FILE.pbf | roads:FILE[:layer] | matrix:FILE.csv | graph:FILE.mgraph (maillage "
                   "network build) | estimated:default | estimated:PARAMS.json (default: estimated:default, labelled "
                   "'estimated' in every output)");
    app.add_option("--profile", profile, "Routing profile: car, bicycle, foot or a profile JSON file (osm:, roads:)");
    app.add_option("--max-snap", max_snap_m, "Maximum distance (m) from a site to the network; farther is an error")
        ->check(number_in(0, bounds::kMaxSnapM, "m", true));
    app.add_option("--mapping", mapping, "Road layer mapping file (roads:), default geodata/road_mappings/route500.json");
    app.add_flag("--allow-missing-pairs", allow_missing_pairs, "Time matrix: accept missing origin-destination pairs");
    add_max_memory_option(app, max_memory_gb);
}

void add_max_memory_option(CLI::App& app, double& max_memory_gb) {
    app.add_option("--max-memory", max_memory_gb,
                   "OSM and road layer networks: refuse before building when the build is estimated to need more than this many GB "
                   "(default: the machine's memory)")
        ->check(number_in(0.1, bounds::kMaxMemoryGb, "GB"));
}

std::optional<std::uint64_t> memory_budget_bytes(double max_memory_gb) {
    if (max_memory_gb > 0) return static_cast<std::uint64_t>(max_memory_gb * 1e9);
    // The machine's physical memory: the default budget, so a build that cannot fit stops
    // with a clear message before reading the nodes instead of being killed by the system.
    const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return std::nullopt;
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

NetworkOptions NetworkCliOptions::network_options(const std::string& geodata_option) const {
    NetworkOptions o;
    o.profile = profile;
    if (max_snap_m > 0) o.max_snap = Metres(max_snap_m);
    o.mapping = mapping;
    o.geodata_dir = presets::resolve_geodata_dir(geodata_option);
    o.allow_missing_pairs = allow_missing_pairs;
    o.max_memory_bytes = memory_budget_bytes(max_memory_gb);
    return o;
}

std::vector<InputFile> NetworkCliOptions::input_files() const {
    std::vector<InputFile> out;
    NetworkSpec s = NetworkSpec::parse(spec);
    if (!s.path.empty()) out.push_back({"--network", s.path});
    if (!mapping.empty()) out.push_back({"--mapping", mapping});
    // A profile is a name (car, bicycle, foot) or a file.
    if (profile.find('/') != std::string::npos || std::filesystem::path(profile).extension() == ".json")
        out.push_back({"--profile", profile});
    return out;
}

TravelNetwork NetworkCliOptions::open(const Territory* territory, const std::string& geodata_option,
                                      Provenance& provenance, const std::vector<Commune>* margin_communes) const {
    NetworkOptions o = network_options(geodata_option);
    o.territory = territory;
    o.margin_communes = margin_communes;
    return open_network(NetworkSpec::parse(spec), o, provenance);
}

std::vector<double> parse_minutes_list(const std::string& text, const std::string& option) {
    std::vector<double> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos) end = text.size();
        std::string item = text.substr(start, end - start);
        double v = 0;
        auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
        if (item.empty() || ec != std::errc() || p != item.data() + item.size() || !std::isfinite(v))
            throw UsageError(option + ": '" + item + "' is not a number of minutes (expected e.g. 10,20,30)");
        if (v <= 0) throw UsageError(option + ": " + item + " minutes: thresholds must be positive");
        if (v > bounds::kMaxMinutes)
            throw UsageError(option + ": " + item + " minutes: thresholds are at most 1440 minutes (24 h)");
        if (!out.empty() && v <= out.back())
            throw UsageError(option + ": thresholds must be strictly ascending (" + text + ")");
        out.push_back(v);
        start = end + 1;
    }
    return out;
}

}  // namespace maillage::cli
