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

    expect_message(run_cli("check " + shell_quote(file.string())), location, c, "check");

    if (c.syntax_ok) {
        auto syntax = run_cli("check --syntax-only " + shell_quote(file.string()));
        EXPECT_EQ(syntax.exit_code, *c.syntax_ok ? 0 : 3) << "check --syntax-only:\n" << syntax.err;
    }

    fs::path out = dir / "out";
    expect_message(run_cli("run " + shell_quote(file.string()) + " -o " + shell_quote(out.string())), location, c,
                   "run into a new directory");
    EXPECT_FALSE(fs::exists(out)) << "run refused but created " << out;
    expect_nothing_staged(out);

    fs::create_directories(out);
    write_text(out / "marker.txt", "previous outputs\n");
    expect_message(run_cli("run " + shell_quote(file.string()) + " -o " + shell_quote(out.string())), location, c,
                   "run over an existing directory");
    EXPECT_EQ(entries(out), std::set<std::string>{"marker.txt"});
    EXPECT_EQ(read_text(out / "marker.txt"), "previous outputs\n");
    expect_nothing_staged(out);
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
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
