// The newcomer's path: `maillage` alone prints a guide, every subcommand's help ends with
// real examples, and the README's two commands are exactly what CI runs.
#include <regex>
#include <sstream>

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
    for (const char* cmd : {"info", "coverage", "access", "matrix", "nearest", "check", "run", "optimise", "report", "serve"}) {
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

// Every example of every `--help` runs as written (so they cannot rot): in a scratch directory
// that sees the repository's geodata/ and scenarios/, with the few files an example names as
// the user's own (homes.csv... : points given by this test) written there first. `serve` is
// left out (it serves until stopped; tests/browser/serve_*.mjs run it).
TEST(CliGuide, EveryHelpExampleRuns) {
    const fs::path dir = fresh_dir("help_examples");
    const fs::path source(MAILLAGE_SOURCE_DIR);
    fs::create_directory_symlink(source / "geodata", dir / "geodata");
    fs::create_directory_symlink(source / "scenarios", dir / "scenarios");
    // Points the examples name as the user's: Liechtenstein (matrix on its OSM extract) and Vienne.
    write_text(dir / "homes.csv", "id,lon,lat\nvaduz,9.5209,47.1410\nschaan,9.5095,47.1650\n");
    write_text(dir / "doctors.csv", "id,lon,lat\ntriesen,9.5281,47.1070\nbalzers,9.4988,47.0667\n");
    write_text(dir / "medecins.csv", "id,lon,lat\npoitiers,0.3404,46.5802\nmontmorillon,0.8706,46.4264\n");
    write_text(dir / "adresses.csv", "id,lon,lat\nlusignan,0.1217,46.4353\nloudun,0.0786,47.0097\n");
    int ran = 0;
    // `run` before `report`: the report examples read what the run examples wrote.
    for (const char* cmd : {"info", "coverage", "access", "matrix", "nearest", "check", "run", "optimise", "report", "network"}) {
        const std::string help = run_cli(std::string(cmd) + " --help").out;
        const auto at = help.find("Examples:");
        ASSERT_NE(at, std::string::npos) << cmd;
        std::istringstream lines(help.substr(at));
        for (std::string line; std::getline(lines, line);) {
            const auto start = line.find_first_not_of(' ');
            if (start == std::string::npos || line.compare(start, 9, "maillage ") != 0) continue;
            const std::string args = line.substr(start + 9);
            const std::string command = "cd " + shell_quote(dir.string()) + " && " + std::string(MAILLAGE_BINARY) + " " + args +
                                        " >/dev/null 2>" + shell_quote((dir / "err.txt").string()) + " </dev/null";
            const int status = std::system(command.c_str());
            EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
                << "maillage " << args << "\n" << read_text(dir / "err.txt");
            ++ran;
        }
    }
    EXPECT_GE(ran, 16);
    EXPECT_TRUE(fs::exists(dir / "out/rapport.html"));
    if (fs::exists("/usr/bin/chromium")) EXPECT_TRUE(fs::exists(dir / "out/ae/rapport.pdf"));
}
