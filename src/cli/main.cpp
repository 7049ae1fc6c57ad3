// The only place where exceptions become messages and exit codes (see README, "Exit codes").
#include <cstdio>
#include <iostream>

#include "cli/command.hpp"
#include "util/errors.hpp"
#include "util/progress.hpp"
#include "util/provenance.hpp"

int main(int argc, char** argv) {
    using maillage::ExitCode;
    CLI::App app{"maillage — travel-time coverage of social services (Vienne, 86)", "maillage"};
    app.set_version_flag("--version", maillage::tool_version());
    app.require_subcommand(1);
    bool quiet = false;
    app.add_flag("-q,--quiet", quiet, "No progress display")->configurable(false);

    auto commands = maillage::cli::make_commands();
    maillage::cli::Command* selected = nullptr;
    for (auto& cmd : commands) {
        CLI::App* sub = app.add_subcommand(cmd->name(), cmd->description());
        cmd->setup(*sub);
        sub->callback([&selected, c = cmd.get()] { selected = c; });
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);  // prints help / the parse error
        return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
    }

    maillage::Progress::set_enabled(!quiet);
    try {
        selected->validate();
        return selected->run();
    } catch (const maillage::Error& e) {
        std::cerr << "maillage: error: " << e.what() << '\n';
        return static_cast<int>(e.exit_code());
    } catch (const std::exception& e) {
        std::cerr << "maillage: internal error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::internal);
    }
}
