// Every scenario of scenarios/*.yaml run end to end (`maillage run FILE -o DIR`), checked for
// consistency rather than figures: the output set is complete, population is conserved, every
// change of the YAML is applied (and located), baseline + the effect of each change = variant,
// an add never lowers coverage and a close never raises it, departures remove the stated share
// of the supply, the access index conserves supply, nothing is left staged, reruns are
// byte-identical. A scenario added to scenarios/ is tested without touching this file.
// `optimise:` items count as variants (after the scenario's own, in order): their changes are
// the answer's sites (adds, plus closes when existing sites are free), and their own outputs
// (DIR/optimise/ID/) agree with the YAML, with each other and with the variant's coverage.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------
// What the YAML says (read here with yaml-cpp, independently of the project's parser).

struct YamlChange {
    std::string kind;        // add, close, move, capacity, depart
    std::string category;    // empty when not written (close by id)
    std::optional<double> share;
    bool selects_part = false;   // depart limited to communes / epcis / territories / a site, or by max_age
    bool has_capacity = false;   // places or fte given
    std::string at;              // FILE:LINE:COL of the change (1-based)
};

struct YamlVariant {
    std::string id;
    std::vector<YamlChange> changes;
};

struct YamlCoverage {
    std::string category;
    bool catchments = true;
    std::vector<double> thresholds;
    std::optional<double> gap_threshold;
};

// An `optimise:` item, with the parser's defaults (docs/SCENARIOS.md).
struct YamlOptimise {
    std::string id;
    std::string category;
    std::string problem = "mclp";
    std::optional<int> k;
    double max_minutes = 30;
    double share = 1.0;
    int curve = 0;
    bool existing_free = false;
    std::string solver = "both";
    std::string at;              // FILE:LINE:COL of the item (1-based): where its variant's changes are located
};

struct YamlScenario {
    std::vector<YamlCoverage> coverage;
    std::vector<std::string> access;   // categories
    std::vector<std::string> rates;    // categories
    std::vector<YamlVariant> variants; // the scenario's own; with_optimise_variants appends one per optimise item
    std::vector<YamlOptimise> optimise;
};

std::string scalar(const YAML::Node& n, const char* key) {
    return n[key] && n[key].IsScalar() ? n[key].as<std::string>() : std::string();
}

template <typename T, typename Key>
void merge_by(std::vector<T>& list, T item, Key key) {
    auto it = std::find_if(list.begin(), list.end(), [&](const T& x) { return key(x) == key(item); });
    if (it != list.end())
        *it = std::move(item);
    else
        list.push_back(std::move(item));
}

std::string mark_of(const fs::path& file, const YAML::Node& node) {
    const YAML::Mark m = node.Mark();
    return file.string() + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

// The scenario FILE with its `extends` chain merged as docs/SCENARIOS.md says (same category /
// same variant id replaces in place, otherwise appended, base first).
YamlScenario read_yaml_layers(const fs::path& file) {
    YAML::Node doc = YAML::LoadFile(file.string());
    YamlScenario s;
    if (doc["extends"]) s = read_yaml_layers((file.parent_path() / doc["extends"].as<std::string>()).lexically_normal());
    const YAML::Node analyses = doc["analyses"];
    if (analyses && analyses["coverage"])
        for (const auto& a : analyses["coverage"]) {
            YamlCoverage c;
            c.category = scalar(a, "category");
            if (a["catchments"]) c.catchments = a["catchments"].as<bool>();
            if (a["thresholds"]) {
                if (a["thresholds"].IsSequence())
                    for (const auto& t : a["thresholds"]) c.thresholds.push_back(t.as<double>());
                else
                    c.thresholds.push_back(a["thresholds"].as<double>());
            }
            if (a["gap_threshold"]) c.gap_threshold = a["gap_threshold"].as<double>();
            merge_by(s.coverage, c, [](const YamlCoverage& x) { return x.category; });
        }
    if (analyses && analyses["access"])
        for (const auto& a : analyses["access"]) {
            std::string category = scalar(a, "category");
            merge_by(s.access, category.empty() ? std::string("gp") : category, [](const std::string& x) { return x; });
        }
    if (analyses && analyses["rates"])
        for (const auto& a : analyses["rates"]) merge_by(s.rates, scalar(a, "category"), [](const std::string& x) { return x; });
    if (doc["variants"])
        for (const auto& v : doc["variants"]) {
            YamlVariant variant;
            variant.id = scalar(v, "id");
            for (const auto& item : v["changes"]) {
                YamlChange c;
                auto kv = item.begin();
                c.kind = kv->first.as<std::string>();
                const YAML::Node body = kv->second;
                c.category = scalar(body, "category");
                if (body["share"]) c.share = body["share"].as<double>();
                c.selects_part = body["communes"] || body["epcis"] || body["territories"] || body["id"] ||
                                 body["name"] || body["max_age"];
                c.has_capacity = body["places"] || body["fte"];
                c.at = mark_of(file, item);
                variant.changes.push_back(c);
            }
            merge_by(s.variants, variant, [](const YamlVariant& x) { return x.id; });
        }
    if (doc["optimise"])
        for (const auto& item : doc["optimise"]) {
            YamlOptimise o;
            o.id = scalar(item, "id");
            o.category = scalar(item, "category");
            if (item["problem"]) o.problem = item["problem"].as<std::string>();
            if (item["k"]) o.k = item["k"].as<int>();
            if (item["max_minutes"]) o.max_minutes = item["max_minutes"].as<double>();
            if (item["share"]) o.share = item["share"].as<double>();
            if (item["curve"]) o.curve = item["curve"].as<int>();
            if (item["existing"]) o.existing_free = item["existing"].as<std::string>() == "free";
            if (item["solver"]) o.solver = item["solver"].as<std::string>();
            o.at = mark_of(file, item);
            merge_by(s.optimise, o, [](const YamlOptimise& x) { return x.id; });
        }
    return s;
}

// The merged scenario, with the coverage analysis the runner adds for an optimise item whose
// category has none (catalogue bands, gap threshold = the item's max_minutes), in item order.
YamlScenario read_yaml_scenario(const fs::path& file) {
    YamlScenario s = read_yaml_layers(file);
    for (const auto& o : s.optimise)
        if (std::none_of(s.coverage.begin(), s.coverage.end(), [&](const YamlCoverage& c) { return c.category == o.category; })) {
            YamlCoverage c;
            c.category = o.category;
            c.gap_threshold = o.max_minutes;
            s.coverage.push_back(c);
        }
    return s;
}

// ---------------------------------------------------------------------------------------------
// Running the scenarios.

std::vector<fs::path> scenario_files() {
    std::vector<fs::path> files;
    fs::path dir = fs::path(MAILLAGE_SOURCE_DIR) / "scenarios";
    if (!fs::is_directory(dir)) return files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

struct ScenarioRun {
    fs::path file;
    fs::path out;
    CliResult result;
    double seconds = 0;
};

fs::path& work_dir_slot() {
    static fs::path dir;
    return dir;
}

fs::path work_dir() {
    fs::path& dir = work_dir_slot();
    if (dir.empty()) dir = fresh_dir("scenario_library");
    return dir;
}

// The runs are kept for the whole program (the rerun test compares with them), then removed
// unless a ScenarioLibrary test failed (to look at them).
class RemoveRunsAtExit : public ::testing::Environment {
public:
    void TearDown() override {
        if (work_dir_slot().empty()) return;
        const auto* unit = ::testing::UnitTest::GetInstance();
        for (int i = 0; i < unit->total_test_suite_count(); ++i)
            if (std::string(unit->GetTestSuite(i)->name()) == "ScenarioLibrary" && unit->GetTestSuite(i)->Failed()) return;
        fs::remove_all(work_dir_slot());
    }
};
[[maybe_unused]] ::testing::Environment* const remove_runs_at_exit = ::testing::AddGlobalTestEnvironment(new RemoveRunsAtExit);

ScenarioRun run_scenario(const fs::path& file, const std::string& suffix) {
    ScenarioRun r;
    r.file = file;
    r.out = work_dir() / (file.stem().string() + suffix);
    auto start = std::chrono::steady_clock::now();
    r.result = run_cli("run " + shell_quote(file.string()) + " -o " + shell_quote(r.out.string()));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

// One run per scenario in this process (the determinism test reuses it when it ran first).
const ScenarioRun& first_run(const fs::path& file) {
    static std::map<fs::path, ScenarioRun> runs;
    auto it = runs.find(file);
    if (it == runs.end()) it = runs.emplace(file, run_scenario(file, "")).first;
    return it->second;
}

json load_json(const fs::path& p) {
    std::string text = read_text(p);
    if (text.empty()) {
        ADD_FAILURE() << p << ": missing or empty";
        return json::object();
    }
    return json::parse(text, nullptr, false);
}

double num(const json& j) { return j.is_number() ? j.get<double>() : std::nan(""); }

// The bands of a population_within_minutes object, in ascending minutes.
std::vector<std::pair<double, std::string>> bands_of(const json& within) {
    std::vector<std::pair<double, std::string>> bands;
    for (auto it = within.begin(); it != within.end(); ++it) bands.emplace_back(std::stod(it.key()), it.key());
    std::sort(bands.begin(), bands.end());
    return bands;
}

// The variant each optimise item becomes, appended after the scenario's own variants in item
// order: one add per new chosen site (rank order), then, when existing sites are free, one close
// per existing site not kept. How many sites is the answer's (summary.json); kind, category and
// location (the item's FILE:LINE:COL) are the YAML's.
void add_optimise_variants(YamlScenario& y, const fs::path& out) {
    for (const auto& o : y.optimise) {
        YamlVariant v;
        v.id = o.id;
        json s = load_json(out / "optimise" / o.id / "summary.json");
        int existing_kept = 0;
        if (s.contains("sites"))
            for (const auto& site : s["sites"]) {
                if (site.value("existing", false)) {
                    ++existing_kept;
                    continue;
                }
                v.changes.push_back({"add", o.category, std::nullopt, false, o.problem == "cmclp", o.at});
            }
        if (o.existing_free && s.contains("candidates"))
            for (int i = existing_kept; i < s["candidates"].value("existing", 0); ++i)
                v.changes.push_back({"close", o.category, std::nullopt, true, false, o.at});
        y.variants.push_back(std::move(v));
    }
}

std::vector<std::string> variant_dirs(const YamlScenario& y) {
    std::vector<std::string> dirs = {"baseline"};
    for (const auto& v : y.variants) dirs.push_back(v.id);
    return dirs;
}

std::set<std::string> entries(const fs::path& dir) {
    std::set<std::string> names;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
}

// ---------------------------------------------------------------------------------------------
// The checks, one scenario at a time.

void check_output_set(const ScenarioRun& run, const YamlScenario& y) {
    SCOPED_TRACE("output set");
    // `.maillage-output` marks a directory maillage wrote (the next run may replace it).
    std::set<std::string> top = {".maillage-output", "scenario.json", "comparison.json", "comparison.csv",
                                 "comparison.csv.provenance.json"};
    for (const auto& v : variant_dirs(y)) top.insert(v);
    if (!y.optimise.empty()) top.insert("optimise");
    EXPECT_EQ(entries(run.out), top);
    for (const auto& v : variant_dirs(y)) {
        fs::path vdir = run.out / v;
        std::set<std::string> kinds;
        if (!y.coverage.empty()) kinds.insert("coverage");
        if (!y.access.empty()) kinds.insert("access");
        if (!y.rates.empty()) kinds.insert("rates");
        EXPECT_EQ(entries(vdir), kinds) << v;
        std::set<std::string> categories;
        for (const auto& c : y.coverage) {
            categories.insert(c.category);
            fs::path d = vdir / "coverage" / c.category;
            for (const char* name : {"summary.json", "coverage_communes.geojson", "sites.geojson", "gaps.csv",
                                     "gaps.csv.provenance.json", "coverage.gpkg", "coverage_communes.qml",
                                     "catchments.qml", "sites.qml"})
                EXPECT_TRUE(fs::is_regular_file(d / name)) << d / name;
            int sites = load_json(d / "summary.json").value("sites", -1);
            EXPECT_EQ(static_cast<int>(load_json(d / "sites.geojson")["features"].size()), sites) << d;
            if (c.catchments) {
                for (const char* name : {"catchments.geojson", "covered.geojson", "not_covered.geojson"})
                    EXPECT_TRUE(fs::is_regular_file(d / name)) << d / name;
                if (sites > 0) {
                    EXPECT_FALSE(load_json(d / "catchments.geojson")["features"].empty()) << d;
                }
            } else {
                // Without catchments: no covered/not_covered areas, and no catchment polygon
                // (catchments.geojson, if written at all, is empty).
                EXPECT_FALSE(fs::exists(d / "covered.geojson")) << d;
                EXPECT_FALSE(fs::exists(d / "not_covered.geojson")) << d;
                if (fs::exists(d / "catchments.geojson")) {
                    EXPECT_TRUE(load_json(d / "catchments.geojson")["features"].empty()) << d;
                }
            }
        }
        if (!y.coverage.empty()) {
            EXPECT_EQ(entries(vdir / "coverage"), categories) << v;
        }
        categories.clear();
        for (const auto& a : y.access) {
            categories.insert(a);
            for (const char* name : {"access_communes.geojson", "access.csv", "access.csv.provenance.json", "summary.json"})
                EXPECT_TRUE(fs::is_regular_file(vdir / "access" / a / name)) << vdir / "access" / a / name;
        }
        if (!y.access.empty()) {
            EXPECT_EQ(entries(vdir / "access"), categories) << v;
        }
        categories.clear();
        for (const auto& r : y.rates) {
            categories.insert(r);
            for (const char* name : {"rates.csv", "rates.csv.provenance.json", "summary.json"})
                EXPECT_TRUE(fs::is_regular_file(vdir / "rates" / r / name)) << vdir / "rates" / r / name;
        }
        if (!y.rates.empty()) {
            EXPECT_EQ(entries(vdir / "rates"), categories) << v;
        }
    }
}

// One population for every variant, category and analysis.
void check_population(const ScenarioRun& run, const YamlScenario& y) {
    SCOPED_TRACE("population conserved");
    double population = std::nan("");
    for (const auto& c : y.coverage)
        for (const auto& v : variant_dirs(y)) {
            SCOPED_TRACE(v + "/coverage/" + c.category);
            fs::path d = run.out / v / "coverage" / c.category;
            json s = load_json(d / "summary.json");
            const json& dep = s["departement"];
            double p = num(dep["population"]);
            ASSERT_TRUE(std::isfinite(p)) << dep.dump();
            if (std::isnan(population)) population = p;
            EXPECT_EQ(p, population) << "every variant and every category counts the same population";

            json communes = load_json(d / "coverage_communes.geojson");
            double sum = 0;
            for (const auto& f : communes["features"]) {
                const json& pop = f["properties"]["population"];
                EXPECT_TRUE(pop.is_number()) << f["properties"].dump();
                sum += num(pop);
            }
            EXPECT_EQ(sum, p) << "Σ coverage_communes.geojson population";

            auto bands = bands_of(dep["population_within_minutes"]);
            ASSERT_FALSE(bands.empty());
            std::vector<double> minutes;
            for (const auto& b : bands) minutes.push_back(b.first);
            EXPECT_EQ(minutes, s["bands_minutes"].get<std::vector<double>>());
            if (!c.thresholds.empty()) {
                EXPECT_EQ(minutes, c.thresholds) << "thresholds of the YAML";
            }
            if (c.gap_threshold) {
                EXPECT_EQ(num(s["gap_threshold_minutes"]), *c.gap_threshold);
            }
            double previous = 0;
            for (const auto& [m, key] : bands) {
                double w = num(dep["population_within_minutes"][key]);
                EXPECT_GE(w, previous) << "within " << key << " min";
                EXPECT_LE(w, p) << "within " << key << " min";
                previous = w;
            }
            EXPECT_NEAR(previous + num(dep["population_beyond_last_band"]), p, 0.15);
            EXPECT_LE(num(dep["population_unreachable"]), num(dep["population_beyond_last_band"]) + 0.05);
            // Territories and EPCI partition the département.
            for (const char* level : {"territories", "epci"}) {
                double level_population = 0;
                std::map<std::string, double> within;
                for (const auto& a : s[level]) {
                    level_population += num(a["population"]);
                    for (const auto& [m, key] : bands) within[key] += num(a["population_within_minutes"][key]);
                }
                EXPECT_NEAR(level_population, p, 0.05) << level;
                for (const auto& [m, key] : bands)
                    EXPECT_NEAR(within[key], num(dep["population_within_minutes"][key]), 0.5) << level << " " << key;
            }
        }
    for (const auto& a : y.access)
        for (const auto& v : variant_dirs(y)) {
            json communes = load_json(run.out / v / "access" / a / "access_communes.geojson");
            double sum = 0;
            for (const auto& f : communes["features"]) sum += num(f["properties"]["population"]);
            if (std::isnan(population)) population = sum;
            EXPECT_EQ(sum, population) << v << "/access/" << a;
        }
}

// The changes of the YAML, in order, each applied once and located where it is written.
void check_changes_applied(const ScenarioRun& run, const YamlScenario& y, const json& comparison) {
    SCOPED_TRACE("every change applied");
    json scenario = load_json(run.out / "scenario.json");
    ASSERT_EQ(comparison["variants"].size(), y.variants.size());
    ASSERT_EQ(scenario["variants"].size(), y.variants.size());
    for (std::size_t i = 0; i < y.variants.size(); ++i) {
        const YamlVariant& yv = y.variants[i];
        const json& cv = comparison["variants"][i];
        SCOPED_TRACE("variant " + yv.id);
        EXPECT_EQ(cv["variant"], yv.id);
        EXPECT_EQ(scenario["variants"][i]["id"], yv.id);
        ASSERT_EQ(cv["changes"].size(), yv.changes.size());
        for (std::size_t k = 0; k < yv.changes.size(); ++k) {
            const json& change = cv["changes"][k];
            EXPECT_EQ(change["kind"], yv.changes[k].kind) << k;
            EXPECT_EQ(change["at"], yv.changes[k].at) << k;
            if (!yv.changes[k].category.empty()) {
                EXPECT_EQ(change["category"], yv.changes[k].category) << k;
            }
            EXPECT_FALSE(change.value("description", "").empty()) << k;
        }
    }
}

// One CSV record (RFC 4180 quotes).
std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

// comparison.csv says what comparison.json says (département coverage rows).
void check_comparison_csv(const ScenarioRun& run, const YamlScenario& y, const json& comparison) {
    SCOPED_TRACE("comparison.csv");
    std::istringstream in(read_text(run.out / "comparison.csv"));
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "variant,analysis,category,level,id,name,measure,baseline,variant_value,delta");
    std::map<std::string, std::vector<std::string>> rows;  // "variant|category|measure" → fields
    std::set<std::string> variants;
    while (std::getline(in, line)) {
        auto f = csv_fields(line);
        EXPECT_EQ(f.size(), 10u) << line;
        if (f.size() != 10) continue;
        variants.insert(f[0]);
        if (f[1] == "coverage" && f[3] == "departement") rows[f[0] + "|" + f[2] + "|" + f[6]] = f;
    }
    std::set<std::string> expected;
    for (const auto& v : y.variants) expected.insert(v.id);
    EXPECT_EQ(variants, expected);
    for (std::size_t i = 0; i < y.variants.size(); ++i)
        for (const auto& cc : comparison["variants"][i]["coverage"]) {
            const json& within = cc["departement"]["population_within_minutes"];
            for (auto it = within.begin(); it != within.end(); ++it) {
                std::string key = y.variants[i].id + "|" + cc.value("category", "") + "|population_within_" + it.key() + "_min";
                auto row = rows.find(key);
                EXPECT_NE(row, rows.end()) << key;
                if (row == rows.end()) continue;
                EXPECT_DOUBLE_EQ(std::stod(row->second[7]), num((*it)["baseline"])) << key;
                EXPECT_DOUBLE_EQ(std::stod(row->second[8]), num((*it)["variant"])) << key;
            }
        }
}

void expect_triple(const json& triple, double baseline, double variant, double tolerance, const std::string& what) {
    EXPECT_NEAR(num(triple["baseline"]), baseline, tolerance) << what << " baseline: " << triple.dump();
    EXPECT_NEAR(num(triple["variant"]), variant, tolerance) << what << " variant: " << triple.dump();
    EXPECT_NEAR(num(triple["delta"]), num(triple["variant"]) - num(triple["baseline"]), 0.15) << what << " delta";
}

const json* find_by(const json& list, const char* key, const std::string& value) {
    for (const auto& x : list)
        if (x.value(key, "") == value) return &x;
    return nullptr;
}

// baseline + Σ effect of each change = variant, the comparison agrees with the summaries,
// and the sign of each effect fits the kind of change.
void check_coverage_comparison(const ScenarioRun& run, const YamlScenario& y, const json& comparison) {
    SCOPED_TRACE("baseline + gains = variant");
    for (std::size_t i = 0; i < y.variants.size(); ++i) {
        const YamlVariant& yv = y.variants[i];
        const json& cv = comparison["variants"][i];
        ASSERT_EQ(cv["coverage"].size(), y.coverage.size()) << yv.id;
        for (const auto& c : y.coverage) {
            SCOPED_TRACE(yv.id + "/coverage/" + c.category);
            const json* found = find_by(cv["coverage"], "category", c.category);
            ASSERT_NE(found, nullptr);
            const json& cc = *found;
            json base = load_json(run.out / "baseline" / "coverage" / c.category / "summary.json");
            json var = load_json(run.out / yv.id / "coverage" / c.category / "summary.json");
            const json& bdep = base["departement"];
            const json& vdep = var["departement"];
            const json& dep = cc["departement"];
            EXPECT_EQ(num(dep["population"]), num(bdep["population"]));
            expect_triple(cc["sites"], num(base["sites"]), num(var["sites"]), 0, "sites");
            expect_triple(dep["mean_minutes"], num(bdep["mean_minutes"]), num(vdep["mean_minutes"]), 0.001, "mean_minutes");
            expect_triple(dep["population_unreachable"], num(bdep["population_unreachable"]),
                          num(vdep["population_unreachable"]), 0.001, "unreachable");

            // The effects: one per change of this category, in the variant's order.
            const json& effects = cc["effect_of_each_change"];
            std::vector<std::size_t> expected_changes, listed_changes;
            for (std::size_t k = 0; k < cv["changes"].size(); ++k)
                if (cv["changes"][k]["category"] == c.category) expected_changes.push_back(k);
            for (const auto& e : effects) listed_changes.push_back(e["change"].get<std::size_t>());
            EXPECT_EQ(listed_changes, expected_changes);

            auto bands = bands_of(bdep["population_within_minutes"]);
            for (const auto& [m, key] : bands) {
                double b = num(bdep["population_within_minutes"][key]);
                double v = num(vdep["population_within_minutes"][key]);
                expect_triple(dep["population_within_minutes"][key], b, v, 0.001, "within " + key);
                double sum = 0;
                for (const auto& e : effects) sum += num(e["population_within_minutes"][key]);
                EXPECT_NEAR(b + sum, v, 0.5) << "within " << key << " min: baseline + Σ effects";
            }
            const json& gap = dep["population_beyond_gap"];
            double gap_sum = 0, person_minutes_sum = 0;
            for (const auto& e : effects) {
                gap_sum += num(e["population_beyond_gap"]);
                person_minutes_sum += num(e["person_minutes"]);
            }
            EXPECT_NEAR(num(gap["baseline"]) + gap_sum, num(gap["variant"]), 0.5) << "beyond gap: baseline + Σ effects";
            EXPECT_NEAR(num(gap["delta"]), num(gap["variant"]) - num(gap["baseline"]), 0.15);
            const json& pm = dep["person_minutes"];
            EXPECT_NEAR(num(pm["baseline"]) + person_minutes_sum, num(pm["variant"]), 0.5 * (effects.size() + 2.0))
                << "person-minutes: baseline + Σ effects";
            // When the gap threshold is a band, beyond the gap = population - within it.
            double gap_minutes = num(base["gap_threshold_minutes"]);
            for (const auto& [m, key] : bands)
                if (m == gap_minutes) {
                    EXPECT_NEAR(num(gap["baseline"]), num(bdep["population"]) - num(bdep["population_within_minutes"][key]), 0.15);
                    EXPECT_NEAR(num(gap["variant"]), num(vdep["population"]) - num(vdep["population_within_minutes"][key]), 0.15);
                }
            // Territories: the comparison's triples are the summaries' values.
            for (const auto& t : cc["territories"]) {
                const json* bt = find_by(base["territories"], "id", t.value("id", ""));
                const json* vt = find_by(var["territories"], "id", t.value("id", ""));
                ASSERT_TRUE(bt && vt) << t["id"];
                for (const auto& [m, key] : bands)
                    expect_triple(t["population_within_minutes"][key], num((*bt)["population_within_minutes"][key]),
                                  num((*vt)["population_within_minutes"][key]), 0.001, t.value("id", "") + " within " + key);
            }

            // Signs: an add never lowers coverage, a close (or departures) never raises it.
            for (const auto& e : effects) {
                std::size_t k = e["change"].get<std::size_t>();
                std::string kind = cv["changes"][k]["kind"];
                SCOPED_TRACE("effect of change " + std::to_string(k) + " (" + kind + ")");
                for (const auto& [m, key] : bands) {
                    double d = num(e["population_within_minutes"][key]);
                    if (kind == "add") {
                        EXPECT_GE(d, 0.0) << "within " << key;
                    }
                    if (kind == "close" || kind == "depart") {
                        EXPECT_LE(d, 0.0) << "within " << key;
                    }
                }
                double g = num(e["population_beyond_gap"]);
                if (kind == "add") {
                    EXPECT_LE(g, 0.0) << "beyond gap";
                }
                if (kind == "close" || kind == "depart") {
                    EXPECT_GE(g, 0.0) << "beyond gap";
                }
            }

            // Site counts follow the changes when they only open and close sites.
            int adds = 0, closes = 0;
            bool only_add_close = true;
            for (std::size_t k : expected_changes) {
                std::string kind = cv["changes"][k]["kind"];
                if (kind == "add") ++adds;
                else if (kind == "close") ++closes;
                else if (kind == "depart") only_add_close = false;
            }
            if (only_add_close) {
                EXPECT_EQ(num(var["sites"]), num(base["sites"]) + adds - closes);
            } else {
                EXPECT_LE(num(var["sites"]), num(base["sites"]));
            }
        }
    }
}

// Access: supply conserved by the index; departures remove their share of the supply.
void check_access(const ScenarioRun& run, const YamlScenario& y, const json& comparison, int& share_checks) {
    SCOPED_TRACE("access");
    for (const auto& a : y.access) {
        std::map<std::string, double> supply;
        for (const auto& v : variant_dirs(y)) {
            SCOPED_TRACE(v + "/access/" + a);
            fs::path d = run.out / v / "access" / a;
            json s = load_json(d / "summary.json");
            supply[v] = num(s["total_supply"]);
            EXPECT_GE(supply[v], 0.0);
            // E2SFCA: Σ population × index = Σ supply of the sites reaching some demand, shared
            // with the inhabitants beyond the study's edge, so the population-weighted mean per
            // 100 000 is (total supply − the part given beyond the edge − the supply reaching
            // nobody) / population × 100 000.
            std::istringstream csv(read_text(d / "access.csv"));
            std::string line;
            std::getline(csv, line);
            ASSERT_TRUE(line.starts_with("code,nom,population,access_per_100k_all")) << line;
            double population = 0, weighted = 0;
            while (std::getline(csv, line)) {
                std::vector<std::string> f;
                std::stringstream ls(line);
                for (std::string x; std::getline(ls, x, ',');) f.push_back(x);
                ASSERT_GE(f.size(), 4u) << line;
                population += std::stod(f[2]);
                weighted += std::stod(f[2]) * std::stod(f[3]);
            }
            ASSERT_GT(population, 0.0);
            const json* all = find_by(s["variants"], "variant", "all");
            ASSERT_NE(all, nullptr) << s["variants"].dump();
            double mean = num((*all)["mean_per_100k"]);
            const double to_study =
                supply[v] - num(s["supply_to_demand_beyond_study_area"]) - num(s["supply_reaching_no_demand"]);
            // (summary figures rounded to 0.01 of a practitioner: 3 of them, over ~440 000 inhabitants)
            EXPECT_NEAR(mean, to_study / population * 1e5, 0.01)
                << "mean_per_100k = supply shared with the study / population";
            EXPECT_NEAR(mean, weighted / population, 0.01) << "mean_per_100k = population-weighted mean of access.csv";
        }
        for (std::size_t i = 0; i < y.variants.size(); ++i) {
            const YamlVariant& yv = y.variants[i];
            SCOPED_TRACE(yv.id + "/access/" + a);
            const json* ca = find_by(comparison["variants"][i]["access"], "category", a);
            ASSERT_NE(ca, nullptr);
            expect_triple((*ca)["total_supply"], supply["baseline"], supply[yv.id], 0.001, "total_supply");
            bool touched = false, only_departs = true, everywhere_by_share = true;
            double remaining = 1;
            for (const auto& c : yv.changes) {
                if (c.category != a) continue;
                touched = true;
                if (c.kind != "depart") only_departs = false;
                if (c.kind != "depart" || !c.share || c.selects_part) everywhere_by_share = false;
                if (c.share) remaining *= 1 - *c.share;
            }
            if (!touched) {
                EXPECT_EQ(supply[yv.id], supply["baseline"]) << "no change of this category";
            } else if (only_departs && everywhere_by_share) {
                EXPECT_NEAR(supply[yv.id], remaining * supply["baseline"], 0.01) << "(1 - share) × baseline supply";
                ++share_checks;
            } else if (only_departs) {
                EXPECT_LE(supply[yv.id], supply["baseline"] + 0.005) << "departures only remove supply";
            }
        }
    }
}

// Rates: levels add up to the département, and the comparison is the summaries.
void check_rates(const ScenarioRun& run, const YamlScenario& y, const json& comparison) {
    SCOPED_TRACE("rates");
    for (const auto& r : y.rates) {
        std::map<std::string, json> summaries;
        for (const auto& v : variant_dirs(y)) {
            SCOPED_TRACE(v + "/rates/" + r);
            json s = load_json(run.out / v / "rates" / r / "summary.json");
            std::map<std::string, double> capacity;
            double departement = std::nan("");
            for (const auto& row : s["rates"]) {
                double cap = num(row["capacity"]), target = num(row["target_population"]);
                if (target > 0) {
                    EXPECT_NEAR(num(row["per_1000"]), cap / target * 1000, 0.0006) << row.dump();
                }
                if (row["level"] == "departement")
                    departement = cap;
                else
                    capacity[row["level"]] += cap;
            }
            ASSERT_FALSE(std::isnan(departement)) << "no departement row";
            for (const auto& [level, cap] : capacity) EXPECT_NEAR(cap, departement, 0.05) << level;
            summaries[v] = s;
        }
        for (std::size_t i = 0; i < y.variants.size(); ++i) {
            const YamlVariant& yv = y.variants[i];
            SCOPED_TRACE(yv.id + "/rates/" + r);
            const json* cr = find_by(comparison["variants"][i]["rates"], "category", r);
            ASSERT_NE(cr, nullptr);
            for (const auto& row : (*cr)["rows"]) {
                const json *b = nullptr, *v = nullptr;
                for (const auto& x : summaries["baseline"]["rates"])
                    if (x["level"] == row["level"] && x["id"] == row["id"]) b = &x;
                for (const auto& x : summaries[yv.id]["rates"])
                    if (x["level"] == row["level"] && x["id"] == row["id"]) v = &x;
                ASSERT_TRUE(b && v) << row.dump();
                expect_triple(row["capacity"], num((*b)["capacity"]), num((*v)["capacity"]), 0.001, row.dump());
                expect_triple(row["per_1000"], num((*b)["per_1000"]), num((*v)["per_1000"]), 0.0001, row.dump());
            }
            bool touched = std::any_of(yv.changes.begin(), yv.changes.end(), [&](const YamlChange& c) { return c.category == r; });
            if (!touched) {
                EXPECT_EQ(summaries[yv.id]["rates"], summaries["baseline"]["rates"]);
            }
        }
    }
}

// curve.csv as rows of fields (header first).
std::vector<std::vector<std::string>> csv_rows(const fs::path& file) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(read_text(file));
    for (std::string line; std::getline(in, line);) rows.push_back(csv_fields(line));
    return rows;
}

// The population of the communes CODES (baseline coverage_communes.geojson of CATEGORY).
double communes_population(const fs::path& out, const std::string& category, const std::set<std::string>& codes) {
    if (codes.empty()) return 0;
    json communes = load_json(out / "baseline" / "coverage" / category / "coverage_communes.geojson");
    double sum = 0;
    std::set<std::string> found;
    for (const auto& f : communes["features"])
        if (codes.count(f["properties"].value("code", ""))) {
            sum += num(f["properties"]["population"]);
            found.insert(f["properties"].value("code", ""));
        }
    EXPECT_EQ(found, codes) << "uncoverable communes are communes of the study";
    return sum;
}

// Each optimise item: its output folder, its summary against the YAML, the chosen sites in the
// summary, the GeoJSON and the variant's changes, the answer against the variant's coverage,
// the two solvers against each other, and the coverage curve.
void check_optimise(const ScenarioRun& run, const YamlScenario& y, const json& comparison) {
    SCOPED_TRACE("optimise");
    json scenario = load_json(run.out / "scenario.json");
    if (y.optimise.empty()) {
        EXPECT_FALSE(fs::exists(run.out / "optimise"));
        EXPECT_TRUE(!scenario.contains("optimise") || scenario["optimise"].empty()) << scenario["optimise"].dump();
        return;
    }
    std::set<std::string> ids;
    for (const auto& o : y.optimise) ids.insert(o.id);
    EXPECT_EQ(entries(run.out / "optimise"), ids);
    ASSERT_TRUE(scenario.contains("optimise"));
    ASSERT_EQ(scenario["optimise"].size(), y.optimise.size());
    for (std::size_t j = 0; j < y.optimise.size(); ++j) {
        const YamlOptimise& o = y.optimise[j];
        SCOPED_TRACE("optimise " + o.id + " (" + o.problem + ")");
        const fs::path dir = run.out / "optimise" / o.id;
        // The four problems of docs/SCENARIOS.md; another kind gets the checks common to all.
        const bool covering_or_median =
            o.problem == "mclp" || o.problem == "lscp" || o.problem == "pmedian" || o.problem == "cmclp";
        const std::set<std::string> files = {"chosen_sites.geojson", "curve.csv", "curve.csv.provenance.json", "summary.json"};
        if (covering_or_median) {
            EXPECT_EQ(entries(dir), files);
        } else {
            auto written = entries(dir);
            EXPECT_TRUE(std::includes(written.begin(), written.end(), files.begin(), files.end())) << dir;
        }
        json s = load_json(dir / "summary.json");
        EXPECT_EQ(scenario["optimise"][j], s) << "scenario.json's optimise list is the summaries, in YAML order";

        // The summary states the problem of the YAML.
        EXPECT_EQ(s.value("id", ""), o.id);
        EXPECT_EQ(s.value("problem", ""), o.problem);
        EXPECT_EQ(s.value("category", ""), o.category);
        if (o.k) {
            EXPECT_EQ(s.value("k", -1), *o.k);
        } else if (covering_or_median) {
            EXPECT_FALSE(s.contains("k")) << s.value("k", -1);
        }
        const bool heuristic = o.solver != "exact", exact = o.solver != "heuristic";
        const std::string answer_from = s.value("answer_from", "");
        const json* answer = nullptr;
        double objective = std::nan("");
        if (covering_or_median) {
            EXPECT_EQ(num(s["max_minutes"]), o.max_minutes);
            EXPECT_EQ(s.value("existing", ""), o.existing_free ? "free" : "fixed");
            if (o.problem == "lscp") {
                EXPECT_EQ(num(s["share"]), o.share);
            }
            EXPECT_EQ(s.contains("heuristic"), heuristic);
            EXPECT_EQ(s.contains("exact"), exact);
            if (exact && answer_from == "cbc") answer = &s["exact"];
            else if (heuristic) answer = &s["heuristic"];
            ASSERT_NE(answer, nullptr) << "answer_from " << answer_from;
            EXPECT_EQ((*answer).value("solver", ""), answer_from);
            EXPECT_TRUE((*answer).value("feasible", false)) << answer->dump();
            objective = num((*answer)["objective"]);
            ASSERT_TRUE(std::isfinite(objective)) << answer->dump();
        }
        ASSERT_TRUE(s.contains("notes") && s["notes"].is_array()) << "notes";
        const json& notes = s["notes"];

        // The chosen sites: how many, ranks, the answer's set.
        ASSERT_TRUE(s.contains("sites") && s["sites"].is_array());
        const json& sites = s["sites"];
        std::size_t new_sites = 0;
        std::set<std::string> chosen;
        for (std::size_t r = 0; r < sites.size(); ++r) {
            EXPECT_EQ(sites[r].value("rank", 0), static_cast<int>(r + 1));
            EXPECT_TRUE(chosen.insert(sites[r].value("candidate", "")).second) << "twice: " << sites[r].dump();
            if (!sites[r].value("existing", false)) ++new_sites;
            if (!o.existing_free) {
                EXPECT_FALSE(sites[r].value("existing", false)) << "existing sites are fixed: " << sites[r].dump();
            }
        }
        if (answer) {
            std::set<std::string> answer_chosen;
            for (const auto& c : (*answer)["chosen"]) answer_chosen.insert(c.get<std::string>());
            EXPECT_EQ(chosen, answer_chosen) << "sites are the answer's chosen candidates";
        }
        if (o.problem == "lscp") {
            // The number of sites: new ones, or every one kept when existing sites are free.
            EXPECT_EQ(static_cast<double>(o.existing_free ? sites.size() : new_sites), objective)
                << "lscp: the answer's objective is its number of sites";
        } else if (covering_or_median && o.k && notes.empty()) {
            EXPECT_EQ(sites.size(), static_cast<std::size_t>(*o.k)) << "k sites (or notes saying why fewer)";
        } else if (o.k) {
            EXPECT_LE(sites.size(), static_cast<std::size_t>(*o.k)) << notes.dump();
        }
        // Ranked greedily: each next site adds the most, so (the objectives being submodular)
        // gains never grow; adding a site never loses anything.
        if (covering_or_median)
            for (std::size_t r = 0; r < sites.size(); ++r) {
                EXPECT_GE(num(sites[r]["marginal_gain"]), 0.0) << sites[r].dump();
                if (r > 0 && o.problem != "cmclp") {
                    EXPECT_LE(num(sites[r]["marginal_gain"]), num(sites[r - 1]["marginal_gain"]) + 0.15) << "rank " << r + 1;
                }
            }

        // chosen_sites.geojson: the same sites, in the same order, as points.
        json geo = load_json(dir / "chosen_sites.geojson");
        ASSERT_TRUE(geo.contains("features") && geo["features"].is_array());
        ASSERT_EQ(geo["features"].size(), sites.size());
        for (std::size_t r = 0; r < sites.size(); ++r) {
            const json& f = geo["features"][r];
            ASSERT_TRUE(f.contains("properties") && f.contains("geometry") && f["geometry"].is_object()) << f.dump();
            const json& p = f["properties"];
            EXPECT_EQ(f["geometry"].value("type", ""), "Point") << f.dump();
            const json& xy = f["geometry"]["coordinates"];
            EXPECT_TRUE(xy.is_array() && xy.size() == 2 && std::isfinite(num(xy[0])) && std::isfinite(num(xy[1])))
                << f["geometry"].dump();
            EXPECT_EQ(p.value("rank", 0), static_cast<int>(r + 1));
            EXPECT_EQ(p.value("candidate", ""), sites[r].value("candidate", ""));
            EXPECT_EQ(p.value("name", ""), sites[r].value("name", ""));
            EXPECT_EQ(p.value("problem", ""), o.problem);
            if (covering_or_median) {
                EXPECT_EQ(p.value("existing", true), sites[r].value("existing", false));
                EXPECT_EQ(p.value("solver", ""), answer_from);
            }
        }

        // The variant: one add per new chosen site, named after it, then the closes.
        const json* cv = find_by(comparison["variants"], "variant", o.id);
        ASSERT_NE(cv, nullptr) << "no variant " << o.id << " in comparison.json";
        const json& changes = (*cv)["changes"];
        std::size_t c = 0;
        for (const auto& site : sites) {
            if (site.value("existing", false)) continue;
            ASSERT_LT(c, changes.size());
            const json& change = changes[c++];
            const std::string rank = std::to_string(site.value("rank", 0));
            EXPECT_EQ(change.value("kind", ""), "add") << change.dump();
            EXPECT_EQ(change.value("category", ""), o.category);
            EXPECT_EQ(change.value("at", ""), o.at);
            EXPECT_EQ(change.value("site_added", ""), o.id + "-" + rank);
            // « Site proposé n° R — NAME » (another kind of problem may say something else than « Site proposé »).
            const std::string name = (covering_or_median ? "'Site proposé" : "") + std::string(" n° ") + rank + " — " +
                                     site.value("name", "") + "'";
            EXPECT_NE(change.value("description", "").find(name), std::string::npos)
                << "expected " << name << " in " << change.dump();
        }
        std::size_t closes = 0;
        for (; c < changes.size(); ++c, ++closes) {
            EXPECT_EQ(changes[c].value("kind", ""), "close") << changes[c].dump();
            EXPECT_EQ(changes[c].value("at", ""), o.at);
            EXPECT_EQ(chosen.count(changes[c].value("site_removed", "")), 0u) << "closes a chosen site: " << changes[c].dump();
        }
        if (!o.existing_free) {
            EXPECT_EQ(closes, 0u) << "existing sites are fixed";
        }
        if (!covering_or_median) {
            std::cout << "[ optimise ] " << o.id << " (" << o.problem << "): " << sites.size()
                      << " site(s), checked as an optimise item of another kind\n";
            continue;
        }

        // The answer against the variant's coverage of the category.
        const json* cc = find_by((*cv)["coverage"], "category", o.category);
        ASSERT_NE(cc, nullptr) << "no coverage of " << o.category << " for variant " << o.id;
        const json& dep = (*cc)["departement"];
        const double population = num(dep["population"]);
        // The population within max_minutes, baseline or variant: the band of that many minutes,
        // or all but the population beyond the gap threshold when that is max_minutes.
        std::string band;
        for (const auto& [m, key] : bands_of(dep["population_within_minutes"]))
            if (m == o.max_minutes) band = key;
        const bool gap_is_max = num((*cc)["gap_threshold_minutes"]) == o.max_minutes;
        auto within_max = [&](const char* which) -> std::optional<double> {
            if (!band.empty()) return num(dep["population_within_minutes"][band][which]);
            if (gap_is_max) return population - num(dep["population_beyond_gap"][which]);
            return std::nullopt;
        };
        const std::optional<double> after = within_max("variant");
        // What the optimisation starts from: the baseline's sites when they are fixed, none when free.
        const std::optional<double> start = o.existing_free ? std::optional<double>(0.0) : within_max("baseline");
        std::set<std::string> uncoverable;
        for (const auto& u : s["uncoverable_communes"]) uncoverable.insert(u.value("code", ""));
        if (o.problem != "lscp") {
            EXPECT_TRUE(uncoverable.empty()) << "uncoverable communes are an lscp answer";
        }
        const double uncoverable_population = communes_population(run.out, o.category, uncoverable);
        if (uncoverable.empty() && covering_or_median) {
            EXPECT_NEAR(num(s["population"]), population, 0.5) << "the problem's population is the département's";
        } else {
            EXPECT_LE(num(s["population"]), population + 0.5);
        }
        double gains = 0;
        for (const auto& site : sites) gains += num(site["marginal_gain"]);
        const double tolerance = 0.5 * (sites.size() + 1.0);
        int coverage_checks = 0;
        if (after && o.problem == "lscp") {
            if (o.share >= 1.0 && uncoverable.empty()) {
                EXPECT_NEAR(*after, population, 0.5) << "everyone within " << o.max_minutes << " min";
            } else if (o.share >= 1.0) {
                EXPECT_GE(*after, population - uncoverable_population - 0.5)
                    << "everyone but the uncoverable communes within " << o.max_minutes << " min";
                EXPECT_LT(*after, population) << "uncoverable communes are not within " << o.max_minutes << " min";
            } else {
                EXPECT_GE(*after + 0.5, o.share * population) << "the share within " << o.max_minutes << " min";
            }
            // Ranked by population covered: start + Σ gains = the variant's.
            EXPECT_NEAR(*start + gains, *after, tolerance) << "start + Σ marginal gains";
            ++coverage_checks;
        } else if (after && o.problem == "mclp") {
            EXPECT_NEAR(objective, *after, 0.5) << "mclp objective = the variant's population within " << o.max_minutes << " min";
            EXPECT_NEAR(*start + gains, objective, tolerance) << "start + Σ marginal gains = objective";
            ++coverage_checks;
        } else if (after && o.problem == "cmclp") {
            EXPECT_LE(objective, *after + 0.5) << "cmclp serves at most the population within " << o.max_minutes << " min";
            ++coverage_checks;
        } else if (o.problem == "pmedian" && num(dep["population_unreachable"]["variant"]) == 0) {
            EXPECT_NEAR(objective, num(dep["person_minutes"]["variant"]), 1.0 + 1e-9 * objective)
                << "p-median objective = the variant's person-minutes";
            ++coverage_checks;
        }
        std::cout << "[ optimise ] " << o.id << " (" << o.problem << "): " << sites.size() << " site(s), "
                  << coverage_checks << " coverage check(s)\n";

        // Heuristic against exact.
        if (exact) {
            const json& e = s["exact"];
            if (!e.value("time_limit_reached", true) && e.value("feasible", false)) {
                EXPECT_TRUE(e.value("proven_optimal", false)) << "CBC finished within its limit: " << e.dump();
            }
        }
        if (heuristic && exact && s["exact"].value("proven_optimal", false)) {
            const double h = num(s["heuristic"]["objective"]), e = num(s["exact"]["objective"]);
            if (o.problem == "mclp" || o.problem == "cmclp") {
                EXPECT_LE(h, e + 0.05) << "the heuristic never beats a proven optimum (maximise)";
            } else if (o.problem == "lscp" || o.problem == "pmedian") {
                EXPECT_GE(h, e - 0.05) << "the heuristic never beats a proven optimum (minimise)";
            }
            EXPECT_EQ(answer_from, "cbc") << "a proven optimum is the answer";
            ASSERT_TRUE(s.contains("heuristic_gap_to_bound"));
            const double hgap = num(s["heuristic_gap_to_bound"]);
            EXPECT_GE(hgap, 0.0);
            const double bound = num(s["exact"]["bound"]);
            EXPECT_NEAR(bound, e, std::max(0.5, 1e-4 * std::abs(e))) << "proven: bound = objective";
            EXPECT_LE(std::abs(num(s["exact"]["gap"])), 1e-4) << s["exact"].dump();
            if (std::abs(bound) >= 1) {
                EXPECT_NEAR(hgap, std::abs(h - bound) / std::abs(bound), 1e-5) << "heuristic_gap_to_bound = |h - bound| / bound";
            }
        }

        // The curve: curve.csv and summary.curve agree; k = 0..K, covered grows by its marginal gains.
        const json& curve = s["curve"];
        ASSERT_TRUE(curve.is_array());
        auto rows = csv_rows(dir / "curve.csv");
        ASSERT_FALSE(rows.empty());
        EXPECT_EQ(rows[0], (std::vector<std::string>{"k", "added_candidate", "added_name", "covered_population", "marginal_gain"}));
        ASSERT_EQ(rows.size(), curve.size() + 1) << "curve.csv rows = summary.curve points";
        EXPECT_FALSE(load_json(dir / "curve.csv.provenance.json").empty());
        if (o.problem == "pmedian") {
            EXPECT_TRUE(curve.empty()) << "no coverage curve for a p-median";
        } else if (o.problem == "mclp" || o.problem == "lscp") {
            EXPECT_EQ(curve.empty(), o.curve == 0) << "curve: " << o.curve;
        }
        if (curve.empty()) continue;
        const json& candidates = s["candidates"];
        const int free_candidates = candidates.value("new", 0) + (o.existing_free ? candidates.value("existing", 0) : 0);
        if (covering_or_median) {
            // k = 0..K, or fewer when no candidate adds anybody any more (everybody covered).
            const int steps = static_cast<int>(curve.size()) - 1, wanted = std::min(o.curve, free_candidates);
            EXPECT_LE(steps, wanted) << "k = 0.." << o.curve;
            if (steps < wanted)
                EXPECT_TRUE(num(curve.back()["covered"]) >= num(s["population"]) - 0.5 || !s["uncoverable_communes"].empty())
                    << "the curve stops at k = " << steps << " of " << wanted << " while people are left to cover";
        }
        std::set<std::string> added;
        for (std::size_t k = 0; k < curve.size(); ++k) {
            const json& p = curve[k];
            const auto& row = rows[k + 1];
            SCOPED_TRACE("curve k = " + std::to_string(k));
            EXPECT_EQ(p.value("k", -1), static_cast<int>(k));
            ASSERT_EQ(row.size(), 5u);
            EXPECT_EQ(row[0], std::to_string(k));
            EXPECT_EQ(std::stod(row[3]), num(p["covered"]));
            EXPECT_EQ(std::stod(row[4]), num(p["marginal"]));
            if (k == 0) {
                EXPECT_TRUE(p["added"].is_null());
                EXPECT_EQ(row[1], "");
                EXPECT_EQ(num(p["marginal"]), 0.0);
                if (start && covering_or_median) {
                    EXPECT_NEAR(num(p["covered"]), *start, 0.5)
                        << "covered(0) = the population within " << o.max_minutes << " min of the fixed sites";
                }
            } else {
                EXPECT_EQ(row[1], p.value("added", ""));
                EXPECT_TRUE(added.insert(p.value("added", "")).second) << "added twice: " << p.dump();
                EXPECT_GE(num(p["covered"]), num(curve[k - 1]["covered"])) << "covered never decreases";
                EXPECT_NEAR(num(p["marginal"]), num(p["covered"]) - num(curve[k - 1]["covered"]), 0.15);
            }
            EXPECT_LE(num(p["covered"]), population + 0.5);
        }
        if (o.problem == "mclp" && o.k && static_cast<std::size_t>(*o.k) < curve.size() && exact &&
            s["exact"].value("proven_optimal", false)) {
            EXPECT_LE(num(curve[*o.k]["covered"]), num(s["exact"]["objective"]) + 0.5) << "greedy ≤ the optimum for k = " << *o.k;
        }
    }
}

void check_nothing_staged(const fs::path& out) {
    std::string prefix = ".";  // .NAME.staging-PID, .NAME.previous-PID
    prefix += out.filename().string();
    prefix += '.';
    for (const auto& e : fs::directory_iterator(out.parent_path()))
        EXPECT_FALSE(e.path().filename().string().starts_with(prefix)) << "left behind: " << e.path();
}

// Every regular file under A and B, relative path → content.
std::map<std::string, std::string> tree(const fs::path& root) {
    std::map<std::string, std::string> files;
    for (const auto& e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = read_text(e.path());
    return files;
}

}  // namespace

TEST(ScenarioLibrary, DirectoryHasScenarios) {
    auto files = scenario_files();
    EXPECT_FALSE(files.empty()) << "no scenarios/*.yaml in " << MAILLAGE_SOURCE_DIR;
}

// All checks on every scenario, each run once.
TEST(ScenarioLibrary, EveryScenarioRunsConsistently) {
    auto files = scenario_files();
    ASSERT_FALSE(files.empty());
    int share_checks = 0;
    for (const auto& file : files) {
        SCOPED_TRACE(file.filename().string());
        const ScenarioRun& run = first_run(file);
        EXPECT_EQ(run.result.exit_code, 0) << run.result.err;
        if (run.result.exit_code != 0) continue;
        YamlScenario y = read_yaml_scenario(file);
        add_optimise_variants(y, run.out);
        json comparison = load_json(run.out / "comparison.json");
        check_output_set(run, y);
        check_population(run, y);
        check_changes_applied(run, y, comparison);
        check_comparison_csv(run, y, comparison);
        check_coverage_comparison(run, y, comparison);
        check_access(run, y, comparison, share_checks);
        check_rates(run, y, comparison);
        check_optimise(run, y, comparison);
        check_nothing_staged(run.out);
        std::cout << "[ scenario ] " << file.filename().string() << ": " << run.seconds << " s\n";
    }
    // 1-9-2 states departures of 51.3 % of the GPs everywhere: its supply check must have run.
    if (std::any_of(files.begin(), files.end(), [](const fs::path& f) { return f.filename() == "1-9-2_medecins.yaml"; })) {
        EXPECT_GE(share_checks, 1);
    }
}

// What the library's optimise items do not exercise (existing sites free, one solver only, a
// share below 1, uncoverable communes, cmclp, a threshold that is not a band, an EPCI
// restriction), on a scenario written here and checked like the library's.
TEST(ScenarioLibrary, OptimiseItemsOfEveryKind) {
    const fs::path file = work_dir() / "optimise_kinds.yaml";
    write_text(file,
               "title: \"Optimisations de toutes sortes\"\n"
               "analyses:\n"
               "  coverage:\n"
               "    - {category: france_services, thresholds: [10, 20, 30], gap_threshold: 20}\n"
               "optimise:\n"
               "  - id: lscp-libre\n"
               "    category: france_services\n"
               "    problem: lscp\n"
               "    max_minutes: 20\n"
               "    share: 0.95\n"
               "    existing: free\n"
               "    solver: heuristic\n"
               "    curve: 5\n"
               "    candidates: {min_population: 2000}\n"
               "  - id: lscp-10-min\n"
               "    category: france_services\n"
               "    problem: lscp\n"
               "    max_minutes: 10\n"
               "    candidates: {min_population: 1500}\n"
               "  - id: cmclp-2\n"
               "    category: france_services\n"
               "    problem: cmclp\n"
               "    k: 2\n"
               "    max_minutes: 20\n"
               "    capacity: 20000\n"
               "    capacity_per_unit: 15000\n"
               "    candidates: {min_population: 1000}\n"
               "  - id: mclp-exact-gp\n"
               "    category: gp\n"
               "    problem: mclp\n"
               "    k: 2\n"
               "    max_minutes: 12.5\n"
               "    solver: exact\n"
               // 2: a third Montmorillonais candidate covers nobody new within 12.5 min since the
               // estimate's margin nodes (Coulonges-les-Hérolles, Brigueil-le-Chantre's gain, is
               // now within 11.5 min of Lussac-les-Églises, Haute-Vienne), and an MCLP does not
               // report the people out of every candidate's reach that the curve check expects.
               "    curve: 2\n"
               "    candidates: {epcis: [\"200070043\"]}\n"
               // Everyone is within 30 min of a France Services already: no site gains anything,
               // and the answer must still give k sites (or say why not).
               "  - {id: mclp-sans-gain, category: france_services, k: 2, solver: heuristic,\n"
               "     candidates: {communes: [\"86015\", \"86165\"]}}\n");
    const ScenarioRun& run = first_run(file);
    ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
    YamlScenario y = read_yaml_scenario(file);
    ASSERT_EQ(y.optimise.size(), 5u);
    ASSERT_EQ(y.coverage.size(), 2u) << "the coverage of gp is added for its optimise item";
    EXPECT_EQ(y.coverage[1].gap_threshold, 12.5);
    add_optimise_variants(y, run.out);
    json comparison = load_json(run.out / "comparison.json");
    int share_checks = 0;
    check_output_set(run, y);
    check_population(run, y);
    check_changes_applied(run, y, comparison);
    check_comparison_csv(run, y, comparison);
    check_coverage_comparison(run, y, comparison);
    check_access(run, y, comparison, share_checks);
    check_rates(run, y, comparison);
    check_optimise(run, y, comparison);
    check_nothing_staged(run.out);
    // Some of what this scenario is for did happen.
    json lscp10 = load_json(run.out / "optimise" / "lscp-10-min" / "summary.json");
    EXPECT_FALSE(lscp10["uncoverable_communes"].empty()) << "10 min from communes of 1 500 inhabitants: some are too far";
    json libre = load_json(run.out / "optimise" / "lscp-libre" / "summary.json");
    EXPECT_FALSE(libre.contains("exact"));
    std::cout << "[ scenario ] optimise_kinds.yaml: " << run.seconds << " s\n";
}

// Two runs of the two smallest scenarios (variants × analyses): every file byte-identical.
TEST(ScenarioLibrary, RerunsAreByteIdentical) {
    auto files = scenario_files();
    ASSERT_FALSE(files.empty());
    std::vector<std::pair<std::size_t, fs::path>> by_work;
    for (const auto& f : files) {
        YamlScenario y = read_yaml_scenario(f);
        by_work.emplace_back((1 + y.variants.size() + y.optimise.size()) * (y.coverage.size() + y.access.size() + y.rates.size()), f);
    }
    std::sort(by_work.begin(), by_work.end());
    for (std::size_t i = 0; i < std::min<std::size_t>(2, by_work.size()); ++i) {
        const fs::path& file = by_work[i].second;
        SCOPED_TRACE(file.filename().string());
        const ScenarioRun& first = first_run(file);
        ScenarioRun second = run_scenario(file, "-rerun");
        EXPECT_EQ(first.result.exit_code, 0) << first.result.err;
        EXPECT_EQ(second.result.exit_code, 0) << second.result.err;
        if (first.result.exit_code != 0 || second.result.exit_code != 0) continue;
        auto a = tree(first.out), b = tree(second.out);
        ASSERT_FALSE(a.empty());
        std::vector<std::string> names_a, names_b;
        for (const auto& [name, text] : a) names_a.push_back(name);
        for (const auto& [name, text] : b) names_b.push_back(name);
        EXPECT_EQ(names_a, names_b);
        for (const auto& [name, text] : a) {
            auto it = b.find(name);
            if (it != b.end()) {
                EXPECT_TRUE(text == it->second) << name << " differs between two runs";
            }
        }
        check_nothing_staged(second.out);
        fs::remove_all(second.out);
    }
}
