#include "cli/command.hpp"
#include "cli/commands.hpp"

namespace maillage::cli {

std::vector<std::unique_ptr<Command>> make_commands() {
    std::vector<std::unique_ptr<Command>> out;
    out.push_back(make_info_command());
    out.push_back(make_coverage_command());
    out.push_back(make_matrix_command());
    out.push_back(make_nearest_command());
    out.push_back(make_access_command());
    out.push_back(make_check_command());
    out.push_back(make_run_command());
    out.push_back(make_optimise_command());
    out.push_back(make_report_command());
    out.push_back(make_serve_command());
    out.push_back(make_network_command());
    return out;
}

}  // namespace maillage::cli
