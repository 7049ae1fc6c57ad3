#include "cli/common/category_check.hpp"

#include <optional>
#include <string_view>
#include <vector>

#include "presets/vienne_preset.hpp"
#include "services/catalogue.hpp"
#include "util/errors.hpp"
#include "util/text_distance.hpp"

namespace maillage::cli {

void check_category_option(const std::string& category, const std::string& geodata, const std::string& option) {
    if (category.empty()) return;
    std::optional<ServiceCatalogue> catalogue;
    try {
        catalogue = ServiceCatalogue::load(presets::resolve_geodata_dir(geodata) / "service_catalogue.csv");
    } catch (const InputError&) {
        return;  // reported, with its file, when the study is loaded
    }
    if (catalogue->find(category)) return;
    std::vector<std::string_view> keys;
    std::string known;
    for (const auto& c : catalogue->categories()) {
        keys.push_back(c.key);
        known += (known.empty() ? "" : ", ") + c.key;
    }
    const std::string guess = nearest_word(category, keys);
    throw UsageError(option + " '" + category + "': unknown category" +
                     (guess.empty() ? "" : " — did you mean '" + guess + "'?") + " (known: " + known + ")");
}

}  // namespace maillage::cli
