#pragma once
// An OGR vector layer opened for reading, with the context loaders need for their
// messages ("file: feature 12: field 'code'"). Any OGR format: GeoJSON, GPKG, SHP...
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <ogrsf_frmts.h>

#include "geo/crs.hpp"
#include "geo/ogr_ptr.hpp"

namespace maillage {

class VectorSource {
public:
    // Throws InputError: unreadable file, unknown layer, empty layer.
    VectorSource(const std::filesystem::path& path, const std::string& layer_name = {});

    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] OGRLayer& layer() const { return *layer_; }
    [[nodiscard]] long long feature_count() const { return layer_->GetFeatureCount(); }

    // The first existing field among `names`; nullopt if none.
    [[nodiscard]] std::optional<int> field(const std::vector<std::string>& names) const;
    // As field(), but a missing field is an InputError naming the file and the field.
    [[nodiscard]] int require_field(const std::vector<std::string>& names) const;

    // Transformation of the layer's CRS to Lambert-93. Throws InputError when the layer has
    // no CRS or PROJ cannot use it.
    [[nodiscard]] CrsTransform to_lambert93() const;

    // "feature <FID>" (the FID is the 0-based record number for GeoJSON).
    [[nodiscard]] static std::string feature_label(const OGRFeature& f);

private:
    std::string file_;
    DatasetPtr dataset_;
    OGRLayer* layer_ = nullptr;
};

}  // namespace maillage
