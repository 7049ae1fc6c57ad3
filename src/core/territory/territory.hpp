#pragma once
// The study area: communes (the demand and aggregation unit), grouped into EPCI and
// territoires des solidarités. Geometries are in Lambert-93.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geo/ogr_ptr.hpp"
#include "geo/point.hpp"
#include "territory/insee_code.hpp"
#include "util/diagnostics.hpp"
#include "util/provenance.hpp"

namespace maillage {

struct Commune {
    InseeCode code;
    std::string name;
    std::optional<long long> population;   // population municipale; nullopt = unknown (reported)
    std::string epci_id;                   // SIREN of the EPCI, empty if unknown (reported)
    std::string territory_id;              // territoire des solidarités, empty if unknown
    std::vector<std::string> former_codes; // anciens codes (mergers), for BPE and other old vintages
    GeometryPtr geometry;                  // (Multi)Polygon, Lambert-93, GEOS-valid
    Point2 representative;                 // a point guaranteed inside the polygon
    double area_m2 = 0.0;
};

// An EPCI or a territoire des solidarités: a named group of communes with a dissolved polygon.
struct Area {
    std::string id;
    std::string name;
    std::vector<InseeCode> communes;       // sorted
    GeometryPtr geometry;                  // Lambert-93
    long long population = 0;              // sum of known commune populations
};

struct Territory {
    std::vector<Commune> communes;         // sorted by INSEE code
    std::vector<Area> epcis;               // sorted by id
    std::vector<Area> territories;         // territoires des solidarités, sorted by id
    GeometryPtr study_area;                // union of the communes (Lambert-93)
    Diagnostics diagnostics;
    Provenance provenance;                 // the input files read

    // Index of the commune with `code`, or of the current commune that absorbed it
    // (former code); nullopt if unknown.
    [[nodiscard]] std::optional<size_t> find_commune(const std::string& code) const;
    [[nodiscard]] long long total_population() const;

    // Built by the loader once communes are final.
    std::map<std::string, size_t> code_index;
};

}  // namespace maillage
