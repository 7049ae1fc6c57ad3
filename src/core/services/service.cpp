#include "services/service.hpp"

namespace maillage {

const char* to_string(LocationPrecision p) {
    switch (p) {
        case LocationPrecision::exact: return "exact";
        case LocationPrecision::commune: return "commune";
    }
    return "exact";
}

std::vector<const ServiceSite*> ServiceSet::in_category(const std::string& category) const {
    std::vector<const ServiceSite*> out;
    for (const auto& s : sites)
        if (s.category == category) out.push_back(&s);
    return out;
}

}  // namespace maillage
