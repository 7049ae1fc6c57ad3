#include "services/catalogue.hpp"

#include <set>
#include <sstream>

#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

ServiceCatalogue ServiceCatalogue::load(const std::filesystem::path& path) {
    CsvTable table = CsvTable::read(path);
    const auto key = table.require_column({"key"});
    const auto label = table.require_column({"label_fr"});
    const auto bpe = table.require_column({"bpe_codes"});
    const auto bands = table.require_column({"bands_min"});
    const auto unit = table.require_column({"capacity_unit"});
    const auto target = table.require_column({"target_population"});
    ServiceCatalogue cat;
    cat.file_ = table.file();
    std::set<std::string> seen;
    for (const auto& row : table.rows()) {
        ServiceCategory c;
        c.key = row.cells[key];
        const std::string where = "line " + std::to_string(row.line);
        if (c.key.empty() || !seen.insert(c.key).second)
            throw InputError({table.file(), where, "key"}, "empty or duplicate category key '" + c.key + "'");
        c.label_fr = row.cells[label];
        std::istringstream codes(row.cells[bpe]);
        for (std::string code; codes >> code;) c.bpe_codes.push_back(code);
        std::istringstream bs(row.cells[bands]);
        double previous = 0;
        for (std::string b; bs >> b;) {
            double v = parse_number(b, table.file(), row.line, "bands_min");
            if (v <= previous)
                throw InputError({table.file(), where, "bands_min"}, "bands not ascending or not positive",
                                 "ascending positive minutes");
            c.bands_min.push_back(v);
            previous = v;
        }
        c.capacity_unit = row.cells[unit];
        c.target_population = row.cells[target];
        cat.categories_.push_back(std::move(c));
    }
    return cat;
}

const ServiceCategory* ServiceCatalogue::find(const std::string& key) const {
    for (const auto& c : categories_)
        if (c.key == key) return &c;
    return nullptr;
}

const ServiceCategory& ServiceCatalogue::require(const std::string& key, const std::string& file,
                                                 const std::string& feature, const std::string& field) const {
    if (const auto* c = find(key)) return *c;
    std::string known;
    for (const auto& c : categories_) known += (known.empty() ? "" : ", ") + c.key;
    throw InputError({file, feature, field}, "unknown category '" + key + "'", "one of " + known);
}

std::optional<std::string> ServiceCatalogue::category_of_bpe(const std::string& typequ) const {
    for (const auto& c : categories_)
        for (const auto& code : c.bpe_codes)
            if (code == typequ) return c.key;
    return std::nullopt;
}

}  // namespace maillage
