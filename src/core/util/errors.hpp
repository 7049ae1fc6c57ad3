#pragma once
// Domain exceptions (libosmium / GEOS style): low-level code throws with what it
// knows, callers add the file or feature they were processing and rethrow.
// Only main() turns them into messages and exit codes.
#include <stdexcept>
#include <string>

namespace maillage {

// Process exit codes, documented in README.md.
enum class ExitCode : int {
    ok = 0,
    internal = 1,       // a bug or an unexpected system failure
    usage = 2,          // bad command line
    invalid_input = 3,  // an input file or scenario is wrong
    output = 4,         // an output could not be written
};

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
    [[nodiscard]] virtual ExitCode exit_code() const { return ExitCode::internal; }
};

class UsageError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::usage; }
};

class OutputError : public Error {
public:
    using Error::Error;
    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::output; }
};

// Where in an input something went wrong. Every part is optional; what() is built as
// "FILE: FEATURE: field 'FIELD': MESSAGE (expected EXPECTED)".
struct InputLocation {
    std::string file;
    std::string feature;   // e.g. "line 12", "feature 86001", "way 1234"
    std::string field;
};

class InputError : public Error {
public:
    InputError(InputLocation where, std::string message, std::string expected = {});

    [[nodiscard]] ExitCode exit_code() const override { return ExitCode::invalid_input; }
    [[nodiscard]] const InputLocation& where() const { return where_; }
    [[nodiscard]] const std::string& message() const { return message_; }
    [[nodiscard]] const std::string& expected() const { return expected_; }

    // Returns a copy with the missing parts of the location filled in.
    [[nodiscard]] InputError with_context(const InputLocation& outer) const;

private:
    InputLocation where_;
    std::string message_;
    std::string expected_;
};

std::string format_location(const InputLocation& where);

}  // namespace maillage
