#pragma once
// What analyses share: a loaded study, its travel network and demand units, each loaded
// once. `coverage`, `access`, a scenario run with all its variants and a future web page
// work on one Workspace.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/study.hpp"
#include "coverage/coverage.hpp"
#include "coverage/demand.hpp"
#include "coverage/catchment.hpp"
#include "coverage/time_grid.hpp"
#include "network/network_spec.hpp"
#include "routing/travel_network.hpp"

namespace maillage {

struct WorkspaceOptions {
    NetworkSpec network;                 // estimated:default unless given
    NetworkOptions network_options;      // profile, snapping, geodata directory (territory set here)
    DemandOptions demand;
};

// The grid cells a demand grid of `step` metres tests over the communes (the cells of their
// envelopes): known before building it, to refuse a grid too fine (defaults::kMaxDemandGridCells).
double demand_grid_cells(const Territory& territory, double step);

class Workspace {
public:
    Workspace(Study study, const WorkspaceOptions& options);
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    [[nodiscard]] const Study& study() const { return *study_; }
    [[nodiscard]] const Territory& territory() const { return study_->territory; }
    [[nodiscard]] const ServiceCatalogue& catalogue() const { return study_->services.catalogue; }
    [[nodiscard]] const ServiceSet& services() const { return study_->services.set; }
    [[nodiscard]] const TravelNetwork& network() const { return *network_; }
    [[nodiscard]] const std::vector<DemandUnit>& demand() const { return demand_; }
    [[nodiscard]] const std::vector<std::optional<Attachment>>& demand_attachments() const { return demand_attachments_; }
    [[nodiscard]] const DemandOptions& demand_options() const { return options_.demand; }
    [[nodiscard]] const std::filesystem::path& geodata_dir() const { return options_.network_options.geodata_dir; }

    // Inputs (study, network, demand layer) and parameters (network, demand): the start of
    // every output's provenance.
    [[nodiscard]] const Provenance& provenance() const { return provenance_; }
    // Warnings of the loaders, the network and the demand, as text (no duplicates).
    [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }
    // A catchment grid attached to the network, made on first use for each cell size.
    [[nodiscard]] const TimeGrid& grid(Metres cell_size) const;
    // Catchment polygons already drawn, by site (see CatchmentCache).
    [[nodiscard]] CatchmentCache& catchment_cache() const { return catchment_cache_; }

private:
    std::unique_ptr<Study> study_;  // stable address: the network and demand point into it
    WorkspaceOptions options_;
    std::optional<TravelNetwork> network_;
    std::vector<DemandUnit> demand_;
    std::vector<std::optional<Attachment>> demand_attachments_;
    Provenance provenance_;
    std::vector<std::string> warnings_;
    mutable std::map<double, std::unique_ptr<TimeGrid>> grids_;
    mutable CatchmentCache catchment_cache_;
};

}  // namespace maillage
