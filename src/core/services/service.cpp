#include "services/service.hpp"

namespace maillage {

const char* to_string(LocationPrecision p) {
    switch (p) {
        case LocationPrecision::exact: return "exact";
        case LocationPrecision::commune: return "commune";
    }
    return "exact";
}

bool is_neighbour_count(const ServiceSite& site) {
    return !site.in_study_area && site.precision == LocationPrecision::commune;
}

std::vector<const ServiceSite*> without_neighbour_counts(const std::vector<const ServiceSite*>& sites) {
    std::vector<const ServiceSite*> out;
    for (const auto* s : sites)
        if (!is_neighbour_count(*s)) out.push_back(s);
    return out;
}

std::vector<const ServiceSite*> ServiceSet::in_category(const std::string& category) const {
    std::vector<const ServiceSite*> out;
    for (const auto& s : sites)
        if (s.category == category) out.push_back(&s);
    return out;
}

}  // namespace maillage
