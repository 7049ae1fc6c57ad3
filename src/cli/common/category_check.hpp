#pragma once
// `--category KEY` checked against the catalogue before any work: an unknown key is a usage
// error (exit 2) naming the option, with the nearest known key ("did you mean ...?").
#include <string>

namespace maillage::cli {

// Reads <geodata>/service_catalogue.csv (`geodata`: the --geodata option, may be empty). Throws
// UsageError if `category` is not one of its keys. If the catalogue itself cannot be read, does
// nothing: loading the study reports that (exit 3) with the file's own message.
void check_category_option(const std::string& category, const std::string& geodata,
                           const std::string& option = "--category");

}  // namespace maillage::cli
