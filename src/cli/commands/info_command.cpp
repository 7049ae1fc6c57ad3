#include <iostream>

#include "cli/commands.hpp"

namespace maillage::cli {

namespace {
class InfoCommand : public Command {
public:
    std::string name() const override { return "info"; }
    std::string description() const override { return "Print what was loaded"; }
    void setup(CLI::App&) override {}
    int run() override {
        std::cout << "not yet\n";
        return 0;
    }
};
}  // namespace

std::unique_ptr<Command> make_info_command() { return std::make_unique<InfoCommand>(); }

}  // namespace maillage::cli
