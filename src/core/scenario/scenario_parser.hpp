#pragma once
// Reads a scenario file (YAML, schema in docs/SCENARIOS.md) into a ScenarioSpec.
// Every refusal is an InputError whose location starts with "FILE:LINE:COLUMN" (1-based),
// then the path of the key in the document ("variants[1].changes[0]") and the key:
//   scenarios/x.yaml:12:5: analyses.coverage[0]: field 'threshold': unknown key — did you mean 'thresholds'? (...)
// The parser checks syntax, keys, types and ranges only; whether a category, a site or a
// commune exists is checked by the runner against the loaded study.
#include <filesystem>
#include <string>

#include "scenario/scenario_spec.hpp"

namespace maillage {

// Parses FILE and the files it `extends` (relative to the including file's directory).
// Paths inside the scenario are returned resolved against the scenario file's directory,
// lexically normalised (relative when FILE is relative).
ScenarioSpec parse_scenario_file(const std::filesystem::path& file);

// Same, from text (tests, stdin). FILE_LABEL names the text in messages; `extends` and the
// paths inside the text are taken relative to the current directory.
ScenarioSpec parse_scenario_text(const std::string& text, const std::string& file_label);

}  // namespace maillage
