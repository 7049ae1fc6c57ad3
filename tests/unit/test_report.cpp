// `maillage report` and `maillage run --report` end to end on a real scenario of the Vienne
// default: the report's structure is checked against the run's own files (every commune once
// per map, legends covering every colour, key figures equal to summary.json / comparison.json),
// it makes no request, it is deterministic, and bad or partial runs are handled.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

// One scenario run (France Services: a closure and an opening) shared by the tests.
const fs::path& scenario_run() {
    static const fs::path out = [] {
        fs::path dir = fresh_dir("report_run") / "out";
        auto r = run_cli("run " + std::string(MAILLAGE_SOURCE_DIR) + "/scenarios/1-1-1_acces_aux_droits.yaml -o " +
                         dir.string() + " --report --date 2026-11-26");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return dir;
    }();
    return out;
}

std::vector<std::string> blocks(const std::string& html, const std::string& open, const std::string& close) {
    std::vector<std::string> out;
    for (std::size_t at = html.find(open); at != std::string::npos; at = html.find(open, at + 1)) {
        const std::size_t end = html.find(close, at);
        out.push_back(html.substr(at, end == std::string::npos ? std::string::npos : end - at));
    }
    return out;
}

std::vector<std::string> all_matches(const std::string& text, const std::regex& re, int group = 1) {
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
        out.push_back((*it)[group].str());
    return out;
}

std::set<std::string> commune_codes(const fs::path& communes_geojson) {
    std::set<std::string> codes;
    const auto layer = nlohmann::json::parse(read_text(communes_geojson));
    for (const auto& f : layer["features"])
        codes.insert(f["properties"]["code"].get<std::string>());
    return codes;
}

void copy_tree(const fs::path& from, const fs::path& to) {
    fs::remove_all(to);
    fs::copy(from, to, fs::copy_options::recursive);
}

}  // namespace

TEST(Report, RunWritesASelfContainedFrenchReport) {
    const fs::path html_path = scenario_run() / "rapport.html";
    ASSERT_TRUE(fs::exists(html_path));
    const std::string html = read_text(html_path);
    EXPECT_NE(html.find("<html lang=\"fr\">"), std::string::npos);
    EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
    // Nothing the browser would fetch: no scheme, no external resource element, only local refs.
    EXPECT_EQ(html.find("http:"), std::string::npos);
    EXPECT_EQ(html.find("https:"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("<link"), std::string::npos);
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    for (const auto& href : all_matches(html, std::regex(R"(href="([^"]*)\")"))) EXPECT_EQ(href.front(), '#') << href;
    for (const auto& url : all_matches(html, std::regex(R"(url\(([^)]*)\))"))) EXPECT_EQ(url.front(), '#') << url;
    EXPECT_LT(html.size(), 2u * 1024 * 1024);
    // The estimate is said where a non-specialist reads it.
    EXPECT_NE(html.find("les temps de trajet sont estimés"), std::string::npos);
    // A page per territoire des solidarités (5 in the provisional table).
    EXPECT_EQ(blocks(html, "<section class=\"page\" id=\"territoire-", ">").size(), 5u);
    // Before / after for each variant.
    const auto comparison = nlohmann::json::parse(read_text(scenario_run() / "comparison.json"));
    for (const auto& v : comparison["variants"])
        EXPECT_NE(html.find("id=\"variant-" + v["variant"].get<std::string>() + "-france_services\""), std::string::npos);
}

TEST(Report, EveryCommuneAppearsOnceInEveryMapAndTheLegendCoversEveryColour) {
    const std::string html = read_text(scenario_run() / "rapport.html");
    const auto codes = commune_codes(scenario_run() / "baseline/coverage/france_services/coverage_communes.geojson");
    ASSERT_EQ(codes.size(), 265u);
    const auto maps = blocks(html, "<svg class=\"map\"", "</svg>");
    ASSERT_GE(maps.size(), 10u);
    const std::regex commune_re(R"re(class="commune[^"]*" data-code="([^"]+)" fill="(#[0-9a-f]{6})")re");
    const std::regex legend_fill_re(R"re(<rect [^>]*fill="(#[0-9a-f]{6})")re");
    for (const auto& map : maps) {
        std::multiset<std::string> seen;
        std::set<std::string> fills;
        for (auto it = std::sregex_iterator(map.begin(), map.end(), commune_re); it != std::sregex_iterator(); ++it) {
            seen.insert((*it)[1].str());
            fills.insert((*it)[2].str());
        }
        EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), codes);
        EXPECT_EQ(seen.size(), codes.size()) << "a commune is drawn twice";
        const std::size_t legend_at = map.find("<g class=\"legend\">");
        ASSERT_NE(legend_at, std::string::npos) << map.substr(0, 120);
        const std::string legend = map.substr(legend_at);
        std::set<std::string> legend_fills;
        for (const auto& f : all_matches(legend, legend_fill_re)) legend_fills.insert(f);
        for (const auto& f : fills) EXPECT_TRUE(legend_fills.count(f)) << "colour " << f << " not in the legend";
    }
}

TEST(Report, KeyFiguresEqualTheRunsOwnNumbers) {
    const std::string html = read_text(scenario_run() / "rapport.html");
    const auto summary = nlohmann::json::parse(read_text(scenario_run() / "baseline/coverage/france_services/summary.json"));
    const auto comparison = nlohmann::json::parse(read_text(scenario_run() / "comparison.json"));
    const std::regex key_re(R"re(class="key-figure" data-key="([^"]+)" data-value="([^"]+)")re");
    int checked = 0;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), key_re); it != std::sregex_iterator(); ++it) {
        const std::string key = (*it)[1].str();
        const double value = std::stod((*it)[2].str());
        if (key.rfind("coverage/france_services/share_within_", 0) == 0) {
            const std::string band = key.substr(std::string("coverage/france_services/share_within_").size());
            const double expected = summary["departement"]["population_within_minutes"][band].get<double>() /
                                    summary["departement"]["population"].get<double>();
            EXPECT_NEAR(value, expected, 1e-12) << key;
            ++checked;
        } else if (key.rfind("variant/", 0) == 0) {
            const std::string id = key.substr(8, key.find('/', 8) - 8);
            bool found = false;
            for (const auto& v : comparison["variants"])
                if (v["variant"] == id) {
                    EXPECT_EQ(value, v["coverage"][0]["departement"]["population_beyond_gap"]["delta"].get<double>()) << key;
                    found = true;
                }
            EXPECT_TRUE(found) << key;
            ++checked;
        } else {
            ADD_FAILURE() << "unexpected key figure " << key;
        }
    }
    EXPECT_GE(checked, 3);
    // The share is printed in French: "97,7 %" with a narrow no-break space.
    const double share = summary["departement"]["population_within_minutes"]["20"].get<double>() /
                         summary["departement"]["population"].get<double>();
    char expected[32];
    std::snprintf(expected, sizeof expected, "%.1f", share * 100.0);
    std::string french(expected);
    french[french.find('.')] = ',';
    EXPECT_NE(html.find(french + "\u202F%"), std::string::npos) << french;
}

TEST(Report, SameOutputsGiveTheSameBytesWhereverTheyAre) {
    const fs::path dir = fresh_dir("report_determinism");
    copy_tree(scenario_run(), dir / "copy");
    auto a = run_cli("report " + scenario_run().string() + " -o " + (dir / "a.html").string() + " --date 2026-11-26");
    ASSERT_EQ(a.exit_code, 0) << a.err;
    auto b = run_cli("report " + (dir / "copy").string() + " -o " + (dir / "b.html").string() + " --date 2026-11-26");
    ASSERT_EQ(b.exit_code, 0) << b.err;
    const std::string ha = read_text(dir / "a.html");
    EXPECT_EQ(ha, read_text(dir / "b.html"));
    // `run --report` built it from the staged set before the swap: same bytes.
    EXPECT_EQ(ha, read_text(scenario_run() / "rapport.html"));
    // No date given: the cover says none, and nothing else changes in the file from the clock.
    auto c = run_cli("report " + scenario_run().string() + " -o " + (dir / "c.html").string());
    ASSERT_EQ(c.exit_code, 0) << c.err;
    EXPECT_EQ(read_text(dir / "c.html").find("novembre 2026"), std::string::npos);
}

TEST(Report, ADirectoryThatIsNotARunIsRefusedAndNothingIsWritten) {
    const fs::path dir = fresh_dir("report_bad");
    auto r = run_cli("report " + (dir / "missing").string() + " -o " + (dir / "r.html").string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("no such directory"), std::string::npos) << r.err;
    fs::create_directories(dir / "other");
    write_text(dir / "other" / "notes.txt", "hello");
    r = run_cli("report " + (dir / "other").string() + " -o " + (dir / "r.html").string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("not the output of a maillage run"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "r.html"));
    // A run whose variant lost its summary (failed or incomplete): the file is named.
    copy_tree(scenario_run(), dir / "partial");
    fs::remove(dir / "partial/fermeture-gencay/coverage/france_services/summary.json");
    r = run_cli("report " + (dir / "partial").string() + " -o " + (dir / "r.html").string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("fermeture-gencay/coverage/france_services/summary.json"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "r.html"));
    // A malformed summary: file and key named.
    copy_tree(scenario_run(), dir / "broken");
    auto s = nlohmann::json::parse(read_text(dir / "broken/baseline/coverage/france_services/summary.json"));
    s["departement"].erase("population");
    write_text(dir / "broken/baseline/coverage/france_services/summary.json", s.dump());
    r = run_cli("report " + (dir / "broken").string() + " -o " + (dir / "r.html").string());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("/departement/population"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "r.html"));
    // A date that is not one.
    r = run_cli("report " + scenario_run().string() + " -o " + (dir / "r.html").string() + " --date 2026-02-30");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("YYYY-MM-DD"), std::string::npos) << r.err;
}

TEST(Report, MissingOptionalPartsAreLeftOutWithANote) {
    const fs::path dir = fresh_dir("report_partial");
    copy_tree(scenario_run(), dir / "run");
    // No sites layer and no territories anywhere.
    for (const auto& e : fs::recursive_directory_iterator(dir / "run")) {
        if (e.path().filename() == "sites.geojson") fs::remove(e.path());
        if (e.path().filename() == "summary.json") {
            auto s = nlohmann::json::parse(read_text(e.path()));
            if (s.contains("territories")) s["territories"] = nlohmann::json::array();
            write_text(e.path(), s.dump());
        }
    }
    auto r = run_cli("report " + (dir / "run").string() + " -o " + (dir / "r.html").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = read_text(dir / "r.html");
    EXPECT_NE(html.find("Les sites ne sont pas dessinés"), std::string::npos);
    EXPECT_NE(html.find("Pages par territoire des solidarités : l'étude n'a pas de découpage"), std::string::npos);
    EXPECT_EQ(html.find("id=\"territoire-"), std::string::npos);
}

TEST(Report, CoverageAndAccessOutputsAreReportedToo) {
    const fs::path dir = fresh_dir("report_kinds");
    auto r = run_cli("coverage --category pharmacie --no-catchments -o " + (dir / "cov").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli("report " + (dir / "cov").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = read_text(dir / "cov/rapport.html");
    EXPECT_NE(html.find("Temps d'accès d'une pharmacie"), std::string::npos);
    r = run_cli("access --category gp -o " + (dir / "acc").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli("report " + (dir / "acc").string() + " -o " + (dir / "acc.html").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string acc = read_text(dir / "acc.html");
    EXPECT_NE(acc.find("Indice d'accessibilité (APL)"), std::string::npos);
    EXPECT_EQ(blocks(acc, "<svg class=\"map\"", "</svg>").size(), 1u);
}

TEST(Report, PdfWithoutChromiumSaysSoAndStillWritesTheHtml) {
    const fs::path dir = fresh_dir("report_nochromium");
    const char* old_path = std::getenv("PATH");
    const std::string saved = old_path ? old_path : "";
    const char* old_chromium = std::getenv("CHROMIUM");
    const std::string saved_chromium = old_chromium ? old_chromium : "";
    ::setenv("PATH", (dir / "empty").c_str(), 1);
    ::unsetenv("CHROMIUM");
    auto r = run_cli("report " + scenario_run().string() + " -o " + (dir / "r.html").string() + " --pdf");
    ::setenv("PATH", saved.c_str(), 1);
    if (old_chromium) ::setenv("CHROMIUM", saved_chromium.c_str(), 1);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("no PDF written: Chromium was not found"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(dir / "r.html"));
    EXPECT_FALSE(fs::exists(dir / "r.pdf"));
    // A Chromium that fails: exit 4 (output), no PDF left behind, the message quotes its log.
    write_text(dir / "fake-chromium", "#!/bin/sh\necho 'cannot print today' >&2\nexit 3\n");
    fs::permissions(dir / "fake-chromium", fs::perms::owner_all);
    r = run_cli("report " + scenario_run().string() + " -o " + (dir / "r.html").string() + " --pdf --chromium " +
                (dir / "fake-chromium").string());
    EXPECT_EQ(r.exit_code, 4);
    EXPECT_NE(r.err.find("cannot print today"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "r.pdf"));
}

// A category without default data (no site at all): every commune unreachable, the gaps
// without minutes; the report says there is no site rather than failing.
TEST(Report, ACategoryWithoutSitesIsReportedAsSuch) {
    const fs::path dir = fresh_dir("report_nosite");
    auto r = run_cli("coverage --category garage_solidaire --no-catchments -o " + (dir / "cov").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_cli("report " + (dir / "cov").string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string html = read_text(dir / "cov/rapport.html");
    EXPECT_NE(html.find("Aucun site Garage solidaire dans les données"), std::string::npos);
    EXPECT_NE(html.find("inaccessible (265)"), std::string::npos);
    EXPECT_NE(html.find("<td>inaccessible</td>"), std::string::npos);
}

// Every scenario of the library gets its report (as run-vienne.sh writes them), with a page per
// variant and analysis, every map complete.
TEST(Report, EveryScenarioOfTheLibraryIsReported) {
    const fs::path dir = fresh_dir("report_library");
    int scenarios = 0;
    for (const auto& e : fs::directory_iterator(fs::path(MAILLAGE_SOURCE_DIR) / "scenarios")) {
        if (e.path().extension() != ".yaml") continue;
        const fs::path out = dir / e.path().stem();
        auto r = run_cli("run " + e.path().string() + " -o " + out.string() + " --report");
        ASSERT_EQ(r.exit_code, 0) << e.path() << "\n" << r.err;
        const std::string html = read_text(out / "rapport.html");
        const auto comparison = nlohmann::json::parse(read_text(out / "comparison.json"));
        // Every variant has its page(s): coverage before / after, or the access index before /
        // after when the change is practitioners leaving (the distance to a site does not move).
        for (const auto& v : comparison["variants"]) {
            const std::string id = v["variant"];
            for (const auto& c : v["coverage"]) {
                const std::string category = c["category"];
                EXPECT_TRUE(html.find("id=\"variant-" + id + "-" + category + "\"") != std::string::npos ||
                            html.find("id=\"variant-" + id + "-access-" + category + "\"") != std::string::npos)
                    << e.path() << " " << id;
            }
            for (const auto& a : v["access"])
                EXPECT_NE(html.find("id=\"variant-" + id + "-access-" + a["category"].get<std::string>() + "\""), std::string::npos)
                    << e.path() << " " << id;
        }
        for (const auto& map : blocks(html, "<svg class=\"map\"", "</svg>"))
            EXPECT_EQ(all_matches(map, std::regex(R"re(class="commune[^"]*" data-code="([^"]+)")re")).size(), 265u) << e.path();
        // Key figures of access variants equal the comparison's mean index change.
        const std::regex access_key(R"re(data-key="variant/([^/"]+)/access/mean_per_100k_delta" data-value="([^"]+)")re");
        for (auto it = std::sregex_iterator(html.begin(), html.end(), access_key); it != std::sregex_iterator(); ++it)
            for (const auto& v : comparison["variants"])
                if (v["variant"] == (*it)[1].str())
                    EXPECT_DOUBLE_EQ(std::stod((*it)[2].str()),
                                     v["access"][0]["index"][0]["mean_per_100k"]["delta"].get<double>());
        ++scenarios;
    }
    EXPECT_GE(scenarios, 7);
}
