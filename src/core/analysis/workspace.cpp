#include "analysis/workspace.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "analysis/defaults.hpp"
#include "util/errors.hpp"

namespace maillage {

double demand_grid_cells(const Territory& territory, double step) {
    if (!(step > 0) || !std::isfinite(step)) return std::numeric_limits<double>::infinity();
    double cells = 0;
    for (const auto& c : territory.communes) {
        OGREnvelope env;
        c.geometry->getEnvelope(&env);
        cells += std::ceil((env.MaxX - env.MinX) / step + 1) * std::ceil((env.MaxY - env.MinY) / step + 1);
    }
    return cells;
}

Workspace::Workspace(Study study, const WorkspaceOptions& options)
    : study_(std::make_unique<Study>(std::move(study))), options_(options) {
    if (options_.demand.method == DemandMethod::grid) {
        const double step = options_.demand.grid_step.value();
        if (!(step > 0) || !std::isfinite(step))
            throw UsageError("the demand grid step must be a positive number of metres");
        const double cells = demand_grid_cells(study_->territory, step);
        if (cells > defaults::kMaxDemandGridCells) {
            char text[256];
            std::snprintf(text, sizeof text,
                          "demand grid step %g m: about %.0f cells over the study's communes, more than %.0f: give a "
                          "larger step",
                          step, cells, defaults::kMaxDemandGridCells);
            throw UsageError(text);
        }
    }
    provenance_ = study_->provenance();
    options_.network_options.territory = &study_->territory;
    // The estimate's nodes beyond the study: the neighbouring layer's communes within the
    // margin, read with the services (none read: the estimate warns that the edge is less accurate).
    if (!options_.network_options.margin_communes && study_->services.neighbour_layer_read)
        options_.network_options.margin_communes = &study_->services.margin_communes;
    network_.emplace(open_network(options_.network, options_.network_options, provenance_));
    demand_ = build_demand(study_->territory, options_.demand);
    if (!options_.demand.layer.empty()) provenance_.add_input("demand", options_.demand.layer);
    provenance_.set_parameter("demand", {{"method", to_string(options_.demand.method)}, {"units", demand_.size()}});
    Diagnostics attach;
    demand_attachments_ = attach_demand(*network_, demand_, attach);
    warnings_ = study_->warnings();
    if (network_->info().is_estimate())
        warnings_.push_back("travel times are ESTIMATED: no road network was given (--network)");
    for (const Diagnostics* d : {&network_->info().diagnostics, static_cast<const Diagnostics*>(&attach)})
        for (const auto& w : d->warnings()) warnings_.push_back(w.text());
}

const TimeGrid& Workspace::grid(Metres cell_size) const {
    auto& slot = grids_[cell_size.value()];
    if (!slot) slot = std::make_unique<TimeGrid>(*network_, *study_->territory.study_area, cell_size.value());
    return *slot;
}

}  // namespace maillage
