#pragma once
// Factories of the subcommands, one per file in cli/commands/.
#include <memory>

#include "cli/command.hpp"

namespace maillage::cli {

std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_coverage_command();
std::unique_ptr<Command> make_matrix_command();
std::unique_ptr<Command> make_nearest_command();
std::unique_ptr<Command> make_access_command();
std::unique_ptr<Command> make_check_command();
std::unique_ptr<Command> make_run_command();
std::unique_ptr<Command> make_optimise_command();
std::unique_ptr<Command> make_report_command();
std::unique_ptr<Command> make_serve_command();
std::unique_ptr<Command> make_network_command();

}  // namespace maillage::cli
