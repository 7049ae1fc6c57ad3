#pragma once
// osmium-tool style: one class per subcommand. setup() declares and validates
// options, run() does the work and returns the exit code. Commands throw
// maillage::Error subclasses; main() alone turns them into messages.
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace maillage::cli {

class Command {
public:
    virtual ~Command() = default;
    [[nodiscard]] virtual std::string name() const = 0;
    [[nodiscard]] virtual std::string description() const = 0;
    // One or two real command lines, shown at the end of `maillage NAME --help`.
    [[nodiscard]] virtual std::string examples() const = 0;
    // Declare options on the subcommand's CLI::App.
    virtual void setup(CLI::App& app) = 0;
    // Called after parsing: check option combinations, throw UsageError.
    virtual void validate() {}
    virtual int run() = 0;
};

// Every subcommand is listed here; registry.cpp is the one place to add one.
std::vector<std::unique_ptr<Command>> make_commands();

}  // namespace maillage::cli
