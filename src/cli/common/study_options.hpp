#pragma once
// Options every analysis command shares to load the study: territory (communes,
// population, territories) and service sites. Without options: the Vienne default
// from the data cache.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "analysis/defaults.hpp"
#include "analysis/study.hpp"

namespace maillage::cli {

// A file or directory named on the command line, with the option that named it.
struct InputFile {
    std::string option;
    std::filesystem::path path;
};

// Before any work, every named input can be read: InputError (exit 3, naming the file and the
// option) for a missing file, a symbolic-link loop or another file-system error, a FIFO, a
// device or a socket (/dev/zero, a named pipe: they would be read forever), or a text file
// (CSV, JSON, GeoJSON) larger than kMaxTextInputBytes. Directories pass (some GIS formats are
// directories), as do GDAL virtual paths (/vsizip/...).
constexpr std::uintmax_t kMaxTextInputBytes = std::uintmax_t{2} << 30;  // 2 GiB
void check_input_files(const std::vector<InputFile>& inputs);

// Before any work on an output set (coverage, access, optimise): `output` can be replaced
// (StagedDirectory::check_target) and holds none of `inputs` (OutputError, exit 4).
void check_output_directory(const std::string& output, const std::vector<InputFile>& inputs);

struct StudyOptions {
    std::string geodata;
    std::string communes;
    std::string communes_layer;
    std::string population;
    std::string territories;
    std::string epci_layer;
    std::string territories_layer;
    std::vector<std::string> sites;
    std::string sites_category;
    std::string sites_crs = "EPSG:4326";
    std::string bpe;
    std::vector<std::string> neighbour_communes;
    bool with_reference_services = false;
    bool strict = false;
    double margin_km = defaults::kMarginKm;

    void add_to(CLI::App& app);
    // The files (and --geodata directory) these options name.
    [[nodiscard]] std::vector<InputFile> input_files() const;
    [[nodiscard]] TerritorySources territory_sources() const;
    [[nodiscard]] ServiceSources service_sources() const;
};

// The study the options name (the Vienne preset for what they leave out).
[[nodiscard]] StudySources study_sources(const StudyOptions& options);
// Loads it; InputErrors propagate to main().
Study load_study(const StudyOptions& options);

}  // namespace maillage::cli
