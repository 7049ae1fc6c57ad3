#include "geo/vector_source.hpp"

#include "util/errors.hpp"

namespace maillage {

VectorSource::VectorSource(const std::filesystem::path& path, const std::string& layer_name) : file_(path.string()) {
    ensure_gdal_initialised();
    // GDAL virtual paths (/vsizip/, /vsicurl/...) are GDAL's to open; a real path must be a file
    // or a directory (some formats are directories): a FIFO or a device would be read forever.
    if (file_.rfind("/vsi", 0) != 0) {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (status.type() == std::filesystem::file_type::not_found) throw InputError({file_, "", ""}, "file not found");
        if (ec) throw InputError({file_, "", ""}, "cannot be read: " + ec.message());
        if (!std::filesystem::is_regular_file(status) && !std::filesystem::is_directory(status))
            throw InputError({file_, "", ""}, "not a regular file (a pipe, a device or a socket)", "a file");
    }
    dataset_.reset(static_cast<GDALDataset*>(
        GDALOpenEx(file_.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!dataset_)
        throw InputError({file_, "", ""}, std::string("cannot be read as a vector layer: ") + CPLGetLastErrorMsg(),
                         "a GeoJSON, GeoPackage, Shapefile or other OGR vector file");
    layer_ = layer_name.empty() ? dataset_->GetLayer(0) : dataset_->GetLayerByName(layer_name.c_str());
    if (!layer_)
        throw InputError({file_, layer_name.empty() ? "" : "layer " + layer_name, ""}, "no such layer");
    if (layer_->GetFeatureCount() == 0) throw InputError({file_, "", ""}, "empty layer", "at least one feature");
}

std::optional<int> VectorSource::field(const std::vector<std::string>& names) const {
    OGRFeatureDefn* defn = layer_->GetLayerDefn();
    for (const auto& n : names) {
        int i = defn->GetFieldIndex(n.c_str());
        if (i >= 0) return i;
    }
    return std::nullopt;
}

int VectorSource::require_field(const std::vector<std::string>& names) const {
    if (auto i = field(names)) return *i;
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : " or ") + n;
    throw InputError({file_, "layer " + std::string(layer_->GetName()), names.front()}, "missing field",
                     "a field named " + list);
}

CrsTransform VectorSource::to_lambert93() const {
    const OGRSpatialReference* srs = layer_->GetSpatialRef();
    if (!srs) throw InputError({file_, "", ""}, "the layer declares no coordinate reference system", "a CRS (e.g. EPSG:2154 or EPSG:4326)");
    try {
        return CrsTransform::to_lambert93(*srs);
    } catch (const std::exception& e) {
        throw InputError({file_, "", ""}, std::string("unusable coordinate reference system: ") + e.what());
    }
}

std::string VectorSource::feature_label(const OGRFeature& f) { return "feature " + std::to_string(f.GetFID()); }

}  // namespace maillage
