#pragma once
// Service sites (France Services, GPs, driving schools...). A site is a point in
// Lambert-93; services known only as counts per commune sit at the commune's
// representative point with location_precision = commune.
#include <optional>
#include <string>
#include <vector>

#include "geo/point.hpp"
#include "util/diagnostics.hpp"
#include "util/provenance.hpp"

namespace maillage {

enum class LocationPrecision { exact, commune };
const char* to_string(LocationPrecision p);

struct ServiceSite {
    std::string id;                        // unique within a category
    std::string category;                  // a key of the service catalogue
    std::string name;
    Point2 position;                       // Lambert-93
    LocationPrecision precision = LocationPrecision::exact;
    std::string commune_code;              // INSEE code of the commune it is in, if known
    double count = 1.0;                    // equipment count (BPE counts per commune)
    std::optional<double> places;          // capacity in places (housing, childcare)
    std::optional<double> fte;             // full-time equivalents (practitioners)
    std::optional<int> practitioner_age;   // for retirement scenarios
    std::optional<double> opening_days;    // days open per week
    std::string source;                    // file it came from
    bool in_study_area = true;             // false: within the margin outside (cross-border supply)
};

// BPE counts placed in a neighbouring commune beyond the study (commune precision, outside the
// study area). The access index counts them only with the demand of the neighbouring communes
// (neighbour_demand.hpp): their supply shared by the study's population alone would overstate
// border communes.
[[nodiscard]] bool is_neighbour_count(const ServiceSite& site);
[[nodiscard]] std::vector<const ServiceSite*> without_neighbour_counts(const std::vector<const ServiceSite*>& sites);

struct ServiceSet {
    std::vector<ServiceSite> sites;        // sorted by (category, id)
    Diagnostics diagnostics;
    Provenance provenance;
    [[nodiscard]] std::vector<const ServiceSite*> in_category(const std::string& category) const;
};

}  // namespace maillage
