#include "coverage/time_grid.hpp"

#include <cmath>
#include <limits>

#include <gdal_alg.h>

#include "util/errors.hpp"

namespace maillage {

TimeGrid::TimeGrid(const TravelNetwork& network, const OGRGeometry& area, double cell, std::size_t max_cells)
    : network_(network) {
    OGREnvelope env;
    area.getEnvelope(&env);
    double w = env.MaxX - env.MinX, h = env.MaxY - env.MinY;
    cell_ = std::max(cell, std::sqrt(w * h / static_cast<double>(max_cells)));
    width_ = std::max(1, static_cast<int>(std::ceil(w / cell_)));
    height_ = std::max(1, static_cast<int>(std::ceil(h / cell_)));
    min_x_ = env.MinX;
    max_y_ = env.MaxY;
    // Rasterise the study area (GDAL, all-touched off: cell centres inside).
    ensure_gdal_initialised();
    // GDAL failing here (in memory: short of memory) means the catchment outputs cannot be made.
    auto failure = [](const char* what) {
        const std::string gdal = CPLGetLastErrorMsg();
        return OutputError(std::string("catchment grid: ") + what + (gdal.empty() ? "" : " (GDAL: " + gdal + ")") +
                           ": try a larger catchment cell size (--cell-size) or no catchments (--no-catchments)");
    };
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr mask(mem ? mem->Create("", width_, height_, 1, GDT_Byte, nullptr) : nullptr);
    if (!mask) throw failure("cannot make the study-area mask");
    double gt[6] = {min_x_, cell_, 0, max_y_, 0, -cell_};
    mask->SetGeoTransform(gt);
    int band = 1;
    double burn = 1;
    OGRGeometryH geom = OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&area));
    if (GDALRasterizeGeometries(GDALDataset::ToHandle(mask.get()), 1, &band, 1, &geom, nullptr, nullptr, &burn, nullptr,
                                nullptr, nullptr) != CE_None)
        throw failure("cannot rasterise the study area");
    std::vector<std::uint8_t> inside(static_cast<std::size_t>(width_) * height_);
    if (mask->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, width_, height_, inside.data(), width_, height_, GDT_Byte, 0, 0) !=
        CE_None)
        throw failure("cannot read the study-area mask");
    cell_of_attachment_.assign(inside.size(), -1);
    for (int r = 0; r < height_; ++r)
        for (int c = 0; c < width_; ++c) {
            std::size_t k = static_cast<std::size_t>(r) * width_ + c;
            if (!inside[k]) continue;
            auto a = network_.try_attach({min_x_ + (c + 0.5) * cell_, max_y_ - (r + 0.5) * cell_});
            if (!a) continue;
            cell_of_attachment_[k] = static_cast<std::int32_t>(attachments_.size());
            attachments_.push_back(*a);
        }
}

std::vector<float> TimeGrid::minutes(const SiteSearch& search) const {
    std::vector<float> out(cell_of_attachment_.size(), std::numeric_limits<float>::infinity());
    for (std::size_t k = 0; k < out.size(); ++k) {
        std::int32_t a = cell_of_attachment_[k];
        if (a < 0) continue;
        Reach r = network_.evaluate(search, attachments_[a]);
        if (r.reached()) out[k] = static_cast<float>(to_minutes(r.time));
    }
    return out;
}

}  // namespace maillage
