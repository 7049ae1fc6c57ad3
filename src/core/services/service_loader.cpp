#include "services/service_loader.hpp"

#include <algorithm>

#include "territory/commune_reader.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

LoadedServices load_services(const ServiceSources& sources, const Territory& territory) {
    LoadedServices out{ServiceCatalogue::load(sources.catalogue), {}, {}, {}};
    auto& sites = out.set.sites;
    if (!sources.france_services.empty()) {
        auto fs_sites = read_sites({sources.france_services, "france_services", "EPSG:4326", ""}, out.catalogue,
                                   &out.set.diagnostics);
        place_sites(fs_sites, territory, sources.margin_m, /*reject_far=*/false, out.set.diagnostics);
        sites.insert(sites.end(), fs_sites.begin(), fs_sites.end());
        out.set.provenance.add_input("france_services", sources.france_services);
    }
    // Where BPE counts and inhabitants beyond the edge sit, and the estimated network's nodes
    // beyond the study: read whenever given.
    std::vector<Commune> neighbours;
    std::size_t files_read = 0;
    for (const auto& file : sources.neighbour_communes) {
        std::error_code ec;
        if (!fs::exists(file, ec)) {
            out.set.diagnostics.warn({file.string(), "", ""},
                                     "neighbouring communes file not found: BPE counts beyond the study area are "
                                     "left out, the estimated network has no commune beyond it, the edge effect "
                                     "is not corrected");
            continue;
        }
        TerritorySources layer;
        layer.communes = file;
        auto read = read_communes(layer, out.set.diagnostics);
        for (auto& c : read) neighbours.push_back(std::move(c));
        out.set.provenance.add_input("neighbour_communes", file);
        ++files_read;
    }
    if (!sources.bpe.empty()) {
        auto bpe = read_bpe(sources.bpe, territory, out.catalogue, out.bpe, &out.set.diagnostics,
                            {&neighbours, sources.margin_m});
        const std::string file = sources.bpe.string();
        const std::string km = std::to_string(static_cast<int>(sources.margin_m / 1000));
        if (files_read == 0 && out.bpe.rows_outside > 0) {
            out.set.diagnostics.warn({file, "", ""},
                                     std::to_string(out.bpe.rows_outside) +
                                         " BPE rows of communes outside the study area were left out: no neighbouring "
                                         "communes were given (--neighbour-communes), the edge effect is not corrected");
        } else if (files_read > 0) {
            if (out.bpe.rows_unplaced > 0)
                out.set.diagnostics.warn(
                    {file, "", ""},
                    std::to_string(out.bpe.rows_unplaced) + " BPE rows (" + std::to_string(out.bpe.equipments_unplaced) +
                        " equipments) could not be placed: their commune code is neither in the study nor among the "
                        "neighbouring communes (a commune beyond the neighbouring layer, or a code of another vintage)");
            if (out.bpe.rows_beyond_margin > 0)
                out.set.diagnostics.warn({file, "", ""},
                                         std::to_string(out.bpe.rows_beyond_margin) +
                                             " BPE rows of neighbouring communes farther than " + km +
                                             " km from the study area were left out");
        }
        sites.insert(sites.end(), bpe.begin(), bpe.end());
        out.set.provenance.add_input("bpe", sources.bpe);
    }
    // The inhabitants of the neighbouring communes. A missing file is recorded, not warned here:
    // only the access index uses this demand, and it says what is lost (run_access).
    std::vector<std::vector<NeighbourPopulationRow>> tables;
    auto& demand = out.neighbour_demand;
    for (const auto& file : sources.neighbour_population) {
        std::error_code ec;
        if (!fs::exists(file, ec)) {
            demand.missing_files.push_back(file.string());
            continue;
        }
        tables.push_back(read_neighbour_population(file, &out.set.diagnostics));
        demand.files_read.push_back(file.string());
        out.set.provenance.add_input("neighbour_population", file);
    }
    if (!tables.empty()) {
        auto placed = place_neighbour_population(neighbours, tables, territory, sources.margin_m);
        placed.files_read = std::move(demand.files_read);
        placed.missing_files = std::move(demand.missing_files);
        demand = std::move(placed);
    }
    if (files_read > 0) {
        out.neighbour_layer_read = true;
        out.margin_communes = communes_within_margin(std::move(neighbours), territory, sources.margin_m);
    }
    for (const auto& f : sources.site_files) {
        auto own = read_sites(f, out.catalogue, &out.set.diagnostics);
        place_sites(own, territory, sources.margin_m, /*reject_far=*/true, out.set.diagnostics);
        sites.insert(sites.end(), own.begin(), own.end());
        out.set.provenance.add_input("sites", f.path);
    }
    std::stable_sort(sites.begin(), sites.end(), [](const ServiceSite& a, const ServiceSite& b) {
        return std::tie(a.category, a.id) < std::tie(b.category, b.id);
    });
    return out;
}

}  // namespace maillage
