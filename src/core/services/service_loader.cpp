#include "services/service_loader.hpp"

#include <algorithm>

#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

LoadedServices load_services(const ServiceSources& sources, const Territory& territory) {
    LoadedServices out{ServiceCatalogue::load(sources.catalogue), {}, {}};
    auto& sites = out.set.sites;
    if (!sources.france_services.empty()) {
        auto fs_sites = read_sites({sources.france_services, "france_services", "EPSG:4326", ""}, out.catalogue,
                                   &out.set.diagnostics);
        place_sites(fs_sites, territory, sources.margin_m, /*reject_far=*/false, out.set.diagnostics);
        sites.insert(sites.end(), fs_sites.begin(), fs_sites.end());
        out.set.provenance.add_input("france_services", sources.france_services);
    }
    if (!sources.bpe.empty()) {
        auto bpe = read_bpe(sources.bpe, territory, out.catalogue, out.bpe, &out.set.diagnostics);
        sites.insert(sites.end(), bpe.begin(), bpe.end());
        out.set.provenance.add_input("bpe", sources.bpe);
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
