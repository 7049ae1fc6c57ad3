#pragma once
// The service categories (geodata/service_catalogue.csv): labels, BPE codes, default bands.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace maillage {

struct ServiceCategory {
    std::string key;
    std::string label_fr;
    std::vector<std::string> bpe_codes;
    std::vector<double> bands_min;
    std::string capacity_unit;
    std::string target_population;
};

class ServiceCatalogue {
public:
    static ServiceCatalogue load(const std::filesystem::path& path);
    [[nodiscard]] const ServiceCategory* find(const std::string& key) const;
    // Throws InputError naming `where` and listing the known keys.
    [[nodiscard]] const ServiceCategory& require(const std::string& key, const std::string& file,
                                                 const std::string& feature, const std::string& field) const;
    [[nodiscard]] std::optional<std::string> category_of_bpe(const std::string& typequ) const;
    [[nodiscard]] const std::vector<ServiceCategory>& categories() const { return categories_; }
    [[nodiscard]] const std::string& file() const { return file_; }

private:
    std::string file_;
    std::vector<ServiceCategory> categories_;
};

}  // namespace maillage
