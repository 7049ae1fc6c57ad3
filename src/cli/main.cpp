// The only place where exceptions become messages and exit codes (see README, "Exit codes").
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include "cli/command.hpp"
#include "util/errors.hpp"
#include "util/progress.hpp"
#include "util/provenance.hpp"
#include "util/staged_directory.hpp"

namespace {

// `maillage` alone: what it does and where to start, rather than a bare usage line.
constexpr const char* kGuide = R"(maillage — travel-time coverage of social services (Département de la Vienne, 86)

It answers: how far is everyone from a France Services, a GP, a pharmacy, a crèche...? Who is
beyond 20 or 30 minutes? What if a site opens, closes or moves? Without a road network of
Vienne, travel times are ESTIMATED from distances (every output says so).

The most useful commands:

  maillage coverage --category france_services -o out/fs
      time to the nearest France Services for every inhabitant of Vienne; per commune, EPCI,
      territoire; gaps; catchment polygons (GeoJSON, GeoPackage for QGIS, CSV, JSON)

  maillage run scenarios/1-2-2_auto_ecoles_solidaires.yaml -o out/ae --pdf
      a scenario file: today, then variants (one, two, three more sites) compared with it,
      and its report for elected officials (out/ae/rapport.html and .pdf)

  maillage serve
      the interactive what-if map: open http://127.0.0.1:8086/, click to add or close a site

  maillage access --category gp --max-ages 60 -o out/apl
      APL-style GP access index per commune, now and if the GPs over 60 retire

  maillage optimise --category auto_ecole_solidaire --problem lscp --max-minutes 30 -o out/opt
      the fewest new sites so that everyone is within 30 minutes (heuristic and exact)

Also: info (what the study holds), check (a scenario file), report (the report of any
output), matrix, nearest.
`maillage COMMAND --help` lists a command's options, with examples.
Docs: README.md, docs/SCENARIOS.md (scenario files), docs/SERVE_API.md, docs/ARCHITECTURE.md.
)";

// SIGINT (Ctrl-C) and SIGTERM: the handler only writes the signal's number into a pipe; a
// thread waiting on it does the rest outside the signal context: removes the staging
// directories and lock files of output sets not yet swapped in (blocking any swap after it, so
// earlier outputs stay as they were), says so, and ends the process with 128 + the signal's
// number (130, 143) as shells do. matrix and nearest stage their CSV and sidecar the same way
// (util/staged_files.hpp). A temporary file of a single-file output (info --json-file, network
// build) may remain as `.NAME.tmpPID.EXT` beside it; the earlier file itself is untouched.
int g_signal_pipe[2] = {-1, -1};

extern "C" void on_signal(int signo) {
    const unsigned char byte = static_cast<unsigned char>(signo);
    const int saved = errno;
    [[maybe_unused]] ssize_t n = ::write(g_signal_pipe[1], &byte, 1);
    errno = saved;
}

void install_signal_handlers() {
    if (::pipe2(g_signal_pipe, O_CLOEXEC) != 0) return;  // then the default action: the next run cleans up
    std::thread([] {
        unsigned char signo = 0;
        while (::read(g_signal_pipe[0], &signo, 1) != 1) {
            if (errno != EINTR) return;
        }
        const char* name = signo == SIGINT ? "SIGINT (interrupted)" : signo == SIGTERM ? "SIGTERM (terminated)" : "a signal";
        // A progress line may be on the terminal: start a new line. Both texts are made before
        // the clean-up, so that the process ends right after it.
        const std::string start = std::string(::isatty(STDERR_FILENO) ? "\n" : "") + "maillage: stopped by " + name;
        const std::string nothing = start + ": nothing was written; earlier outputs are untouched\n";
        const std::string after = start + " after its outputs were written\n";
        const int written = maillage::StagedDirectory::abandon_all_before_exit();
        const std::string& text = written ? after : nothing;
        [[maybe_unused]] ssize_t n = ::write(STDERR_FILENO, text.data(), text.size());
        ::_exit(128 + signo);
    }).detach();
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int signo : {SIGINT, SIGTERM}) {
        struct sigaction previous {};
        // A signal ignored by the parent (nohup, `cmd &` in a non-interactive shell) stays ignored.
        if (::sigaction(signo, nullptr, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        ::sigaction(signo, &action, nullptr);
    }
}

}  // namespace

int main(int argc, char** argv) {
    using maillage::ExitCode;
    if (argc == 1) {
        std::fputs(kGuide, stdout);
        return 0;
    }
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
        sub->footer("\nExamples:\n" + cmd->examples());
        sub->callback([&selected, c = cmd.get()] { selected = c; });
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);  // prints help / the parse error
        return rc == 0 ? 0 : static_cast<int>(ExitCode::usage);
    }

    maillage::Progress::set_enabled(!quiet);
    install_signal_handlers();
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
