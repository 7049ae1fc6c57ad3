#include "cli/common/study_options.hpp"

#include "cli/common/number_checks.hpp"
#include "presets/vienne_preset.hpp"
#include "util/errors.hpp"
#include "util/staged_directory.hpp"

#include <cctype>

namespace maillage::cli {

void StudyOptions::add_to(CLI::App& app) {
    app.add_option("--geodata", geodata, "Geodata directory (default: $MAILLAGE_GEODATA or the source tree's geodata/)");
    app.add_option("--communes", communes, "Commune polygons, any OGR format (default: Vienne, cog 2026)");
    app.add_option("--communes-layer", communes_layer, "Layer of --communes (default: the first)");
    app.add_option("--population", population,
                   "CSV joined on the INSEE code: population, epci_siren, epci_nom, anciens_codes");
    app.add_option("--territories", territories,
                   "Territory table: epci_siren or code_insee, territory_id, territory_name "
                   "(default: geodata/territoires_solidarites_provisional.csv)");
    app.add_option("--epci-layer", epci_layer, "EPCI polygons (fields epci_siren/siren/code and nom): communes join by location");
    app.add_option("--territories-layer", territories_layer,
                   "Territoire des solidarités polygons (fields territory_id/code and nom): communes join by location");
    app.add_option("--sites", sites, "Service sites file (CSV lon/lat or x/y, GeoJSON, GPKG); repeatable");
    app.add_option("--category", sites_category, "Category of every site in --sites (see geodata/service_catalogue.csv)");
    app.add_option("--crs", sites_crs, "CRS of x/y columns in CSV site files");
    app.add_option("--bpe", bpe, "INSEE BPE counts per commune (default: BPE 2019 from the cache)");
    app.add_option("--neighbour-communes", neighbour_communes,
                   "Commune polygons beyond the study (any OGR format, INSEE code and name fields): BPE counts of "
                   "these communes within --margin-km count; repeatable (default with the Vienne preset: every "
                   "commune within 20 km of Vienne)");
    app.add_flag("--with-reference-services", with_reference_services,
                 "With --sites, also load France Services and BPE reference files");
    app.add_flag("--strict", strict, "Invalid polygons are errors instead of being repaired");
    app.add_option("--margin-km", margin_km, "Sites this far outside the study area still serve it")
        ->check(number_in(0, bounds::kMaxMarginKm, "km", true));
}

std::vector<InputFile> StudyOptions::input_files() const {
    std::vector<InputFile> out;
    auto add = [&](const char* option, const std::string& path) {
        if (!path.empty()) out.push_back({option, path});
    };
    add("--geodata", geodata);
    add("--communes", communes);
    add("--population", population);
    add("--territories", territories);
    add("--epci-layer", epci_layer);
    add("--territories-layer", territories_layer);
    for (const auto& f : sites) add("--sites", f);
    add("--bpe", bpe);
    for (const auto& f : neighbour_communes) add("--neighbour-communes", f);
    return out;
}

namespace {
bool is_text_table(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".csv" || ext == ".txt" || ext == ".tsv" || ext == ".json" || ext == ".geojson" || ext == ".yaml" ||
           ext == ".yml";
}
}  // namespace

void check_input_files(const std::vector<InputFile>& inputs) {
    namespace fs = std::filesystem;
    for (const auto& in : inputs) {
        const std::string name = in.path.string();
        if (name.empty() || name.rfind("/vsi", 0) == 0) continue;
        std::error_code ec;
        const fs::file_status st = fs::status(in.path, ec);
        if (st.type() == fs::file_type::not_found) throw InputError({name, "", ""}, "file not found (" + in.option + ")");
        if (ec) throw InputError({name, "", ""}, "cannot be read (" + in.option + "): " + ec.message());
        if (fs::is_directory(st)) continue;
        if (!fs::is_regular_file(st))
            throw InputError({name, "", ""},
                             "not a regular file (" + in.option + "): a pipe, a device or a socket would be read without end",
                             "a file");
        if (is_text_table(in.path)) {
            const std::uintmax_t size = fs::file_size(in.path, ec);
            if (!ec && size > kMaxTextInputBytes)
                throw InputError({name, "", ""},
                                 "too large (" + in.option + "): " + std::to_string(size >> 20) + " MiB of text",
                                 "at most " + std::to_string(kMaxTextInputBytes >> 20) + " MiB");
        }
    }
}

void check_output_directory(const std::string& output, const std::vector<InputFile>& inputs) {
    StagedDirectory::check_target(output);
    std::vector<std::filesystem::path> paths;
    for (const auto& in : inputs) paths.push_back(in.path);
    StagedDirectory::check_not_over_inputs(output, paths);
}

TerritorySources StudyOptions::territory_sources() const {
    auto dir = presets::resolve_geodata_dir(geodata);
    TerritorySources s;
    if (communes.empty()) {
        s = presets::vienne_territory(dir);
    } else {
        s.communes = communes;
        s.communes_layer = communes_layer;
    }
    if (!population.empty()) s.population = population;
    if (!territories.empty()) s.territories = territories;
    if (!territories_layer.empty() && territories.empty()) s.territories.clear();  // the layer replaces the default table
    s.epci_layer = epci_layer;
    s.territories_layer = territories_layer;
    s.strict = strict;
    return s;
}

ServiceSources StudyOptions::service_sources() const {
    auto dir = presets::resolve_geodata_dir(geodata);
    ServiceSources s;
    bool reference = sites.empty() || with_reference_services;
    if (reference && communes.empty()) s = presets::vienne_services(dir);
    // The Vienne study's neighbouring communes also without the reference services: the
    // estimated network's nodes beyond the edge, where the user's sites in the margin attach.
    if (communes.empty() && s.neighbour_communes.empty()) s.neighbour_communes = {presets::vienne_neighbour_communes(dir)};
    s.catalogue = dir / "service_catalogue.csv";
    if (!bpe.empty()) s.bpe = bpe;
    if (!neighbour_communes.empty()) s.neighbour_communes.assign(neighbour_communes.begin(), neighbour_communes.end());
    for (const auto& f : sites) s.site_files.push_back({f, sites_category, sites_crs, ""});
    s.margin_m = margin_km * 1000.0;
    return s;
}

StudySources study_sources(const StudyOptions& options) {
    return {options.territory_sources(), options.service_sources()};
}

Study load_study(const StudyOptions& options) { return maillage::load_study(study_sources(options)); }

}  // namespace maillage::cli
