#pragma once
// A study: the territory (communes, EPCI, territoires des solidarités) and the service
// sites, loaded from sources the front end chose (the Vienne preset, user files, a scenario).
#include "services/service_loader.hpp"
#include "territory/territory_loader.hpp"
#include "util/provenance.hpp"

namespace maillage {

struct StudySources {
    TerritorySources territory;
    ServiceSources services;
};

struct Study {
    Territory territory;
    LoadedServices services;
    double margin_m = 0;   // sites this far outside the study area serve it (ServiceSources::margin_m)
    // The input files of territory and services, as the start of an output's provenance.
    [[nodiscard]] Provenance provenance() const;
    // Loader warnings of the territory and the services, as text.
    [[nodiscard]] std::vector<std::string> warnings() const;
};

// Loads territory then services; InputErrors name the file, feature and field.
Study load_study(const StudySources& sources);

}  // namespace maillage
