// Scenario changes that do not fit the study (Vienne default, no `study:` key): `maillage check`
// and `maillage run` both refuse them with exit 3 and a message at FILE:LINE:COL of the change
// naming the key and what is wrong; `run` then writes nothing and leaves a previous output
// directory as it was. Also: an output path that is a file (exit 4), and one good scenario.
#include <optional>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A scenario on France Services with one variant "v" whose single change is CHANGE.
std::string one_change(const std::string& change) {
    return "title: \"Refus\"\n"
           "analyses:\n"
           "  coverage:\n"
           "    - {category: france_services}\n"
           "variants:\n"
           "  - id: v\n"
           "    changes:\n"
           "      - " + change + "\n";
}

// "LINE:COL" (1-based) of the list item on the first line of TEXT containing NEEDLE: the first
// character after the "- " that starts the item. A NEEDLE starting with '@' names a value: its
// own position.
std::string item_position(const std::string& text, std::string needle) {
    const bool at_value = !needle.empty() && needle.front() == '@';
    if (at_value) needle.erase(0, 1);
    std::istringstream in(text);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n)
        if (line.find(needle) != std::string::npos) {
            auto column = at_value ? line.find(needle) : line.find_first_not_of(" -");
            return std::to_string(n) + ":" + std::to_string(column + 1);
        }
    ADD_FAILURE() << "'" << needle << "' not in the scenario text";
    return "?";
}

std::set<std::string> entries(const fs::path& dir) {
    std::set<std::string> names;
    if (fs::is_directory(dir))
        for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
    return names;
}

// Nothing staged beside OUT: no `.NAME.staging-PID` nor `.NAME.previous-PID`.
void expect_nothing_staged(const fs::path& out) {
    std::string prefix = ".";
    prefix += out.filename().string();
    prefix += '.';
    for (const auto& name : entries(out.parent_path())) EXPECT_FALSE(name.starts_with(prefix)) << "left behind: " << name;
}

struct BadCase {
    std::string name;                      // the test directory
    std::string text;                      // the scenario
    std::string needle;                    // text on the line of the refused item
    std::string key;                       // the key named in the message ("field 'KEY'")
    std::vector<std::string> fragments;    // what the message must say
    std::vector<std::string> absent = {};  // what it must not say
    std::optional<bool> syntax_ok = true;  // `check --syntax-only` accepts it (a study-level error); nullopt: not checked
    bool check_refuses = true;             // `check` refuses it too (false: only `run` is tested here)
};

void expect_message(const CliResult& r, const std::string& location, const BadCase& c, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find(location + ": "), std::string::npos) << "expected at " << location << ":\n" << r.err;
    EXPECT_NE(r.err.find("'" + c.key + "'"), std::string::npos) << "expected the key '" << c.key << "':\n" << r.err;
    for (const auto& f : c.fragments) EXPECT_NE(r.err.find(f), std::string::npos) << "expected '" << f << "':\n" << r.err;
    for (const auto& f : c.absent) EXPECT_EQ(r.err.find(f), std::string::npos) << "unexpected '" << f << "':\n" << r.err;
}

// check, check --syntax-only, run into a new directory, run over an existing one.
void expect_refused(const BadCase& c) {
    fs::path dir = fresh_dir("scn_bad_" + c.name);
    fs::path file = dir / "scenario.yaml";
    write_text(file, c.text);
    std::string location = file.string() + ":" + item_position(c.text, c.needle);

    if (c.check_refuses) expect_message(run_cli("check " + shell_quote(file.string())), location, c, "check");

    if (c.syntax_ok) {
        auto syntax = run_cli("check --syntax-only " + shell_quote(file.string()));
        EXPECT_EQ(syntax.exit_code, *c.syntax_ok ? 0 : 3) << "check --syntax-only:\n" << syntax.err;
    }

    fs::path out = dir / "out";
    expect_message(run_cli("run " + shell_quote(file.string()) + " -o " + shell_quote(out.string())), location, c,
                   "run into a new directory");
    EXPECT_FALSE(fs::exists(out)) << "run refused but created " << out;
    expect_nothing_staged(out);

    // The output of a previous run (maillage's marker in it) is left as it was.
    fs::create_directories(out);
    write_text(out / "marker.txt", "previous outputs\n");
    write_text(out / ".maillage-output", "written by maillage\n");
    expect_message(run_cli("run " + shell_quote(file.string()) + " -o " + shell_quote(out.string())), location, c,
                   "run over an existing directory");
    EXPECT_EQ(entries(out), (std::set<std::string>{".maillage-output", "marker.txt"}));
    EXPECT_EQ(read_text(out / "marker.txt"), "previous outputs\n");
    expect_nothing_staged(out);
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

// A scenario on France Services with one optimise item "o1" whose keys (after id) are ITEM_LINES.
std::string one_optimise(const std::string& item_lines) {
    return "title: \"Refus\"\n"
           "analyses:\n"
           "  coverage:\n"
           "    - {category: france_services}\n"
           "optimise:\n"
           "  - id: o1\n" + item_lines;
}

// The good scenario: Montmorillon's France Services (id 2525) closes, one opens at Availles-Limouzine.
const std::string kGood = one_change("close: {category: france_services, id: \"2525\"}") +
                          "      - add: {category: france_services, name: \"France Services (hypothèse)\", commune: \"86015\"}\n";

}  // namespace

TEST(ScenarioRunnerBadInput, CloseUnknownIdSuggestsTheNearestId) {
    // 25255: one digit too many for 2525, the France Services of Montmorillon.
    expect_refused({"id_typo", one_change("close: {category: france_services, id: \"25255\"}"), "close:", "close",
                    {"no site with id '25255'", "france_services", "did you mean '2525'"}});
}

TEST(ScenarioRunnerBadInput, CloseUnknownIdFarFromAnyId) {
    expect_refused({"id_far", one_change("close: {category: france_services, id: \"9999999\"}"), "close:", "close",
                    {"no site with id '9999999'", "france_services"}, {"did you mean"}});
}

TEST(ScenarioRunnerBadInput, CloseByAnUnknownName) {
    expect_refused({"name_unknown", one_change("close: {category: france_services, name: \"France services de Nulle Part\"}"),
                    "close:", "close", {"no site named 'France services de Nulle Part'", "nearest names"}});
}

TEST(ScenarioRunnerBadInput, CloseByAnAmbiguousName) {
    // No two real sites share a name: two are added to the baseline under the same name.
    std::string text =
        "title: \"Refus\"\n"
        "sites:\n"
        "  add:\n"
        "    - {id: antenne-availles, category: france_services, name: \"Antenne mobile\", commune: \"86015\"}\n"
        "    - {id: antenne-montmorillon, category: france_services, name: \"Antenne mobile\", commune: \"86165\"}\n"
        "analyses:\n"
        "  coverage:\n"
        "    - {category: france_services}\n"
        "variants:\n"
        "  - id: v\n"
        "    changes:\n"
        "      - close: {category: france_services, name: \"Antenne mobile\"}\n";
    expect_refused({"name_ambiguous", text, "close:", "close",
                    {"'Antenne mobile' is ambiguous", "antenne-availles", "antenne-montmorillon"}});
    // The commune tells them apart.
    fs::path dir = fresh_dir("scn_name_commune");
    std::string fixed = text;
    fixed.replace(fixed.rfind("\"Antenne mobile\"}"), 17, "\"Antenne mobile\", commune: \"86165\"}");
    write_text(dir / "scenario.yaml", fixed);
    auto r = run_cli("check " + (dir / "scenario.yaml").string());
    EXPECT_EQ(r.exit_code, 0) << fixed << r.err;
    if (!HasFailure()) fs::remove_all(dir);
}

TEST(ScenarioRunnerBadInput, AddAtAnUnknownCommune) {
    expect_refused({"commune_unknown", one_change("add: {category: france_services, name: \"X\", commune: \"86999\"}"), "add:",
                    "commune", {"unknown commune code '86999'"}});
}

TEST(ScenarioRunnerBadInput, AddOutsideTheStudyArea) {
    // Paris.
    expect_refused({"outside", one_change("add: {category: france_services, name: \"X\", lon: 2.35, lat: 48.85}"), "add:",
                    "lon", {"outside the study area"}});
}

TEST(ScenarioRunnerBadInput, UnknownCategoryInAnAnalysis) {
    std::string text = "title: \"Refus\"\nanalyses:\n  coverage:\n    - {category: gps}\n";
    expect_refused({"category_analysis", text, "gps", "category", {"unknown category 'gps'", "did you mean 'gp'"}});
}

TEST(ScenarioRunnerBadInput, UnknownCategoryInAChange) {
    expect_refused({"category_add", one_change("add: {category: gps, name: \"X\", commune: \"86015\"}"), "add:", "category",
                    {"unknown category 'gps'", "did you mean 'gp'"}});
    expect_refused({"category_close", one_change("close: {category: gps, id: \"2525\"}"), "close:", "category",
                    {"unknown category 'gps'", "did you mean 'gp'"}});
}

TEST(ScenarioRunnerBadInput, DepartInAnUnknownEpciTerritoryOrCommune) {
    // 200070044: one digit off CC Vienne et Gartempe (200070043), listed among the valid ones.
    expect_refused({"depart_epci", one_change("depart: {category: gp, share: 0.5, epcis: [\"200070044\"]}"), "depart:",
                    "epcis", {"unknown EPCI '200070044'", "200070043"}});
    // The territory ids are TS-..., not the names used in prose.
    expect_refused({"depart_territory", one_change("depart: {category: gp, share: 0.5, territories: [montmorillonnais]}"),
                    "depart:", "territories", {"unknown territory 'montmorillonnais'", "TS-MONTMORILLON"}});
    expect_refused({"depart_commune", one_change("depart: {category: gp, share: 0.5, communes: [\"86999\"]}"), "depart:",
                    "communes", {"unknown commune code '86999'"}});
}

TEST(ScenarioRunnerBadInput, VariantNamedBaseline) {
    std::string text = one_change("close: {category: france_services, id: \"2525\"}");
    text.replace(text.find("- id: v\n"), 8, "- id: baseline\n");
    // The reserved id needs no study: the parser refuses it, at the value.
    expect_refused({"variant_baseline", text, "@baseline", "id", {"'baseline'", "reserved", "reference situation"}, {}, false});
}

TEST(ScenarioRunnerBadInput, OutputPathIsAFile) {
    fs::path dir = fresh_dir("scn_out_file");
    write_text(dir / "scenario.yaml", kGood);
    write_text(dir / "out.txt", "not a directory\n");
    auto r = run_cli("run " + (dir / "scenario.yaml").string() + " -o " + (dir / "out.txt").string());
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_NE(r.err.find("out.txt: exists and is not a directory"), std::string::npos) << r.err;
    EXPECT_EQ(read_text(dir / "out.txt"), "not a directory\n");
    expect_nothing_staged(dir / "out.txt");
    // Under a file: cannot be created.
    r = run_cli("run " + (dir / "scenario.yaml").string() + " -o " + (dir / "out.txt" / "sub").string());
    EXPECT_EQ(r.exit_code, 4) << r.err;
    EXPECT_EQ(read_text(dir / "out.txt"), "not a directory\n");
    EXPECT_EQ(entries(dir), (std::set<std::string>{"out.txt", "scenario.yaml"}));
    if (!HasFailure()) fs::remove_all(dir);
}

TEST(ScenarioRunnerBadInput, GoodScenarioClosesOneAndOpensOne) {
    fs::path dir = fresh_dir("scn_good");
    fs::path file = dir / "scenario.yaml";
    write_text(file, kGood);
    auto check = run_cli("check " + file.string());
    EXPECT_EQ(check.exit_code, 0) << check.err;
    EXPECT_NE(check.out.find("every change applies to the study"), std::string::npos) << check.out;

    fs::path out = dir / "out";
    auto r = run_cli("run " + file.string() + " -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_nothing_staged(out);
    auto sites = [&](const std::string& variant) {
        auto s = json::parse(read_text(out / variant / "coverage" / "france_services" / "summary.json"));
        return s["sites"].get<int>();
    };
    EXPECT_GT(sites("baseline"), 1);
    EXPECT_EQ(sites("v"), sites("baseline") - 1 + 1);

    auto comparison = json::parse(read_text(out / "comparison.json"));
    ASSERT_EQ(comparison["variants"].size(), 1u);
    const json& changes = comparison["variants"][0]["changes"];
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0]["kind"], "close");
    EXPECT_EQ(changes[0]["site_removed"], "2525");
    EXPECT_EQ(changes[0]["at"], file.string() + ":" + item_position(kGood, "close:"));
    EXPECT_EQ(changes[1]["kind"], "add");
    EXPECT_EQ(changes[1]["at"], file.string() + ":" + item_position(kGood, "add:"));
    EXPECT_NE(changes[1]["description"].get<std::string>().find("86015"), std::string::npos) << changes[1];
    const json& cov = comparison["variants"][0]["coverage"][0];
    EXPECT_EQ(cov["sites"]["delta"], 0.0);
    ASSERT_EQ(cov["effect_of_each_change"].size(), 2u);
    // Closing Montmorillon's France Services leaves people farther; opening one brings some closer.
    EXPECT_GT(cov["effect_of_each_change"][0]["population_beyond_gap"].get<double>(), 0.0);
    EXPECT_LE(cov["effect_of_each_change"][1]["population_beyond_gap"].get<double>(), 0.0);
    if (!HasFailure()) fs::remove_all(dir);
}

// ---------------------------------------------------------------------------------------------
// optimise: items checked against the study, refused at the item (FILE:LINE:COL of "- id:").

TEST(ScenarioRunnerBadInput, OptimiseUnknownCategory) {
    expect_refused({"optimise_category", one_optimise("    category: france_servics\n    k: 1\n"), "id: o1", "category",
                    {"optimise[0]", "unknown category 'france_servics'", "did you mean 'france_services'"}});
}

TEST(ScenarioRunnerBadInput, OptimiseKLargerThanTheCandidates) {
    // One candidate commune (Montmorillon), three new sites asked.
    expect_refused({"optimise_k",
                    one_optimise("    category: france_services\n    k: 3\n    candidates: {communes: [\"86165\"]}\n"),
                    "id: o1", "k", {"optimise o1", "k = 3 but only 1 candidates", "k at most the number of candidates"},
                    {}, true, /*check_refuses=*/false});
}

TEST(ScenarioRunnerBadInput, OptimiseUnknownEpciInTheCandidates) {
    // 200070044: one digit off CC Vienne et Gartempe (200070043).
    expect_refused({"optimise_epci",
                    one_optimise("    category: france_services\n    k: 1\n    candidates: {epcis: [\"200070044\"]}\n"),
                    "id: o1", "candidates.epcis", {"optimise o1", "unknown EPCI '200070044'"}, {}, true,
                    /*check_refuses=*/false});
}

// `maillage check` loads the study to find, before a run, what does not fit it: an optimise
// item's unknown EPCI or too few candidates need no network either.
TEST(ScenarioRunnerBadInput, OptimiseRefusalsAreFoundByCheckToo) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"k", "    category: france_services\n    k: 3\n    candidates: {communes: [\"86165\"]}\n"},
        {"candidates.epcis", "    category: france_services\n    k: 1\n    candidates: {epcis: [\"200070044\"]}\n"},
        {"candidates.territories", "    category: france_services\n    k: 1\n    candidates: {territories: [montmorillonnais]}\n"},
        {"candidates.communes", "    category: france_services\n    k: 1\n    candidates: {communes: [\"86999\"]}\n"},
    };
    fs::path dir = fresh_dir("scn_optimise_check");
    for (const auto& [key, lines] : cases) {
        SCOPED_TRACE(key);
        const std::string text = one_optimise(lines);
        write_text(dir / "scenario.yaml", text);
        auto r = run_cli("check " + shell_quote((dir / "scenario.yaml").string()));
        EXPECT_EQ(r.exit_code, 3) << "check accepts what run refuses (" << key << "):\n" << r.out << r.err;
        if (r.exit_code != 3) continue;
        EXPECT_NE(r.err.find((dir / "scenario.yaml").string() + ":" + item_position(text, "id: o1") + ": "), std::string::npos)
            << r.err;
        EXPECT_NE(r.err.find("'" + key + "'"), std::string::npos) << r.err;
    }
    if (!HasFailure()) fs::remove_all(dir);
}

TEST(ScenarioRunnerBadInput, OptimiseUnknownTerritoryOrCommuneInTheCandidates) {
    expect_refused({"optimise_territory",
                    one_optimise("    category: france_services\n    k: 1\n    candidates: {territories: [montmorillonnais]}\n"),
                    "id: o1", "candidates.territories", {"optimise o1", "unknown territory 'montmorillonnais'"}, {}, true,
                    /*check_refuses=*/false});
    expect_refused({"optimise_commune",
                    one_optimise("    category: france_services\n    k: 1\n    candidates: {communes: [\"86999\"]}\n"),
                    "id: o1", "candidates.communes", {"optimise o1", "unknown commune code '86999'"}, {}, true,
                    /*check_refuses=*/false});
}

// The good case: the best of two communes for one more France Services within 20 minutes.
TEST(ScenarioRunnerBadInput, GoodOptimiseChoosesOneOfTheCandidates) {
    fs::path dir = fresh_dir("scn_optimise_good");
    fs::path file = dir / "scenario.yaml";
    const std::string text = one_optimise("    category: france_services\n    problem: mclp\n    k: 1\n    max_minutes: 20\n"
                                          "    candidates: {communes: [\"86015\", \"86165\"]}\n");
    write_text(file, text);
    auto check = run_cli("check " + file.string());
    EXPECT_EQ(check.exit_code, 0) << check.err;

    fs::path out = dir / "out";
    auto r = run_cli("run " + file.string() + " -o " + out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    expect_nothing_staged(out);
    EXPECT_EQ(entries(out / "optimise"), std::set<std::string>{"o1"});
    EXPECT_EQ(entries(out / "optimise" / "o1"),
              (std::set<std::string>{"chosen_sites.geojson", "curve.csv", "curve.csv.provenance.json", "summary.json"}));
    EXPECT_TRUE(fs::is_regular_file(out / "o1" / "coverage" / "france_services" / "summary.json"));

    auto summary = json::parse(read_text(out / "optimise" / "o1" / "summary.json"));
    EXPECT_EQ(summary["problem"], "mclp");
    EXPECT_EQ(summary["k"], 1);
    EXPECT_EQ(summary["candidates"]["new"], 2);
    ASSERT_EQ(summary["sites"].size(), 1u) << summary.dump(2);
    const json& site = summary["sites"][0];
    const std::string commune = site.value("commune", "");
    EXPECT_TRUE(commune == "86015" || commune == "86165") << site;
    EXPECT_EQ(site.value("candidate", ""), "commune-" + commune);
    EXPECT_FALSE(site.value("existing", true));
    EXPECT_GE(site.value("marginal_gain", -1.0), 0.0);

    auto comparison = json::parse(read_text(out / "comparison.json"));
    ASSERT_EQ(comparison["variants"].size(), 1u);
    const json& v = comparison["variants"][0];
    EXPECT_EQ(v["variant"], "o1");
    ASSERT_EQ(v["changes"].size(), 1u);
    const json& change = v["changes"][0];
    EXPECT_EQ(change["kind"], "add");
    EXPECT_EQ(change["at"], file.string() + ":" + item_position(text, "id: o1"));
    EXPECT_EQ(change["site_added"], "o1-1");
    EXPECT_NE(change["description"].get<std::string>().find(commune), std::string::npos) << change;
    const json& cov = v["coverage"][0];
    EXPECT_EQ(cov["sites"]["delta"], 1.0);
    // The gain of the chosen site is what the variant brings within 20 minutes.
    const json& dep = cov["departement"];
    if (cov["gap_threshold_minutes"] == 20.0) {
        EXPECT_NEAR(-dep["population_beyond_gap"]["delta"].get<double>(), site["marginal_gain"].get<double>(), 0.5);
        EXPECT_NEAR(summary["exact"]["objective"].get<double>(),
                    dep["population"].get<double>() - dep["population_beyond_gap"]["variant"].get<double>(), 0.5);
    }
    auto scenario = json::parse(read_text(out / "scenario.json"));
    ASSERT_EQ(scenario["optimise"].size(), 1u);
    EXPECT_EQ(scenario["optimise"][0], summary);
    if (!HasFailure()) fs::remove_all(dir);
}
