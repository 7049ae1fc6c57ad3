#include "coverage/catchment.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>

#include <gdal_alg.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include "coverage/time_grid.hpp"
#include "output/feature.hpp"
#include "util/progress.hpp"

namespace maillage {

namespace {

// Cells with minutes <= limit → polygons (GDALPolygonize over the mask), as one MultiPolygon.
GeometryPtr contour(const TimeGrid& grid, const std::vector<float>& minutes, double limit) {
    const int w = grid.width(), h = grid.height();
    std::vector<std::uint8_t> inside(minutes.size());
    bool any = false;
    for (std::size_t k = 0; k < minutes.size(); ++k) {
        inside[k] = minutes[k] <= limit ? 1 : 0;
        any = any || inside[k];
    }
    auto result = std::make_unique<OGRMultiPolygon>();
    if (!any) return GeometryPtr(result.release());
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr raster(mem->Create("", w, h, 1, GDT_Byte, nullptr));
    double gt[6] = {grid.min_x(), grid.cell_size(), 0, grid.max_y(), 0, -grid.cell_size()};
    raster->SetGeoTransform(gt);
    GDALRasterBand* band = raster->GetRasterBand(1);
    if (band->RasterIO(GF_Write, 0, 0, w, h, inside.data(), w, h, GDT_Byte, 0, 0) != CE_None)
        throw std::runtime_error("catchment raster write failed");
    GDALDriver* vmem = GetGDALDriverManager()->GetDriverByName("Memory");
    DatasetPtr vectors(vmem->Create("", 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* layer = vectors->CreateLayer("c", nullptr, wkbPolygon, nullptr);
    OGRFieldDefn field("v", OFTInteger);
    if (layer->CreateField(&field) != OGRERR_NONE) throw std::runtime_error("catchment layer failed");
    char** opts = nullptr;  // 4-connected: cells touching by a corner make separate polygons, valid without repair
    CPLErr err = GDALPolygonize(band, band, OGRLayer::ToHandle(layer), 0, opts, nullptr, nullptr);
    CSLDestroy(opts);
    if (err != CE_None) throw std::runtime_error("GDALPolygonize failed");
    for (auto& f : *layer)
        if (const OGRGeometry* g = f->GetGeometryRef()) {
            if (wkbFlatten(g->getGeometryType()) == wkbPolygon) result->addGeometry(g);
        }
    GeometryPtr out(result.release());
    if (!out->IsValid()) out.reset(out->MakeValid());
    return out;
}

// Clips catchment polygons to the study area. An overlay with the whole département's
// outline (tens of thousands of vertices) for every site and band is what made catchments
// slow, so: a polygon the area contains is kept as it is (prepared geometry test), and
// otherwise it is intersected with only the part of the area within its bounding box
// (GEOS rectangle clipping, linear in the outline).
class AreaClipper {
public:
    explicit AreaClipper(const OGRGeometry& area)
        : area_(area),
          prepared_(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&area)))),
          context_(OGRGeometry::createGEOSContext()),
          geos_area_(area.exportToGEOS(context_)) {}
    ~AreaClipper() {
        if (geos_area_) GEOSGeom_destroy_r(context_, geos_area_);
        OGRGeometry::freeGEOSContext(context_);
        OGRDestroyPreparedGeometry(prepared_);
    }
    AreaClipper(const AreaClipper&) = delete;
    AreaClipper& operator=(const AreaClipper&) = delete;

    [[nodiscard]] GeometryPtr local_area(const OGRGeometry& g) const {
        OGREnvelope e;
        g.getEnvelope(&e);
        const double pad = 1.0;  // metres: the rectangle must not cut along g's own edges
        GEOSGeometry* part = geos_area_ ? GEOSClipByRect_r(context_, geos_area_, e.MinX - pad, e.MinY - pad,
                                                           e.MaxX + pad, e.MaxY + pad)
                                        : nullptr;
        if (!part) return GeometryPtr(area_.clone());
        GeometryPtr out(OGRGeometryFactory::createFromGEOS(context_, part));
        GEOSGeom_destroy_r(context_, part);
        if (!out || !out->IsValid()) return GeometryPtr(area_.clone());
        return out;
    }
    [[nodiscard]] bool contains(const OGRGeometry& g) const {
        return prepared_ && OGRPreparedGeometryContains(prepared_, OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g)));
    }

private:
    const OGRGeometry& area_;
    OGRPreparedGeometryH prepared_;
    GEOSContextHandle_t context_;
    GEOSGeometry* geos_area_;
};

GeometryPtr clip(const OGRGeometry& g, const AreaClipper& clipper) {
    if (g.IsEmpty()) return GeometryPtr(g.clone());
    if (clipper.contains(g)) return GeometryPtr(g.clone());
    GeometryPtr local = clipper.local_area(g);
    GeometryPtr c(g.Intersection(local.get()));
    if (!c) return GeometryPtr(new OGRMultiPolygon());
    // Keep only the polygonal part (intersections may add slivers of lines or points).
    if (wkbFlatten(c->getGeometryType()) == wkbGeometryCollection) {
        auto* mp = new OGRMultiPolygon();
        for (const auto* part : *c->toGeometryCollection()) {
            auto t = wkbFlatten(part->getGeometryType());
            if (t == wkbPolygon) mp->addGeometry(part);
            else if (t == wkbMultiPolygon)
                for (const auto* p : *part->toMultiPolygon()) mp->addGeometry(p);
        }
        c.reset(mp);
    }
    return c;
}

double area_km2(const OGRGeometry& g) { return round_to(OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&g))) / 1e6, 3); }

}  // namespace

CatchmentSet build_catchments(const TravelNetwork& network, const AttachedSites& sites, const OGRGeometry& study_area,
                              const CatchmentOptions& options) {
    if (options.bands.empty()) return build_catchments(network, TimeGrid(network, study_area, 1e9, 1), sites, study_area, options);
    return build_catchments(network, TimeGrid(network, study_area, options.cell_size.value()), sites, study_area, options);
}

bool CatchmentCache::find(const std::string& key, std::vector<Feature>& out) const {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return false;
    out.clear();
    for (const auto& f : it->second) out.push_back({GeometryPtr(f.geometry ? f.geometry->clone() : nullptr), f.properties});
    return true;
}

void CatchmentCache::store(const std::string& key, const std::vector<Feature>& features) {
    std::vector<Feature> copy;
    for (const auto& f : features) copy.push_back({GeometryPtr(f.geometry ? f.geometry->clone() : nullptr), f.properties});
    std::lock_guard lock(mutex_);
    entries_.emplace(key, std::move(copy));
}

namespace {
// Everything a site's catchment features depend on, exactly (%a: no rounding).
std::string cache_key(const ServiceSite& site, const Attachment& a, const TimeGrid& grid, const CatchmentOptions& o) {
    char buf[256];
    std::snprintf(buf, sizeof buf, "|%u|%u|%a|%a|%a|%a|%a|%d|%d|", a.edge, a.node, a.fraction, a.access.value(),
                  grid.cell_size(), grid.min_x(), grid.max_y(), grid.width(), grid.height());
    std::string key = site.category + "|" + site.id + "|" + site.name + "|" + to_string(site.precision) + buf;
    for (Seconds b : o.bands) {
        std::snprintf(buf, sizeof buf, "%a,", b.value());
        key += buf;
    }
    return key;
}
}  // namespace

CatchmentSet build_catchments(const TravelNetwork& network, const TimeGrid& grid, const AttachedSites& sites,
                              const OGRGeometry& study_area, const CatchmentOptions& options, CatchmentCache* cache) {
    CatchmentSet set;
    set.per_site_band.name = "catchments";
    set.covered.name = "covered";
    set.not_covered.name = "not_covered";
    if (options.bands.empty()) return set;
    const auto& attachments = sites.attachments();
    const AreaClipper clipper(study_area);
    set.cell_size_m = grid.cell_size();
    const Seconds limit = options.bands.back();
    Progress progress("catchments", sites.size() + 1);
    // One site's polygons depend on that site alone: sites are shared out between threads
    // (each with its own clipper: prepared geometries are not shared across threads) and
    // their features put back in site order, so the output does not depend on the threads.
    std::vector<std::vector<Feature>> per_site(sites.size());
    auto work = [&](std::size_t first, std::size_t step, const AreaClipper& own_clipper) {
        for (std::size_t s = first; s < sites.size(); s += step) {
            const ServiceSite& site = sites.site(SiteId(static_cast<std::uint32_t>(s)));
            const std::string key = cache ? cache_key(site, attachments[s], grid, options) : std::string();
            if (cache && cache->find(key, per_site[s])) continue;
            SiteSearch search = network.toward(std::span(&attachments[s], 1), limit);
            auto minutes = grid.minutes(search);
            for (Seconds band : options.bands) {
                GeometryPtr poly = clip(*contour(grid, minutes, to_minutes(band)), own_clipper);
                if (poly->IsEmpty()) continue;
                Feature f;
                f.properties["site_id"] = site.id;
                f.properties["site_name"] = site.name;
                f.properties["category"] = site.category;
                f.properties["band_minutes"] = round_to(to_minutes(band), 2);
                f.properties["area_km2"] = area_km2(*poly);
                f.properties["location_precision"] = to_string(site.precision);
                f.geometry = std::move(poly);
                per_site[s].push_back(std::move(f));
            }
            if (cache) cache->store(key, per_site[s]);
        }
    };
    const std::size_t threads = std::clamp<std::size_t>(options.threads, 1, std::max<std::size_t>(1, sites.size()));
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(threads);
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back([&, t] {
            try {
                const AreaClipper own(study_area);
                work(t, threads, own);
            } catch (...) {
                errors[t] = std::current_exception();
            }
        });
    try {
        work(0, threads, clipper);
    } catch (...) {
        errors[0] = std::current_exception();
    }
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    for (auto& features : per_site)
        for (auto& f : features) set.per_site_band.features.push_back(std::move(f));
    progress.advance(sites.size());
    SiteSearch all = network.toward(attachments, limit);
    auto minutes = grid.minutes(all);
    for (Seconds band : options.bands) {
        GeometryPtr covered = clip(*contour(grid, minutes, to_minutes(band)), clipper);
        GeometryPtr rest(covered->IsEmpty() ? study_area.clone() : study_area.Difference(covered.get()));
        if (!rest) rest.reset(new OGRMultiPolygon());
        const std::string category = sites.empty() ? "" : sites.sites().front()->category;
        Feature c;
        c.properties["category"] = category;
        c.properties["band_minutes"] = round_to(to_minutes(band), 2);
        c.properties["area_km2"] = area_km2(*covered);
        c.geometry = std::move(covered);
        set.covered.features.push_back(std::move(c));
        Feature n;
        n.properties["category"] = category;
        n.properties["band_minutes"] = round_to(to_minutes(band), 2);
        n.properties["area_km2"] = area_km2(*rest);
        n.geometry = std::move(rest);
        set.not_covered.features.push_back(std::move(n));
    }
    progress.advance();
    return set;
}

}  // namespace maillage
