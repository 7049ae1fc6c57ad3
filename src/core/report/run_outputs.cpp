#include "report/run_outputs.hpp"

#include <algorithm>
#include <cmath>

#include "geo/crs.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"
#include "util/json_file.hpp"

namespace maillage::report {

namespace fs = std::filesystem;

namespace {

// Typed access to a run's JSON with errors naming the file and the key: a report of a
// run written by another version, or edited by hand, fails clearly instead of guessing.
class JsonReader {
public:
    explicit JsonReader(fs::path path) : path_(std::move(path)), json_(read_json_file(path_)) {}
    [[nodiscard]] const nlohmann::json& root() const { return json_; }
    [[nodiscard]] std::string file() const { return path_.string(); }

    [[noreturn]] void fail(const std::string& pointer, const std::string& message, const std::string& expected) const {
        throw InputError({file(), pointer, ""}, message, expected);
    }
    const nlohmann::json& at(const nlohmann::json& j, const char* key, const std::string& pointer) const {
        if (!j.is_object() || !j.contains(key)) fail(pointer + "/" + key, "missing key", "a run output of maillage");
        return j.at(key);
    }
    double number(const nlohmann::json& j, const char* key, const std::string& pointer) const {
        const auto& v = at(j, key, pointer);
        if (!v.is_number()) fail(pointer + "/" + key, "not a number: " + v.dump(), "a number");
        return v.get<double>();
    }
    double number_or(const nlohmann::json& j, const char* key, double fallback) const {
        return j.is_object() && j.contains(key) && j.at(key).is_number() ? j.at(key).get<double>() : fallback;
    }
    std::string text(const nlohmann::json& j, const char* key, const std::string& pointer) const {
        const auto& v = at(j, key, pointer);
        if (!v.is_string()) fail(pointer + "/" + key, "not a string: " + v.dump(), "a string");
        return v.get<std::string>();
    }
    std::string text_or(const nlohmann::json& j, const char* key, const std::string& fallback = {}) const {
        return j.is_object() && j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : fallback;
    }
    std::vector<std::string> strings(const nlohmann::json& j, const char* key) const {
        std::vector<std::string> out;
        if (j.is_object() && j.contains(key) && j.at(key).is_array())
            for (const auto& s : j.at(key))
                if (s.is_string()) out.push_back(s.get<std::string>());
        return out;
    }

private:
    fs::path path_;
    nlohmann::json json_;
};

void require_file(const fs::path& path, const std::string& what) {
    if (!fs::is_regular_file(path))
        throw InputError({path.string(), "", ""}, "missing: " + what + " (the run failed or is incomplete?)",
                         "the output set of a finished maillage run");
}

AreaFigures read_area(const JsonReader& r, const nlohmann::json& j, const std::string& pointer,
                      const std::vector<double>& bands, const std::vector<std::string>& keys) {
    AreaFigures a;
    a.id = r.text(j, "id", pointer);
    a.name = r.text(j, "name", pointer);
    a.population = r.number(j, "population", pointer);
    const auto& within = r.at(j, "population_within_minutes", pointer);
    for (std::size_t i = 0; i < bands.size(); ++i)
        a.within.push_back(r.number(within, keys[i].c_str(), pointer + "/population_within_minutes"));
    a.beyond_last_band = r.number_or(j, "population_beyond_last_band", 0);
    a.unreachable = r.number_or(j, "population_unreachable", 0);
    a.mean_minutes = r.number_or(j, "mean_minutes", NAN);
    a.max_minutes = r.number_or(j, "max_minutes", NAN);
    return a;
}

std::string band_json_key(double minutes) {
    // The writer's band_key(): "10", "7.5".
    if (minutes == std::floor(minutes)) return std::to_string(static_cast<long long>(minutes));
    std::string s = std::to_string(minutes);
    while (!s.empty() && s.back() == '0') s.pop_back();
    return s;
}

std::optional<std::vector<SitePoint>> read_sites(const fs::path& path) {
    if (!fs::is_regular_file(path)) return std::nullopt;
    JsonReader r(path);
    std::vector<SitePoint> out;
    const auto& features = r.at(r.root(), "features", "");
    for (std::size_t i = 0; i < features.size(); ++i) {
        const std::string p = "/features/" + std::to_string(i);
        const auto& f = features[i];
        const auto& g = r.at(f, "geometry", p);
        if (g.is_null()) continue;
        const auto& c = r.at(g, "coordinates", p + "/geometry");
        if (!c.is_array() || c.size() < 2 || !c[0].is_number() || !c[1].is_number())
            r.fail(p + "/geometry", "not a point", "[longitude, latitude]");
        const auto& props = r.at(f, "properties", p);
        SitePoint s;
        s.id = props.contains("site_id") && props["site_id"].is_string() ? props["site_id"].get<std::string>() : "";
        s.name = r.text_or(props, "name", r.text_or(props, "site_name"));
        s.position = lonlat_to_lambert93({c[0].get<double>(), c[1].get<double>()});
        out.push_back(std::move(s));
    }
    return out;
}

CoverageOutcome read_coverage(const fs::path& dir) {
    require_file(dir / "summary.json", "summary.json");
    require_file(dir / "coverage_communes.geojson", "coverage_communes.geojson");
    CoverageOutcome c;
    c.dir = dir;
    JsonReader s(dir / "summary.json");
    const auto& j = s.root();
    c.category = s.text(j, "category", "");
    c.category_label = s.text_or(j, "category_label", c.category);
    c.travel_time_source = s.text_or(j, "travel_time_source", "unknown");
    for (const auto& b : s.at(j, "bands_minutes", "")) {
        if (!b.is_number()) s.fail("/bands_minutes", "not a number: " + b.dump(), "minutes");
        c.bands.push_back(b.get<double>());
    }
    if (c.bands.empty()) s.fail("/bands_minutes", "empty", "at least one band");
    std::vector<std::string> keys;
    for (double b : c.bands) keys.push_back(band_json_key(b));
    c.gap_threshold = s.number(j, "gap_threshold_minutes", "");
    c.site_count = s.number(j, "sites", "");
    c.departement = read_area(s, s.at(j, "departement", ""), "/departement", c.bands, keys);
    const auto& ts = s.at(j, "territories", "");
    for (std::size_t i = 0; i < ts.size(); ++i)
        c.territories.push_back(read_area(s, ts[i], "/territories/" + std::to_string(i), c.bands, keys));
    const auto& es = s.at(j, "epci", "");
    for (std::size_t i = 0; i < es.size(); ++i)
        c.epcis.push_back(read_area(s, es[i], "/epci/" + std::to_string(i), c.bands, keys));
    c.warnings = s.strings(j, "warnings");
    c.metadata = j.value("metadata", nlohmann::json::object());

    JsonReader g(dir / "coverage_communes.geojson");
    const auto& features = g.at(g.root(), "features", "");
    for (std::size_t i = 0; i < features.size(); ++i) {
        const std::string p = "/features/" + std::to_string(i) + "/properties";
        const auto& props = g.at(features[i], "properties", "/features/" + std::to_string(i));
        CommuneOutcome co;
        co.code = g.text(props, "code", p);
        co.name = g.text_or(props, "nom", co.code);
        co.epci = g.text_or(props, "epci");
        co.territory = g.text_or(props, "territory");
        co.population = g.number(props, "population", p);
        if (props.contains("mean_minutes") && props["mean_minutes"].is_number())
            co.minutes = props["mean_minutes"].get<double>();
        co.nearest_site = g.text_or(props, "nearest_site_name");
        c.communes.push_back(std::move(co));
    }

    if (fs::is_regular_file(dir / "gaps.csv")) {
        auto t = CsvTable::read(dir / "gaps.csv");
        const auto rank = t.require_column({"rank"}), code = t.require_column({"code"}), nom = t.require_column({"nom"}),
                   pop = t.require_column({"population_beyond"}), mins = t.require_column({"minutes"}),
                   score = t.require_column({"score_person_minutes"}), site = t.require_column({"nearest_site_name"});
        for (const auto& row : t.rows()) {
            GapRow r;
            r.rank = static_cast<int>(parse_count(row.cells[rank], t.file(), row.line, "rank"));
            r.code = row.cells[code];
            r.name = row.cells[nom];
            r.population_beyond = parse_number(row.cells[pop], t.file(), row.line, "population_beyond");
            r.minutes = row.cells[mins].empty() ? NAN : parse_number(row.cells[mins], t.file(), row.line, "minutes");
            // Empty for a commune no site reaches (minutes and the score are unbounded).
            r.person_minutes = row.cells[score].empty() ? NAN : parse_number(row.cells[score], t.file(), row.line, "score_person_minutes");
            r.nearest_site = row.cells[site];
            c.gaps.push_back(std::move(r));
        }
    }
    c.sites = read_sites(dir / "sites.geojson");
    return c;
}

AccessOutcome read_access(const fs::path& dir) {
    require_file(dir / "summary.json", "summary.json");
    require_file(dir / "access.csv", "access.csv");
    AccessOutcome a;
    a.dir = dir;
    JsonReader s(dir / "summary.json");
    const auto& j = s.root();
    a.category = s.text(j, "category", "");
    a.travel_time_source = s.text_or(j, "travel_time_source", "unknown");
    a.site_count = s.number(j, "sites", "");
    a.total_supply = s.number_or(j, "total_supply", NAN);
    const auto& vs = s.at(j, "variants", "");
    for (std::size_t i = 0; i < vs.size(); ++i) {
        const std::string p = "/variants/" + std::to_string(i);
        AccessVariant v;
        v.id = s.text(vs[i], "variant", p);
        v.mean = s.number(vs[i], "mean_per_100k", p);
        v.min = s.number(vs[i], "min_per_100k", p);
        v.max = s.number(vs[i], "max_per_100k", p);
        v.excluded_by_age = s.number_or(vs[i], "sites_excluded_by_age", 0);
        v.without_age = s.number_or(vs[i], "sites_without_age", 0);
        a.variants.push_back(v);
    }
    a.warnings = s.strings(j, "warnings");
    auto t = CsvTable::read(dir / "access.csv");
    const auto code = t.require_column({"code"}), nom = t.require_column({"nom"}), pop = t.require_column({"population"}),
               idx = t.require_column({"access_per_100k_all"});
    for (const auto& row : t.rows())
        a.communes.push_back({row.cells[code], row.cells[nom], parse_number(row.cells[pop], t.file(), row.line, "population"),
                              parse_number(row.cells[idx], t.file(), row.line, "access_per_100k_all")});
    return a;
}

RateOutcome read_rates(const fs::path& dir) {
    require_file(dir / "summary.json", "summary.json");
    RateOutcome r;
    r.dir = dir;
    JsonReader s(dir / "summary.json");
    const auto& j = s.root();
    r.category = s.text(j, "category", "");
    r.capacity_measure = s.text_or(j, "capacity_measure");
    r.denominator = s.text_or(j, "denominator");
    const auto& rows = s.at(j, "rates", "");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::string p = "/rates/" + std::to_string(i);
        RateOutcome::Row row;
        row.level = s.text(rows[i], "level", p);
        row.id = s.text(rows[i], "id", p);
        row.name = s.text(rows[i], "name", p);
        row.sites = s.number(rows[i], "sites", p);
        row.capacity = s.number(rows[i], "capacity", p);
        row.target_population = s.number(rows[i], "target_population", p);
        row.per_1000 = s.number(rows[i], "per_1000", p);
        r.rows.push_back(std::move(row));
    }
    r.warnings = s.strings(j, "warnings");
    return r;
}

OptimiseOutcome read_optimise(const fs::path& dir) {
    require_file(dir / "summary.json", "summary.json");
    OptimiseOutcome o;
    o.dir = dir;
    JsonReader s(dir / "summary.json");
    const auto& j = s.root();
    o.id = s.text_or(j, "id", dir.filename().string());
    o.title = s.text_or(j, "title", o.id);
    o.category = s.text(j, "category", "");
    o.problem = s.text(j, "problem", "");
    o.max_minutes = s.number_or(j, "max_minutes", NAN);
    o.population = s.number_or(j, "population", NAN);
    o.answer_from = s.text_or(j, "answer_from");
    if (j.contains("exact") && j["exact"].is_object()) o.proven_optimal = j["exact"].value("proven_optimal", false);
    const auto& sites = s.at(j, "sites", "");
    for (std::size_t i = 0; i < sites.size(); ++i) {
        const std::string p = "/sites/" + std::to_string(i);
        OptimiseOutcome::Chosen c;
        c.rank = static_cast<int>(s.number(sites[i], "rank", p));
        c.name = s.text_or(sites[i], "name");
        c.commune = s.text_or(sites[i], "commune");
        c.existing = sites[i].value("existing", false);
        c.marginal_gain = s.number_or(sites[i], "marginal_gain", NAN);
        o.sites.push_back(std::move(c));
    }
    for (const auto& u : j.value("uncoverable_communes", nlohmann::json::array()))
        o.uncoverable.push_back(u.is_string() ? u.get<std::string>() : u.dump());
    if (fs::is_regular_file(dir / "curve.csv")) {
        auto t = CsvTable::read(dir / "curve.csv");
        const auto k = t.require_column({"k"}), pop = t.require_column({"covered_population"});
        for (const auto& row : t.rows())
            o.curve.push_back({static_cast<int>(parse_count(row.cells[k], t.file(), row.line, "k")),
                               parse_number(row.cells[pop], t.file(), row.line, "covered_population")});
    }
    return o;
}

std::vector<fs::path> sorted_subdirs(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_directory() && e.path().filename().string().front() != '.') out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

VariantOutcome read_variant(const fs::path& dir, std::string id) {
    VariantOutcome v;
    v.id = std::move(id);
    for (const auto& d : sorted_subdirs(dir / "coverage")) v.coverage.push_back(read_coverage(d));
    for (const auto& d : sorted_subdirs(dir / "access")) v.access.push_back(read_access(d));
    for (const auto& d : sorted_subdirs(dir / "rates")) v.rates.push_back(read_rates(d));
    return v;
}

RunOutputs read_scenario(const fs::path& dir) {
    RunOutputs out;
    out.kind = RunOutputs::Kind::scenario;
    out.dir = dir;
    require_file(dir / "comparison.json", "comparison.json");
    JsonReader s(dir / "scenario.json");
    const auto& j = s.root();
    out.title = s.text_or(j, "title", dir.filename().string());
    out.question = s.text_or(j, "question");
    out.notes = s.strings(j, "notes");
    if (j.contains("network")) {
        out.network_spec = s.text_or(j["network"], "spec");
        out.travel_time_source = s.text_or(j["network"], "travel_time_source", "unknown");
    }
    out.warnings = s.strings(j, "warnings");
    out.metadata = j.value("metadata", nlohmann::json::object());
    if (!fs::is_directory(dir / "baseline")) require_file(dir / "baseline", "baseline/");
    out.variants.push_back(read_variant(dir / "baseline", "baseline"));
    JsonReader c(dir / "comparison.json");
    const auto& variants = c.at(c.root(), "variants", "");
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const std::string p = "/variants/" + std::to_string(i);
        const std::string id = c.text(variants[i], "variant", p);
        if (!fs::is_directory(dir / id))
            throw InputError({(dir / id).string(), "", ""}, "missing: the output of variant '" + id + "' (named in comparison.json)",
                             "the output set of a finished maillage run");
        VariantOutcome v = read_variant(dir / id, id);
        v.title = c.text_or(variants[i], "title", id);
        v.comparison = variants[i];
        out.variants.push_back(std::move(v));
    }
    for (const auto& d : sorted_subdirs(dir / "optimise")) out.optimise.push_back(read_optimise(d));
    return out;
}

}  // namespace

double CoverageOutcome::within(const AreaFigures& area, double minutes) const {
    for (std::size_t i = 0; i < bands.size(); ++i)
        if (bands[i] == minutes) return area.within[i];
    throw std::invalid_argument("not a band of the run: " + std::to_string(minutes));
}

RunOutputs read_run_outputs(const fs::path& dir) {
    if (!fs::is_directory(dir))
        throw InputError({dir.string(), "", ""}, fs::exists(dir) ? "not a directory" : "no such directory",
                         "the output directory of a maillage run");
    if (fs::is_regular_file(dir / "scenario.json")) return read_scenario(dir);
    if (!fs::is_regular_file(dir / "summary.json"))
        throw InputError({dir.string(), "", ""},
                         "not the output of a maillage run: neither scenario.json (maillage run) nor summary.json "
                         "(maillage coverage, access, optimise) is there",
                         "a directory written by maillage run, coverage, access or optimise");
    const auto summary = read_json_file(dir / "summary.json");
    RunOutputs out;
    out.dir = dir;
    VariantOutcome v;
    v.id = "baseline";
    if (summary.contains("bands_minutes")) {
        out.kind = RunOutputs::Kind::coverage;
        v.coverage.push_back(read_coverage(dir));
        out.title = "Accès : " + v.coverage.front().category_label;
        out.travel_time_source = v.coverage.front().travel_time_source;
        out.warnings = v.coverage.front().warnings;
        out.metadata = v.coverage.front().metadata;
    } else if (summary.contains("index")) {
        out.kind = RunOutputs::Kind::access;
        v.access.push_back(read_access(dir));
        out.title = "Indice d'accessibilité : " + v.access.front().category;
        out.travel_time_source = v.access.front().travel_time_source;
        out.warnings = v.access.front().warnings;
        out.metadata = summary.value("metadata", nlohmann::json::object());
    } else if (summary.contains("rates")) {
        out.kind = RunOutputs::Kind::rates;
        v.rates.push_back(read_rates(dir));
        out.title = "Taux d'équipement : " + v.rates.front().category;
        out.warnings = v.rates.front().warnings;
        out.metadata = summary.value("metadata", nlohmann::json::object());
    } else if (summary.contains("problem")) {
        out.kind = RunOutputs::Kind::optimise;
        out.optimise.push_back(read_optimise(dir));
        out.title = out.optimise.front().title;
        out.metadata = summary.value("metadata", nlohmann::json::object());
    } else {
        throw InputError({(dir / "summary.json").string(), "", ""},
                         "not a summary written by maillage coverage, access, rates or optimise",
                         "a key bands_minutes, index, rates or problem");
    }
    if (out.metadata.contains("parameters") && out.metadata["parameters"].contains("network") &&
        out.metadata["parameters"]["network"].is_object())
        out.network_spec = out.metadata["parameters"]["network"].value("spec", "");
    if (out.travel_time_source.empty()) out.travel_time_source = out.metadata.value("travel_time_source", "unknown");
    out.variants.push_back(std::move(v));
    return out;
}

}  // namespace maillage::report
