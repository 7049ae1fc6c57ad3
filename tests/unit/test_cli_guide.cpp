// The newcomer's path: `maillage` alone prints a guide, every subcommand's help ends with
// real examples, and the README's two commands are exactly what CI runs.
#include <regex>

#include <gtest/gtest.h>

#include "support/cli_runner.hpp"

using namespace maillage::testing;
namespace fs = std::filesystem;

TEST(CliGuide, NoArgumentsPrintsAGuideNotAUsageError) {
    auto r = run_cli("");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    for (const char* part : {"maillage coverage --category france_services", "maillage run scenarios/",
                             "maillage access --category gp", "ESTIMATED", "docs/SCENARIOS.md"})
        EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
}

TEST(CliGuide, EverySubcommandHelpEndsWithExamplesThatNameIt) {
    for (const char* cmd : {"info", "coverage", "access", "matrix", "nearest", "check", "run", "optimise"}) {
        auto r = run_cli(std::string(cmd) + " --help");
        EXPECT_EQ(r.exit_code, 0) << cmd;
        auto at = r.out.find("Examples:");
        ASSERT_NE(at, std::string::npos) << cmd << "\n" << r.out;
        EXPECT_NE(r.out.find("maillage " + std::string(cmd) + " ", at), std::string::npos) << cmd;
    }
}

// The examples of the guide and of `run --help` name scenario files that exist.
TEST(CliGuide, ScenarioFilesNamedInExamplesExist) {
    std::string text = run_cli("").out + run_cli("run --help").out + run_cli("check --help").out;
    std::regex file(R"(scenarios/[A-Za-z0-9_.-]+\.yaml)");
    int found = 0;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), file); it != std::sregex_iterator(); ++it, ++found)
        EXPECT_TRUE(fs::exists(fs::path(MAILLAGE_SOURCE_DIR) / it->str())) << it->str();
    EXPECT_GE(found, 3);
}

// README's quick start has two commands, and .ci/run runs exactly those (and nothing else
// that a newcomer would not type).
TEST(CliGuide, ReadmeTwoCommandsAreWhatCiRuns) {
    std::string readme = read_text(fs::path(MAILLAGE_SOURCE_DIR) / "README.md");
    auto start = readme.find("## Quick start: two commands");
    ASSERT_NE(start, std::string::npos);
    auto block = readme.find("```bash", start);
    auto end = readme.find("```", block + 7);
    ASSERT_NE(block, std::string::npos);
    std::string commands = readme.substr(block + 7, end - block - 7);
    std::vector<std::string> readme_commands;
    std::regex line(R"((bash [^ #\n]+))");
    for (auto it = std::sregex_iterator(commands.begin(), commands.end(), line); it != std::sregex_iterator(); ++it)
        readme_commands.push_back(it->str());
    ASSERT_EQ(readme_commands.size(), 2u) << commands;

    std::string ci = read_text(fs::path(MAILLAGE_SOURCE_DIR) / ".ci/run");
    std::vector<std::string> ci_commands;
    std::regex ci_line(R"(\n(bash [^\n]+))");
    for (auto it = std::sregex_iterator(ci.begin(), ci.end(), ci_line); it != std::sregex_iterator(); ++it)
        ci_commands.push_back((*it)[1].str());
    std::sort(readme_commands.begin(), readme_commands.end());
    std::sort(ci_commands.begin(), ci_commands.end());
    EXPECT_EQ(ci_commands, readme_commands);
    for (const auto& c : readme_commands) EXPECT_TRUE(fs::exists(fs::path(MAILLAGE_SOURCE_DIR) / c.substr(5))) << c;
}
