#pragma once
// One planner's what-if session on one category: sites added, closed or moved one at a time,
// with undo / redo, the figures after each change, and the session exported as a scenario
// file that `maillage run` reproduces exactly. The changes go through the scenario code
// (apply_variant: the same checks, the same placement) and the coverage is the scenario
// runner's incremental one, replayed from the baseline: the session's figures are those of
// the run of its export, by construction.
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/coverage_analysis.hpp"
#include "analysis/workspace.hpp"
#include "coverage/aggregation.hpp"
#include "coverage/incremental_coverage.hpp"
#include "output/time_classes.hpp"
#include "scenario/scenario_spec.hpp"
#include "scenario/site_changes.hpp"
#include "util/errors.hpp"

namespace maillage {

// A request the session refuses; the session is unchanged. `reason` maps to an HTTP status.
class RequestRefused : public Error {
public:
    enum class Reason { bad_request, not_found, outside, unknown_category };
    RequestRefused(Reason reason, const std::string& message) : Error(message), reason_(reason) {}
    [[nodiscard]] Reason reason() const { return reason_; }
    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::invalid_input; }

private:
    Reason reason_;
};

// What every session of a server shares (read only): the workspace, the baseline sites and
// the scenario the server was started with (its file is named in exports).
struct PlanningBase {
    const Workspace* workspace = nullptr;
    SitesByCategory baseline;
    std::string scenario_file;  // absolute path of the scenario given to `serve`; empty: the default study
    std::string title;
};

struct PlanningChange {
    enum class Kind { add, close, move };
    Kind kind = Kind::add;
    std::string site_id;            // close, move; add: given by the session ("session-N")
    std::optional<Point2> at;       // add, move: Lambert-93, rounded to the centimetre
    std::string name;               // add: optional
};

class PlanningSession {
public:
    // Throws RequestRefused(bad_request) for an unknown category or thresholds out of range.
    PlanningSession(const PlanningBase& base, const std::string& category, const std::vector<double>& thresholds,
                    std::optional<double> gap_threshold);

    // Applies a change after the current point of the history (the redo part is dropped).
    // Throws RequestRefused; the session is unchanged then.
    void apply(PlanningChange change);
    void undo();
    void redo();

    [[nodiscard]] nlohmann::ordered_json state() const;
    [[nodiscard]] std::string export_yaml() const;
    [[nodiscard]] std::string export_geojson() const;
    [[nodiscard]] const std::string& category() const { return params_.category.key; }

private:
    struct Computed;  // the coverage after a number of changes
    void figures(Computed& state) const;
    std::shared_ptr<Computed> next_state(const Computed& previous, const std::vector<PlanningChange>& changes);
    [[nodiscard]] const Computed& current() const { return *history_[applied_]; }
    [[nodiscard]] Variant variant_spec(std::size_t applied, const std::vector<PlanningChange>& changes) const;
    [[nodiscard]] nlohmann::ordered_json area_json(const AreaCoverage& now, const AreaCoverage& before, double beyond_now,
                                                   double beyond_before) const;

    const PlanningBase& base_;
    ResolvedCoverageParameters params_;
    std::vector<TimeClass> classes_;
    std::vector<double> thresholds_given_;
    std::optional<double> gap_given_;
    std::vector<PlanningChange> changes_;
    std::size_t applied_ = 0;  // changes_[0, applied_) are in effect
    int next_site_number_ = 1;
    // history_[i]: the state after i changes (history_[0]: the baseline); undo / redo move
    // along it. A state is a copy of the incremental coverage (small on a département).
    std::vector<std::shared_ptr<Computed>> history_;
    std::deque<ServiceSite> site_store_;  // the sites the session put in (states point to them)
    struct LastChange {
        std::string description;
        double beyond_gap_delta = 0;
        double server_ms = 0;
    };
    std::optional<LastChange> last_;
};

}  // namespace maillage
