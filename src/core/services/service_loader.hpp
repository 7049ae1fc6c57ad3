#pragma once
// Assembles the service sites of a study: reference files (France Services, BPE) and
// the user's own site files, validated and placed against the study area.
#include <filesystem>
#include <vector>

#include "services/bpe_reader.hpp"
#include "services/catalogue.hpp"
#include "services/neighbour_demand.hpp"
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
    // exist is a warning (the edge effect is not corrected), not an error. The same communes
    // within the margin are nodes of the estimated network (LoadedServices::margin_communes):
    // read whenever given, BPE or not.
    std::vector<std::filesystem::path> neighbour_communes;
    // Population of those communes (CSV code_insee,population[,anciens_codes]; several files: the
    // first holding a code wins): their inhabitants within the margin are demand in the access
    // index (neighbour_demand.hpp). A file that does not exist is not an error: the access index
    // then leaves the BPE counts of neighbouring communes out and warns that the edge effect is
    // not corrected.
    std::vector<std::filesystem::path> neighbour_population;
    double margin_m = 20000.0;               // sites this close outside the study area still serve it
};

struct LoadedServices {
    ServiceCatalogue catalogue;
    ServiceSet set;
    BpeReadReport bpe;
    NeighbourDemand neighbour_demand;        // inhabitants beyond the edge, within the margin
    // The communes of the neighbouring layers within the margin, beyond the study
    // (communes_within_margin): nodes of the estimated network. Meaningful only when
    // neighbour_layer_read: without a layer the estimate has the study's communes only.
    std::vector<Commune> margin_communes;
    bool neighbour_layer_read = false;       // some file of ServiceSources::neighbour_communes was read
};

LoadedServices load_services(const ServiceSources& sources, const Territory& territory);

}  // namespace maillage
