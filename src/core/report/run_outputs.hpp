#pragma once
// What a report reads: the files a run wrote (`maillage coverage`, `access`, `run SCENARIO`,
// `optimise`), loaded back into plain structs. Nothing is recomputed: every figure of the
// report comes from summary.json / comparison.json / the GeoJSON layers of the run.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "geo/point.hpp"

namespace maillage::report {

struct AreaFigures {
    std::string id;
    std::string name;
    double population = 0;
    std::vector<double> within;  // population within each band (same order as bands)
    double beyond_last_band = 0;
    double unreachable = 0;
    double mean_minutes = 0;
    double max_minutes = 0;
};

struct CommuneOutcome {
    std::string code;
    std::string name;
    std::string epci;
    std::string territory;
    double population = 0;
    std::optional<double> minutes;  // time to the nearest site; nullopt = unreachable
    std::string nearest_site;
};

struct SitePoint {
    std::string id;
    std::string name;
    Point2 position;  // Lambert-93
};

struct GapRow {
    int rank = 0;
    std::string code;
    std::string name;
    double population_beyond = 0;
    double minutes = 0;
    double person_minutes = 0;
    std::string nearest_site;
};

// One `coverage/CATEGORY/` directory.
struct CoverageOutcome {
    std::filesystem::path dir;
    std::string category;
    std::string category_label;
    std::string travel_time_source;
    std::vector<double> bands;
    double gap_threshold = 0;
    double site_count = 0;
    AreaFigures departement;
    std::vector<AreaFigures> territories;
    std::vector<AreaFigures> epcis;
    std::vector<GapRow> gaps;
    std::vector<CommuneOutcome> communes;   // in file order
    std::optional<std::vector<SitePoint>> sites;  // nullopt when the run has no sites layer
    std::vector<std::string> warnings;
    nlohmann::json metadata;

    // Population within `minutes` (one of the bands) in `area`; throws if not a band.
    [[nodiscard]] double within(const AreaFigures& area, double minutes) const;
};

struct AccessVariant {
    std::string id;  // "all", "age_max_60"
    double mean = 0, min = 0, max = 0;
    double excluded_by_age = 0, without_age = 0;
};

// One `access/CATEGORY/` directory (APL-style index).
struct AccessOutcome {
    std::filesystem::path dir;
    std::string category;
    std::string travel_time_source;
    double site_count = 0;
    double total_supply = 0;
    std::vector<AccessVariant> variants;
    struct Commune {
        std::string code, name;
        double population = 0;
        double index = 0;  // per 100 000, variant "all"
    };
    std::vector<Commune> communes;
    std::vector<std::string> warnings;
};

// One `rates/CATEGORY/` directory.
struct RateOutcome {
    std::filesystem::path dir;
    std::string category;
    std::string capacity_measure;
    std::string denominator;
    struct Row {
        std::string level, id, name;
        double sites = 0, capacity = 0, target_population = 0, per_1000 = 0;
    };
    std::vector<Row> rows;
    std::vector<std::string> warnings;
};

// One `optimise/ID/` directory (or the output of `maillage optimise`).
struct OptimiseOutcome {
    std::filesystem::path dir;
    std::string id, title, category, problem;
    double max_minutes = 0;
    double population = 0;
    std::string answer_from;
    bool proven_optimal = false;
    struct Chosen {
        int rank = 0;
        std::string name, commune;
        bool existing = false;
        double marginal_gain = 0;
    };
    std::vector<Chosen> sites;
    std::vector<std::string> uncoverable;
    struct CurvePoint {
        int k = 0;
        double covered_population = 0;
    };
    std::vector<CurvePoint> curve;
};

// One variant of a run: its analyses.
struct VariantOutcome {
    std::string id;     // "baseline" or the variant id
    std::string title;  // from comparison.json (empty for the baseline)
    std::vector<CoverageOutcome> coverage;
    std::vector<AccessOutcome> access;
    std::vector<RateOutcome> rates;
    nlohmann::json comparison;  // the variant's entry of comparison.json (null for the baseline)
};

struct RunOutputs {
    enum class Kind { scenario, coverage, access, rates, optimise };
    Kind kind = Kind::coverage;
    std::filesystem::path dir;
    std::string title;
    std::string question;
    std::vector<std::string> notes;
    std::string network_spec;
    std::string travel_time_source;
    std::vector<VariantOutcome> variants;  // [0] = baseline (or the single analysis)
    std::vector<OptimiseOutcome> optimise;
    std::vector<std::string> warnings;
    nlohmann::json metadata;  // provenance of the run
};

// Reads a run directory. Throws InputError naming the file when `dir` is not a maillage
// output, is incomplete (a run that failed), or a file is malformed.
RunOutputs read_run_outputs(const std::filesystem::path& dir);

}  // namespace maillage::report
