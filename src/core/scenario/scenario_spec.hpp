#pragma once
// A planning scenario as written by a planner (scenarios/*.yaml): the study, the network,
// the analyses, extra baseline sites and variants (lists of changes on the baseline).
// This is pure data: parsing (scenario_parser) checks syntax, keys and types with a
// file:line:column for every error; resolving changes against a loaded study (which site
// is closed, which commune a site goes to) is the runner's job (scenario_runner).
#include <optional>
#include <string>
#include <vector>

namespace maillage {

// Where something was written: file:line:column (1-based), for error messages.
struct SourceMark {
    std::string file;
    int line = 0;
    int column = 0;
    std::string path;                        // the key path in the document, e.g. "variants[0].changes[1]"
    [[nodiscard]] std::string str() const;  // "file:12:5" (or just "file" when line is 0)
};

// Where a site goes: exactly one of commune, lon/lat (WGS84) or x/y (Lambert-93).
struct SitePlacement {
    std::string commune;                 // INSEE code: placed at the commune's representative point
    std::optional<double> lon, lat;      // WGS84 degrees
    std::optional<double> x, y;          // Lambert-93 metres
    [[nodiscard]] bool empty() const { return commune.empty() && !lon && !x; }
};

// Which existing site a change targets: by id, or by name (+ commune to disambiguate).
struct SiteSelector {
    std::string category;   // optional for `id` (ids are unique per category; required when ambiguous)
    std::string id;
    std::string name;
    std::string commune;    // INSEE code
};

struct SiteChange {
    enum class Kind { add, close, move, capacity, depart };
    Kind kind = Kind::add;
    SourceMark mark;        // where the change starts in the file

    // add: a new site
    std::string id;         // optional; default "<variant>-<n>"
    std::string category;
    std::string name;
    SitePlacement placement;               // add, move: where
    std::optional<double> places;          // add, capacity: capacity in places
    std::optional<double> fte;             // add, capacity: full-time equivalents

    // close, move, capacity: the site
    SiteSelector site;

    // depart (practitioners leaving): `category` plus either max_age (per-site ages from the
    // site file) or share (0..1) of the supply (FTE, else count) of the selected sites —
    // all of the category, or those in the listed communes / EPCI / territories, or `site`.
    std::optional<int> max_age;
    std::optional<double> share;
    std::vector<std::string> communes;     // INSEE codes
    std::vector<std::string> epcis;        // SIREN
    std::vector<std::string> territories;  // territory ids
    std::string assumption;                // free text stated in every output
};

const char* to_string(SiteChange::Kind kind);  // "add", "close", ...

struct Variant {
    std::string id;          // [a-z0-9_-]+, unique; also the output sub-directory
    std::string title;
    SourceMark mark;
    std::vector<SiteChange> changes;
};

struct CoverageAnalysisSpec {
    std::string category;
    std::vector<double> thresholds_min;         // empty: the catalogue's bands
    std::optional<double> gap_threshold_min;    // empty: the default (see analysis/defaults)
    bool catchments = true;
    std::optional<double> cell_size_m;          // empty: the default for the network kind
    SourceMark mark;
};

struct AccessAnalysisSpec {
    std::string category = "gp";
    std::vector<int> max_ages;                  // retirement variants
    std::string decay;                          // step-decay CSV; empty: geodata/e2sfca_decay.csv
    std::string demand_weights;                 // optional CSV code_insee,weight
    SourceMark mark;
};

struct RateAnalysisSpec {
    std::string category;
    std::string target;                         // label of the target group (default: the catalogue's)
    std::string target_population;              // optional CSV code_insee,population
    SourceMark mark;
};

struct SiteFileSpec {
    std::string path;
    std::string category;
    std::string crs = "EPSG:4326";
    SourceMark mark;
};

struct StudySpec {
    std::string communes;           // empty: the default (Vienne cache, passed in by the front end)
    std::string communes_layer;
    std::string population;
    std::string territories;
    std::string bpe;
    std::vector<std::string> neighbour_communes;  // BPE counts of these communes within the margin count
    std::vector<std::string> neighbour_population;  // their inhabitants: demand of the access index
    std::optional<double> margin_km;
    bool reference_services = true; // France Services + BPE reference files
};

struct NetworkSpecText {
    std::string spec = "estimated:default";
    std::string profile = "car";
    std::optional<double> max_snap_m;
    std::string mapping;
};

struct DemandSpec {
    std::string method = "point";   // point | grid
    double step_m = 1000;
};

// Where new sites may go (optimise): communes (all, or above a population, or within EPCI /
// territories / a list), the points of a site file, or a regular grid over the study area.
struct CandidatesSpec {
    std::string kind = "communes";          // communes | file | grid
    double min_population = 0;              // communes
    std::vector<std::string> communes;      // communes: only these INSEE codes
    std::vector<std::string> epcis;         // communes / grid: only within these EPCI
    std::vector<std::string> territories;   // communes / grid: only within these territories
    std::string file;                       // file
    std::string crs = "EPSG:4326";          // file: CRS of x/y columns
    double grid_km = 5;                     // grid
};

// A location-allocation problem (maillage optimise, or an `optimise:` item): its answer
// becomes a variant of the scenario (the chosen sites added), compared like any other.
struct OptimiseSpec {
    std::string id;                         // the variant's id ([a-z0-9_-]+)
    std::string title;
    SourceMark mark;
    std::string category;
    std::string problem = "mclp";           // lscp | mclp | pmedian | cmclp | itinerant | access
    std::optional<int> k;                   // new sites (mclp, pmedian, cmclp)
    double max_minutes = 30;                // covering threshold (lscp, mclp, cmclp)
    double share = 1.0;                     // lscp: share of the population to cover
    int curve = 0;                          // coverage curve for k = 1..curve (0: none)
    bool existing_fixed = true;             // existing sites kept (fixed) or free to be dropped
    CandidatesSpec candidates;
    std::optional<double> capacity;         // cmclp: inhabitants a new site can serve
    std::optional<double> capacity_per_unit;// cmclp: inhabitants per place / FTE / count of existing sites
    std::string solver = "both";            // heuristic | exact | both
    double time_limit_s = 60;               // exact solver
    bool write_problem = false;             // also write the instance (problem_pairs.csv) for other tools
    // itinerant (action 2-1-3): k stops bringing the most people within max_minutes, among
    // those farther than `beyond_minutes` from every site of `beyond_categories` (default: the
    // category), then a weekly tour from `base` cut into days of at most `day_budget_minutes`
    // of driving and `stops_per_day` stops.
    std::string base;                       // INSEE code of the commune the tour leaves from
    std::vector<std::string> beyond_categories;
    std::optional<double> beyond_minutes;   // default: max_minutes
    double day_budget_minutes = 150;
    int stops_per_day = 2;
    // access (actions 1-9-2 / 1-9-3): the k communes where `fte` more practitioners raise the
    // APL-style index the most for the people below `threshold_per_100k` (default: the
    // département's mean), the gain counted up to the threshold.
    double fte = 1;
    std::optional<double> threshold_per_100k;
};

struct ScenarioSpec {
    std::string file;               // the scenario file as given
    std::vector<std::string> extends_chain;  // files merged, base first (for provenance)
    std::string title;
    std::string question;
    StudySpec study;
    NetworkSpecText network;
    DemandSpec demand;
    std::vector<SiteFileSpec> site_files;   // extra baseline site files (user data)
    std::vector<SiteChange> baseline_additions;  // sites added to the baseline (kind add only)
    std::vector<CoverageAnalysisSpec> coverage;
    std::vector<AccessAnalysisSpec> access;
    std::vector<RateAnalysisSpec> rates;
    std::vector<Variant> variants;
    std::vector<OptimiseSpec> optimise;
    std::vector<std::string> notes;         // free text (e.g. "no default data for RAM/MAM")
};

}  // namespace maillage
