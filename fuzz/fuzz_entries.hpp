#pragma once
// The entry points the fuzz targets (fuzz/fuzz_*.cpp) and their regression test
// (tests/unit/test_fuzz_regressions.cpp) share: each takes the raw bytes of one input file
// and reads them as maillage reads that kind of file. Readers that only take a path get the
// bytes through a temporary file, with the extension that selects the reader.
//
// The contract under test: any input is either accepted or refused with an InputError (exit
// 3, the file named). Anything else escaping — another exception (an "internal error" for
// the user), a sanitizer report, a crash, a hang — is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <system_error>

#include <gdal.h>

#include "geo/ogr_ptr.hpp"
#include "geo/point_file.hpp"
#include "network/estimated_network.hpp"
#include "network/profile.hpp"
#include "network/roads_loader.hpp"
#include "scenario/scenario_parser.hpp"
#include "territory/commune_reader.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage::fuzz {

// A directory of this process for the temporary input files, removed at exit.
inline const std::filesystem::path& scratch_dir() {
    static const std::filesystem::path dir = [] {
        std::filesystem::path d = std::filesystem::temp_directory_path() / ("maillage-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    static const struct Remover {
        ~Remover() {
            std::error_code ec;
            std::filesystem::remove_all(dir, ec);
        }
    } remover;
    return dir;
}

// Writes `bytes` to the scratch directory as NAME and returns its path.
inline std::filesystem::path scratch_file(std::string_view bytes, const std::string& name) {
    std::filesystem::path p = scratch_dir() / name;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) throw std::runtime_error("fuzz: cannot write " + p.string());
    return p;
}

// CsvTable::parse (the reader behind every CSV input), then every cell through the shared
// number parsers, as the loaders do. The separator is detected, as for every input file,
// unless the first byte is \x01, \x02 or \x03: then ',', ';' or tab is given explicitly.
inline void csv_table(std::string_view bytes) {
    char delimiter = CsvTable::kDetectDelimiter;
    if (!bytes.empty() && bytes[0] >= 1 && bytes[0] <= 3) {
        delimiter = ",;\t"[bytes[0] - 1];
        bytes.remove_prefix(1);
    }
    CsvTable t = CsvTable::parse(std::string(bytes), "fuzz.csv", delimiter);
    (void)t.column("id");
    for (const auto& row : t.rows())
        for (std::size_t c = 0; c < row.cells.size(); ++c) {
            const std::string& field = c < t.header().size() ? t.header()[c] : std::string("?");
            try {
                (void)parse_number(row.cells[c], t.file(), row.line, field);
            } catch (const InputError&) {
            }
            try {
                (void)parse_count(row.cells[c], t.file(), row.line, field);
            } catch (const InputError&) {
            }
        }
}

// read_points on a CSV file (id + lon/lat, or id + x/y in Lambert-93): sites, --points.
inline void point_file(std::string_view bytes) { (void)read_points(scratch_file(bytes, "points.csv")); }

// parse_scenario_text: the scenario file parser (YAML), `maillage check --syntax-only`.
inline void scenario(std::string_view bytes) { (void)parse_scenario_text(std::string(bytes), "fuzz.yaml"); }

// load_profile on a JSON file (--profile FILE.json).
inline void profile(std::string_view bytes) {
    (void)load_profile(scratch_file(bytes, "profile.json").string(), scratch_dir());
}

// RoadMapping::load (--mapping FILE.json).
inline void road_mapping(std::string_view bytes) { (void)RoadMapping::load(scratch_file(bytes, "mapping.json")); }

// EstimateParameters::load (geodata/estimate_parameters.json or a copy of it).
inline void estimate_parameters(std::string_view bytes) {
    (void)EstimateParameters::load(scratch_file(bytes, "estimate_parameters.json"));
}

// read_communes on a GeoJSON file (--communes): GDAL reads it, maillage checks the codes,
// names, populations and polygons (repaired with a warning unless strict).
inline void communes(std::string_view bytes) {
    TerritorySources sources;
    sources.communes = scratch_file(bytes, "communes.geojson");
    Diagnostics diagnostics;
    (void)read_communes(sources, diagnostics);
}

// The fuzzer of `communes` keeps only GDAL's GeoJSON driver: the target is maillage's handling
// of the features GDAL gives (codes, names, populations, polygons), not GDAL's 200 format
// sniffers (in 30 s, the fuzzer made GDAL take bytes for an OpenJUMP file and leak in its XML
// reader). The regression test keeps every driver.
inline void keep_only_gdal_driver(const char* kept) {
    ensure_gdal_initialised();
    for (int i = GDALGetDriverCount() - 1; i >= 0; --i) {
        GDALDriverH driver = GDALGetDriver(i);
        if (std::string_view(GDALGetDriverShortName(driver)) == kept) continue;
        GDALDeregisterDriver(driver);
        GDALDestroyDriver(driver);
    }
}

// Every target by name (the directory names of fuzz/corpus/ and tests/data/fuzz_regressions/).
inline const std::map<std::string, std::function<void(std::string_view)>>& targets() {
    static const std::map<std::string, std::function<void(std::string_view)>> all = {
        {"csv_table", csv_table},   {"point_file", point_file},     {"scenario", scenario},
        {"profile", profile},       {"road_mapping", road_mapping}, {"estimate_parameters", estimate_parameters},
        {"communes", communes},
    };
    return all;
}

// One fuzz input: refusals (InputError) are the expected outcome; anything else escapes.
inline int run_one(void (*entry)(std::string_view), const std::uint8_t* data, std::size_t size) {
    try {
        entry(std::string_view(reinterpret_cast<const char*>(data), size));
    } catch (const InputError&) {
    }
    return 0;
}

}  // namespace maillage::fuzz
