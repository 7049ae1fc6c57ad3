#pragma once
// Assembles the service sites of a study: reference files (France Services, BPE) and
// the user's own site files, validated and placed against the study area.
#include <filesystem>
#include <vector>

#include "services/bpe_reader.hpp"
#include "services/catalogue.hpp"
#include "services/site_reader.hpp"

namespace maillage {

struct ServiceSources {
    std::filesystem::path catalogue;
    std::filesystem::path france_services;   // reference file (several départements): far points dropped
    std::filesystem::path bpe;               // BPE counts per commune
    std::vector<SiteFileOptions> site_files; // user files: far points are errors
    // Commune polygons beyond the study (any OGR layer with an INSEE code and a name field):
    // BPE counts of communes not in the study sit at their representative point when it is
    // within the margin. Several files: the first holding a code wins. A file that does not
    // exist is a warning (the edge effect is not corrected), not an error.
    std::vector<std::filesystem::path> neighbour_communes;
    double margin_m = 20000.0;               // sites this close outside the study area still serve it
};

struct LoadedServices {
    ServiceCatalogue catalogue;
    ServiceSet set;
    BpeReadReport bpe;
};

LoadedServices load_services(const ServiceSources& sources, const Territory& territory);

}  // namespace maillage
