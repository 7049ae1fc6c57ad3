#pragma once
// --network SPEC and its companions, shared by every command that routes.
#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/common/study_options.hpp"
#include "network/network_spec.hpp"

namespace maillage::cli {

struct NetworkCliOptions {
    std::string spec = "estimated:default";
    std::string profile = "car";
    double max_snap_m = 0;   // 0: the source's default
    std::string mapping;
    bool allow_missing_pairs = false;
    double max_memory_gb = 0;  // 0: the machine's physical memory

    void add_to(CLI::App& app);
    // margin_communes: the estimate's nodes beyond the study (LoadedServices::margin_communes);
    // nullptr = no neighbouring layer (the estimate warns).
    TravelNetwork open(const Territory* territory, const std::string& geodata_option, Provenance& provenance,
                       const std::vector<Commune>* margin_communes = nullptr) const;
    // The network part of a workspace (the territory is set by the workspace).
    [[nodiscard]] NetworkSpec network_spec() const { return NetworkSpec::parse(spec); }
    [[nodiscard]] NetworkOptions network_options(const std::string& geodata_option) const;
    // The files these options name (network, profile file, mapping); UsageError for a bad spec.
    [[nodiscard]] std::vector<InputFile> input_files() const;
};

// --max-memory GB, as every command that can build an OSM or road layer network has it (0: the default).
void add_max_memory_option(CLI::App& app, double& max_memory_gb);
// The budget of an OSM or road layer build: `max_memory_gb` (--max-memory), or the machine's
// physical memory when 0, so a build that cannot fit stops with a clear message instead of
// being killed.
std::optional<std::uint64_t> memory_budget_bytes(double max_memory_gb);

// "10,20,30" → ascending minutes, each > 0 and <= 24 h; UsageError otherwise.
std::vector<double> parse_minutes_list(const std::string& text, const std::string& option);

}  // namespace maillage::cli
