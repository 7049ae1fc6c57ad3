#include "geo/rings.hpp"
#include "coverage/catchment.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>

#include <gdal_alg.h>
#include <geos_c.h>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include "coverage/time_grid.hpp"
#include "geo/geos_context.hpp"
#include "output/feature.hpp"
#include "util/errors.hpp"
#include "util/progress.hpp"

namespace maillage {

struct NodedStudyArea {
    GeometryPtr area;                      // Lambert-93, vertices on the 1 m grid
    std::vector<std::uint8_t> edge_cells;  // row-major: 1 for a cell within two grid steps of the outline
};

namespace {

// Lambert-93 grid (metres) every catchment vertex lies on; see catchment.hpp. Cells under
// 8 m (never the defaults) get a finer power-of-two grid, cell / 8 at most: their catchments
// are then less often safe to round as they are, and the writers rebuild those.
constexpr double kGridM = 1.0;
double grid_step(double cell) {
    double step = kGridM;
    while (step > cell / 8) step /= 2;
    return step;
}
// Longest edge along a cell side after densify_family: short enough that reprojecting its
// two ends only (a straight line in Lambert-93 is a curve in lon/lat) moves it by < 3 cm.
constexpr double kMaxGridEdgeM = 1000.0;

// The time grid's cell sides, moved onto the 1 m grid (cell corners are what the
// polygonizer gives; moving them by < 0.5 m keeps every polygon's shape and nesting).
struct GridFrame {
    std::vector<double> xs;  // column lines, west → east
    std::vector<double> ys;  // row lines, north → south
    double cell = 0;
    double step = kGridM;    // the grid every vertex lies on

    explicit GridFrame(const TimeGrid& g) : cell(g.cell_size()), step(grid_step(g.cell_size())) {
        for (int i = 0; i <= g.width(); ++i) xs.push_back(std::round((g.min_x() + i * g.cell_size()) / step) * step);
        for (int j = 0; j <= g.height(); ++j) ys.push_back(std::round((g.max_y() - j * g.cell_size()) / step) * step);
    }
    [[nodiscard]] int width() const { return static_cast<int>(xs.size()) - 1; }
    [[nodiscard]] int height() const { return static_cast<int>(ys.size()) - 1; }
    // The column whose cell holds x (clamped to the grid).
    [[nodiscard]] int column_of(double x) const {
        int i = static_cast<int>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin()) - 1;
        return std::clamp(i, 0, width() - 1);
    }
    [[nodiscard]] int row_of(double y) const {
        int j = static_cast<int>(std::upper_bound(ys.begin(), ys.end(), y, std::greater<>()) - ys.begin()) - 1;
        return std::clamp(j, 0, height() - 1);
    }
    // Index of the column line at exactly x, or -1.
    [[nodiscard]] int column_line(double x) const {
        auto it = std::lower_bound(xs.begin(), xs.end(), x);
        return it != xs.end() && *it == x ? static_cast<int>(it - xs.begin()) : -1;
    }
    [[nodiscard]] int row_line(double y) const {
        auto it = std::lower_bound(ys.begin(), ys.end(), y, std::greater<>());
        return it != ys.end() && *it == y ? static_cast<int>(it - ys.begin()) : -1;
    }
};


// GDAL failing to rasterise or polygonize (in memory: it runs short of memory): the
// catchment outputs cannot be made. An OutputError, naming what to change.
[[noreturn]] void catchment_failure(const std::string& what) {
    const std::string gdal = CPLGetLastErrorMsg();
    throw OutputError("catchment polygons: " + what + (gdal.empty() ? "" : " (GDAL: " + gdal + ")") +
                      ": try a larger catchment cell size (--cell-size) or no catchments (--no-catchments)");
}

// Cells with minutes <= limit → polygons (GDALPolygonize over the mask), as one
// MultiPolygon whose corners are the frame's. `on_edge`: some cell is near the outline
// (else the polygon lies inside the study area: its cells have their centre inside).
GeometryPtr contour(const TimeGrid& grid, const GridFrame& frame, const std::vector<float>& minutes, double limit,
                    const std::vector<std::uint8_t>& edge_cells, bool& on_edge) {
    const int w = grid.width(), h = grid.height();
    // Only the window of the cells within the limit is polygonized: a site's catchment
    // covers a small part of the grid, and the polygonizer's cost is the raster's size.
    int c0 = w, c1 = -1, r0 = h, r1 = -1;
    on_edge = false;
    for (int r = 0; r < h; ++r) {
        const std::size_t row = static_cast<std::size_t>(r) * static_cast<std::size_t>(w);
        for (int c = 0; c < w; ++c) {
            const std::size_t k = row + static_cast<std::size_t>(c);
            if (!(minutes[k] <= limit)) continue;
            c0 = std::min(c0, c);
            c1 = std::max(c1, c);
            r0 = std::min(r0, r);
            r1 = r;
            on_edge = on_edge || edge_cells[k];
        }
    }
    auto result = std::make_unique<OGRMultiPolygon>();
    if (c1 < 0) return GeometryPtr(result.release());
    const int ww = c1 - c0 + 1, wh = r1 - r0 + 1;
    std::vector<std::uint8_t> inside(static_cast<std::size_t>(ww) * static_cast<std::size_t>(wh));
    for (int r = 0; r < wh; ++r)
        for (int c = 0; c < ww; ++c)
            inside[static_cast<std::size_t>(r) * static_cast<std::size_t>(ww) + static_cast<std::size_t>(c)] =
                minutes[static_cast<std::size_t>(r + r0) * static_cast<std::size_t>(w) + static_cast<std::size_t>(c + c0)] <= limit ? 1 : 0;
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    DatasetPtr raster(mem ? mem->Create("", ww, wh, 1, GDT_Byte, nullptr) : nullptr);
    if (!raster) catchment_failure("cannot make the in-memory raster");
    // Pixel coordinates (column, −row) of the whole grid: exact integers, mapped onto the
    // frame below.
    double gt[6] = {static_cast<double>(c0), 1, 0, -static_cast<double>(r0), 0, -1};
    raster->SetGeoTransform(gt);
    GDALRasterBand* band = raster->GetRasterBand(1);
    if (band->RasterIO(GF_Write, 0, 0, ww, wh, inside.data(), ww, wh, GDT_Byte, 0, 0) != CE_None)
        catchment_failure("cannot write the in-memory raster");
    GDALDriver* vmem = GetGDALDriverManager()->GetDriverByName("Memory");
    DatasetPtr vectors(vmem ? vmem->Create("", 0, 0, 0, GDT_Unknown, nullptr) : nullptr);
    OGRLayer* layer = vectors ? vectors->CreateLayer("c", nullptr, wkbPolygon, nullptr) : nullptr;
    OGRFieldDefn field("v", OFTInteger);
    if (!layer || layer->CreateField(&field) != OGRERR_NONE) catchment_failure("cannot make the in-memory polygon layer");
    char** opts = nullptr;  // 4-connected: cells touching by a corner make separate polygons, valid without repair
    CPLErr err = GDALPolygonize(band, band, OGRLayer::ToHandle(layer), 0, opts, nullptr, nullptr);
    CSLDestroy(opts);
    if (err != CE_None) catchment_failure("GDALPolygonize failed");
    for (auto& f : *layer)
        if (const OGRGeometry* g = f->GetGeometryRef()) {
            if (wkbFlatten(g->getGeometryType()) == wkbPolygon) result->addGeometry(g);
        }
    for_each_ring(*result, [&](OGRLinearRing& ring) {
        for (int i = 0; i < ring.getNumPoints(); ++i) {
            const auto col = static_cast<std::size_t>(std::clamp<long>(std::lround(ring.getX(i)), 0, w));
            const auto row = static_cast<std::size_t>(std::clamp<long>(std::lround(-ring.getY(i)), 0, h));
            ring.setPoint(i, frame.xs[col], frame.ys[row]);
        }
    });
    GeometryPtr out(result.release());
    // With 4-connected cells a ring can only touch itself or another ring at a corner where
    // two cells within the limit meet diagonally (2×2 block 10/01 or 01/10); without one the
    // polygons are valid, and the costly validity test is for the others only.
    bool diagonal = false;
    for (int r = 0; r + 1 < wh && !diagonal; ++r)
        for (int c = 0; c + 1 < ww && !diagonal; ++c) {
            const std::size_t k = static_cast<std::size_t>(r) * static_cast<std::size_t>(ww) + static_cast<std::size_t>(c);
            const std::size_t below = k + static_cast<std::size_t>(ww);
            diagonal = inside[k] == inside[below + 1] && inside[k + 1] == inside[below] && inside[k] != inside[k + 1];
        }
    if (diagonal && !out->IsValid()) out.reset(out->MakeValid());
    return out;
}

// The study area noded on the frame: every cell side near its outline (sides of the cells
// the outline passes within two grid steps of) is overlaid with it on the grid, so the
// outline gets a vertex wherever it crosses a cell side, and (snap rounding) passes at least
// half a grid step (0.5 m) from every corner of those cells it does not go through. A
// contour (edges on cell sides, corners at cell corners) then meets this outline only at
// vertices of one or the other: an overlay of the two computes no new point.
std::shared_ptr<const NodedStudyArea> noded_study_area(const OGRGeometry& study_area, const GridFrame& frame) {
    auto result = std::make_shared<NodedStudyArea>();
    result->edge_cells.assign(static_cast<std::size_t>(frame.width()) * static_cast<std::size_t>(frame.height()), 0);
    std::vector<std::array<int, 3>> sides;  // {0: column line i, row span j | 1: row line j, column span i}
    auto add_cells = [&](double x0, double y0, double x1, double y1) {
        const double near = 2 * frame.step;
        const int i0 = frame.column_of(std::min(x0, x1) - near), i1 = frame.column_of(std::max(x0, x1) + near);
        const int j0 = frame.row_of(std::max(y0, y1) + near), j1 = frame.row_of(std::min(y0, y1) - near);
        for (int i = i0; i <= i1; ++i)
            for (int j = j0; j <= j1; ++j) {
                result->edge_cells[static_cast<std::size_t>(j) * static_cast<std::size_t>(frame.width()) + static_cast<std::size_t>(i)] = 1;
                sides.push_back({0, i, j});
                sides.push_back({0, i + 1, j});
                sides.push_back({1, j, i});
                sides.push_back({1, j + 1, i});
            }
    };
    GeometryPtr area(study_area.clone());
    for_each_ring(*area, [&](OGRLinearRing& ring) {
        for (int k = 1; k < ring.getNumPoints(); ++k)
            add_cells(ring.getX(k - 1), ring.getY(k - 1), ring.getX(k), ring.getY(k));
    });
    std::sort(sides.begin(), sides.end());
    sides.erase(std::unique(sides.begin(), sides.end()), sides.end());
    GeosContext c;
    const GEOSContextHandle_t h = c.get();
    std::vector<GEOSGeometry*> lines;
    lines.reserve(sides.size());
    // GEOS snap rounding pays a fixed cost per line string: the sides go in as few strings
    // as there are connected groups of them, each a walk through every side of its group
    // (sides followed back are merged by the overlay), a vertex at every corner.
    using Node = std::pair<int, int>;  // (column line, row line)
    std::vector<std::pair<Node, std::size_t>> ends;  // (corner, side) for both ends of each side
    auto side_ends = [&](const std::array<int, 3>& side) {
        return side[0] == 0 ? std::make_pair(Node{side[1], side[2]}, Node{side[1], side[2] + 1})
                            : std::make_pair(Node{side[2], side[1]}, Node{side[2] + 1, side[1]});
    };
    for (std::size_t k = 0; k < sides.size(); ++k) {
        auto [a, b] = side_ends(sides[k]);
        ends.emplace_back(a, k);
        ends.emplace_back(b, k);
    }
    std::sort(ends.begin(), ends.end());
    std::vector<bool> walked(sides.size(), false);
    std::vector<Node> walk;
    std::vector<std::pair<Node, std::size_t>> stack;  // corner, next position in `ends`
    auto first_end = [&](Node n) {
        return static_cast<std::size_t>(std::lower_bound(ends.begin(), ends.end(), std::make_pair(n, std::size_t{0})) - ends.begin());
    };
    auto emit = [&] {
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(walk.size()), 2);
        for (std::size_t p = 0; p < walk.size(); ++p)
            GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(p), frame.xs[static_cast<std::size_t>(walk[p].first)],
                                 frame.ys[static_cast<std::size_t>(walk[p].second)]);
        lines.push_back(GEOSGeom_createLineString_r(h, seq));
        walk.clear();
    };
    for (std::size_t start = 0; start < sides.size(); ++start) {
        if (walked[start]) continue;
        const Node origin = side_ends(sides[start]).first;
        walk.push_back(origin);
        stack.emplace_back(origin, first_end(origin));
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            while (next < ends.size() && ends[next].first == node && walked[ends[next].second]) ++next;
            if (next < ends.size() && ends[next].first == node) {
                const std::size_t side = ends[next].second;
                walked[side] = true;
                auto [a, b] = side_ends(sides[side]);
                const Node other = a == node ? b : a;
                walk.push_back(other);
                stack.emplace_back(other, first_end(other));
            } else {
                stack.pop_back();
                if (!stack.empty()) walk.push_back(stack.back().first);  // back along the side
            }
        }
        emit();
    }
    GeosPtr grid_lines = geos_check(c, GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lines.data(),
                                                                  static_cast<unsigned>(lines.size())),
                                    "collection");
    GeosPtr a = to_geos(c, *area);
    GeosPtr noded = geos_check(c, GEOSUnionPrec_r(h, a.get(), grid_lines.get(), frame.step), "union");
    auto polygons = std::make_unique<OGRMultiPolygon>();
    GeometryPtr all = from_geos(c, *noded);
    std::function<void(const OGRGeometry&)> keep = [&](const OGRGeometry& g) {
        auto t = wkbFlatten(g.getGeometryType());
        if (t == wkbPolygon) polygons->addGeometry(&g);
        else if (t == wkbMultiPolygon || t == wkbGeometryCollection)
            for (const auto* part : *g.toGeometryCollection()) keep(*part);
    };
    keep(*all);
    result->area.reset(polygons.release());
    return result;
}

// GEOS work of one thread on the noded study area. An overlay with the whole
// département's outline (tens of thousands of vertices) for every site was what made
// catchments slow, so: a contour with no cell near the outline is kept as it is (see
// contour()), and otherwise it is intersected with only the part of the area within its
// bounding box (GEOS rectangle clipping, linear in the outline) padded by more than a
// cell, so the rectangle's own edges stay away from everything the result keeps.
class AreaClipper {
public:
    AreaClipper(const OGRGeometry& noded_area, double pad, double step)
        : area_(to_geos(geos_, noded_area)), pad_(pad), step_(step) {}

    [[nodiscard]] const GeosContext& geos() const { return geos_; }
    [[nodiscard]] const GEOSGeometry& area() const { return *area_; }
    // The part of `polygon` within g's bounding box padded by more than a cell.
    [[nodiscard]] GeosPtr local(const GEOSGeometry& polygon, const GEOSGeometry& g) const {
        double x0, y0, x1, y1;
        if (!GEOSGeom_getXMin_r(geos_.get(), &g, &x0) || !GEOSGeom_getYMin_r(geos_.get(), &g, &y0) ||
            !GEOSGeom_getXMax_r(geos_.get(), &g, &x1) || !GEOSGeom_getYMax_r(geos_.get(), &g, &y1))
            return clone(polygon);
        GEOSGeometry* part = GEOSClipByRect_r(geos_.get(), &polygon, x0 - pad_, y0 - pad_, x1 + pad_, y1 + pad_);
        if (!part) return clone(polygon);
        GeosPtr out = geos_own(geos_, part);
        if (GEOSisValid_r(geos_.get(), out.get()) != 1) return clone(polygon);
        return out;
    }
    [[nodiscard]] GeosPtr clone(const GEOSGeometry& g) const { return geos_check(geos_, GEOSGeom_clone_r(geos_.get(), &g), "clone"); }
    [[nodiscard]] bool empty(const GEOSGeometry& g) const { return GEOSisEmpty_r(geos_.get(), &g) != 0; }
    // Overlays of polygons whose vertices are on the 1 m grid and which meet only at
    // vertices of one or the other (catchment.hpp): no new point, so the exact (floating)
    // overlay is the fixed-precision one, without its snap-rounding cost. Should a result
    // hold a point off the grid all the same, the overlay is redone on the grid.
    [[nodiscard]] GeosPtr intersection(const GEOSGeometry& a, const GEOSGeometry& b) const {
        GeosPtr r = polygonal(geos_check(geos_, GEOSIntersection_r(geos_.get(), &a, &b), "intersection"));
        if (on_grid(*r)) return r;
        return polygonal(geos_check(geos_, GEOSIntersectionPrec_r(geos_.get(), &a, &b, step_), "intersection"));
    }
    [[nodiscard]] GeosPtr difference(const GEOSGeometry& a, const GEOSGeometry& b) const {
        GeosPtr r = polygonal(geos_check(geos_, GEOSDifference_r(geos_.get(), &a, &b), "difference"));
        if (on_grid(*r)) return r;
        return polygonal(geos_check(geos_, GEOSDifferencePrec_r(geos_.get(), &a, &b, step_), "difference"));
    }
    [[nodiscard]] GeometryPtr to_ogr(const GEOSGeometry& g) const {
        return GeometryPtr(OGRGeometryFactory::forceToMultiPolygon(from_geos(geos_, g).release()));
    }

private:
    [[nodiscard]] bool on_grid(const GEOSGeometry& g) const {
        const int n = GEOSGetNumGeometries_r(geos_.get(), &g);
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* poly = GEOSGetGeometryN_r(geos_.get(), &g, i);
            const int holes = GEOSGetNumInteriorRings_r(geos_.get(), poly);
            for (int r = -1; r < holes; ++r) {
                const GEOSGeometry* ring = r < 0 ? GEOSGetExteriorRing_r(geos_.get(), poly) : GEOSGetInteriorRingN_r(geos_.get(), poly, r);
                const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(geos_.get(), ring);
                unsigned size = 0;
                GEOSCoordSeq_getSize_r(geos_.get(), seq, &size);
                for (unsigned k = 0; k < size; ++k) {
                    double x, y;
                    GEOSCoordSeq_getXY_r(geos_.get(), seq, k, &x, &y);
                    if (x != std::round(x / step_) * step_ || y != std::round(y / step_) * step_) return false;
                }
            }
        }
        return true;
    }
    [[nodiscard]] GeosPtr polygonal(GeosPtr g) const {
        const int type = GEOSGeomTypeId_r(geos_.get(), g.get());
        if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return g;
        std::vector<GEOSGeometry*> parts;
        const int n = GEOSGetNumGeometries_r(geos_.get(), g.get());
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(geos_.get(), g.get(), i);
            const int t = GEOSGeomTypeId_r(geos_.get(), part);
            if (t == GEOS_POLYGON) parts.push_back(GEOSGeom_clone_r(geos_.get(), part));
            else if (t == GEOS_MULTIPOLYGON)
                for (int k = 0; k < GEOSGetNumGeometries_r(geos_.get(), part); ++k)
                    parts.push_back(GEOSGeom_clone_r(geos_.get(), GEOSGetGeometryN_r(geos_.get(), part, k)));
        }
        return geos_check(geos_, GEOSGeom_createCollection_r(geos_.get(), GEOS_MULTIPOLYGON, parts.data(),
                                                             static_cast<unsigned>(parts.size())),
                          "collection");
    }

    GeosContext geos_;
    GeosPtr area_;
    double pad_;
    double step_;
};

struct Contour {
    GeosPtr polygon;
    bool on_edge = false;  // holds a cell near the study area's outline
};

// Bands of one family (a site's, or the covered areas), smallest first, from their raw
// contours (nested): the largest is clipped once, each smaller one is its contour ∩ the
// next larger band's result (only the part of it within the contour's bounding box: the
// same polygon, at the cost of the outline near the contour). A contour with no cell near
// the outline is its own band, and so are the smaller ones.
std::vector<GeosPtr> clip_nested(const std::vector<Contour>& contours, const AreaClipper& clipper) {
    const std::size_t n = contours.size();
    std::vector<GeosPtr> bands(n);
    for (std::size_t k = n; k-- > 0;) {
        const GEOSGeometry& c = *contours[k].polygon;
        if (!contours[k].on_edge || clipper.empty(c)) {
            for (std::size_t j = 0; j <= k; ++j) bands[j] = clipper.clone(*contours[j].polygon);
            break;
        }
        bands[k] = k + 1 == n ? clipper.intersection(c, *clipper.local(clipper.area(), c))
                              : clipper.intersection(c, *clipper.local(*bands[k + 1], c));
    }
    return bands;
}

// Adds to every ring of `family` the points `between(x0, y0, x1, y1, out)` puts strictly
// inside each edge (in the direction of travel).
template <class F>
void add_points(const std::vector<OGRGeometry*>& family, F&& between) {
    std::vector<double> xs, ys, extra;
    for (OGRGeometry* g : family)
        for_each_ring(*g, [&](OGRLinearRing& ring) {
            const int n = ring.getNumPoints();
            xs.clear();
            ys.clear();
            bool added = false;
            for (int i = 0; i < n; ++i) {
                const double x = ring.getX(i), y = ring.getY(i);
                xs.push_back(x);
                ys.push_back(y);
                if (i + 1 == n) break;
                const double nx = ring.getX(i + 1), ny = ring.getY(i + 1);
                extra.clear();
                between(x, y, nx, ny, extra);
                if (extra.empty()) continue;
                std::sort(extra.begin(), extra.end());
                extra.erase(std::unique(extra.begin(), extra.end()), extra.end());
                if (x == nx ? y > ny : x > nx) std::reverse(extra.begin(), extra.end());
                for (double v : extra) {
                    xs.push_back(x == nx ? x : v);
                    ys.push_back(x == nx ? v : y);
                }
                added = true;
            }
            if (added) ring.setPoints(static_cast<int>(xs.size()), xs.data(), ys.data());
        });
}

// Gives a family's shared boundaries the same vertices, so that rounding each vertex on its
// own moves a shared boundary the same way in every band: edges along a cell side longer
// than kMaxGridEdgeM are cut at every (kMaxGridEdgeM / cell)-th cell corner (the same
// corners whichever band the edge belongs to), then every vertex of the family lying inside
// an axis-parallel edge of another band (contour edges, outline edges along a cell side)
// becomes a vertex of that edge too. Only collinear points are added: shapes unchanged.
void densify_family(const std::vector<OGRGeometry*>& family, const GridFrame& frame) {
    const auto step = static_cast<std::size_t>(std::max(1, static_cast<int>(std::floor(kMaxGridEdgeM / frame.cell))));
    add_points(family, [&](double x, double y, double nx, double ny, std::vector<double>& out) {
        if (x == nx && std::abs(ny - y) > kMaxGridEdgeM && frame.column_line(x) >= 0) {
            const double lo = std::min(y, ny), hi = std::max(y, ny);  // row lines run north → south
            auto first = static_cast<std::size_t>(std::upper_bound(frame.ys.begin(), frame.ys.end(), hi, std::greater<>()) - frame.ys.begin());
            auto last = static_cast<std::size_t>(std::lower_bound(frame.ys.begin(), frame.ys.end(), lo, std::greater<>()) - frame.ys.begin());
            for (std::size_t k = (first + step - 1) / step * step; k < last; k += step) out.push_back(frame.ys[k]);
        } else if (y == ny && std::abs(nx - x) > kMaxGridEdgeM && frame.row_line(y) >= 0) {
            const double lo = std::min(x, nx), hi = std::max(x, nx);
            auto first = static_cast<std::size_t>(std::upper_bound(frame.xs.begin(), frame.xs.end(), lo) - frame.xs.begin());
            auto last = static_cast<std::size_t>(std::lower_bound(frame.xs.begin(), frame.xs.end(), hi) - frame.xs.begin());
            for (std::size_t k = (first + step - 1) / step * step; k < last; k += step) out.push_back(frame.xs[k]);
        }
    });
    std::vector<std::pair<double, double>> by_x, by_y;  // (x, y), (y, x) of every vertex
    for (OGRGeometry* g : family)
        for_each_ring(*g, [&](OGRLinearRing& ring) {
            for (int i = 0; i < ring.getNumPoints(); ++i) {
                by_x.emplace_back(ring.getX(i), ring.getY(i));
                by_y.emplace_back(ring.getY(i), ring.getX(i));
            }
        });
    std::sort(by_x.begin(), by_x.end());
    by_x.erase(std::unique(by_x.begin(), by_x.end()), by_x.end());
    std::sort(by_y.begin(), by_y.end());
    by_y.erase(std::unique(by_y.begin(), by_y.end()), by_y.end());
    auto on_line = [](const std::vector<std::pair<double, double>>& index, double at, double a, double b,
                      std::vector<double>& out) {
        const double lo = std::min(a, b), hi = std::max(a, b);
        for (auto it = std::upper_bound(index.begin(), index.end(), std::make_pair(at, lo));
             it != index.end() && it->first == at && it->second < hi; ++it)
            out.push_back(it->second);
    };
    add_points(family, [&](double x, double y, double nx, double ny, std::vector<double>& out) {
        if (x == nx && y != ny) on_line(by_x, x, y, ny, out);
        else if (y == ny && x != nx) on_line(by_y, y, x, nx, out);
    });
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

std::shared_ptr<const NodedStudyArea> CatchmentCache::noded_area(
    const std::string& key, const std::function<std::shared_ptr<const NodedStudyArea>()>& make) {
    {
        std::lock_guard lock(mutex_);
        auto it = areas_.find(key);
        if (it != areas_.end()) return it->second;
    }
    std::shared_ptr<const NodedStudyArea> area = make();
    std::lock_guard lock(mutex_);
    return areas_.emplace(key, std::move(area)).first->second;
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

namespace {
// What the noded study area depends on: the area and the grid (%a: exact).
std::string area_key(const OGRGeometry& area, const TimeGrid& grid) {
    OGREnvelope e;
    area.getEnvelope(&e);
    std::size_t points = 0;
    for_each_ring(const_cast<OGRGeometry&>(area), [&](OGRLinearRing& r) { points += static_cast<std::size_t>(r.getNumPoints()); });
    char buf[320];
    std::snprintf(buf, sizeof buf, "%a|%a|%a|%a|%zu|%a|%a|%a|%a|%d|%d", e.MinX, e.MinY, e.MaxX, e.MaxY, points,
                  OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(&area))), grid.cell_size(), grid.min_x(),
                  grid.max_y(), grid.width(), grid.height());
    return buf;
}

std::vector<Contour> contours(const TimeGrid& grid, const GridFrame& frame, const std::vector<float>& minutes,
                              const std::vector<Seconds>& bands, const NodedStudyArea& area, const AreaClipper& clipper) {
    std::vector<Contour> out;
    for (Seconds band : bands) {
        Contour c;
        c.polygon = to_geos(clipper.geos(), *contour(grid, frame, minutes, to_minutes(band), area.edge_cells, c.on_edge));
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<GeometryPtr> to_family(const std::vector<GeosPtr>& bands, const AreaClipper& clipper, const GridFrame& frame) {
    std::vector<GeometryPtr> out;
    std::vector<OGRGeometry*> family;
    for (const auto& b : bands) {
        out.push_back(clipper.to_ogr(*b));
        family.push_back(out.back().get());
    }
    densify_family(family, frame);
    return out;
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
    const GridFrame frame(grid);
    auto make_area = [&] { return noded_study_area(study_area, frame); };
    const std::shared_ptr<const NodedStudyArea> area =
        cache ? cache->noded_area(area_key(study_area, grid), make_area) : make_area();
    const double pad = grid.cell_size() + 2 * frame.step;
    const AreaClipper clipper(*area->area, pad, frame.step);
    set.cell_size_m = grid.cell_size();
    const Seconds limit = options.bands.back();
    const std::size_t drawn = options.per_site ? sites.size() : 0;
    Progress progress("catchments", drawn + 1);
    // One site's polygons depend on that site alone: threads take the next site (each with
    // its own clipper: GEOS contexts are not shared across threads) and the features are put
    // back in site order, so the output does not depend on the threads.
    std::vector<std::vector<Feature>> per_site(sites.size());
    std::atomic<std::size_t> next_site{0};
    auto work = [&](const AreaClipper& own_clipper) {
        for (std::size_t s; (s = next_site++) < drawn;) {
            const ServiceSite& site = sites.site(SiteId(static_cast<std::uint32_t>(s)));
            const std::string key = cache ? cache_key(site, attachments[s], grid, options) : std::string();
            if (cache && cache->find(key, per_site[s])) continue;
            SiteSearch search = network.toward(std::span(&attachments[s], 1), limit);
            auto minutes = grid.minutes(search);
            auto bands = to_family(
                clip_nested(contours(grid, frame, minutes, options.bands, *area, own_clipper), own_clipper), own_clipper,
                frame);
            for (std::size_t b = 0; b < bands.size(); ++b) {
                GeometryPtr& poly = bands[b];
                if (poly->IsEmpty()) continue;
                Feature f;
                f.properties["site_id"] = site.id;
                f.properties["site_name"] = site.name;
                f.properties["category"] = site.category;
                f.properties["band_minutes"] = round_to(to_minutes(options.bands[b]), 2);
                f.properties["area_km2"] = area_km2(*poly);
                f.properties["location_precision"] = to_string(site.precision);
                f.geometry = std::move(poly);
                per_site[s].push_back(std::move(f));
            }
            if (cache) cache->store(key, per_site[s]);
        }
    };
    // The covered areas (all sites at once), and not_covered = study area − covered, each
    // from the previous (larger) one: done by the calling thread while the others start on
    // the sites.
    std::vector<GeometryPtr> covered, rest;
    auto covered_work = [&] {
        SiteSearch all = network.toward(attachments, limit);
        auto minutes = grid.minutes(all);
        const auto covered_bands = clip_nested(contours(grid, frame, minutes, options.bands, *area, clipper), clipper);
        std::vector<GeosPtr> rest_bands;
        for (std::size_t b = 0; b < covered_bands.size(); ++b) {
            const GEOSGeometry& from = b == 0 ? clipper.area() : static_cast<const GEOSGeometry&>(*rest_bands.back());
            rest_bands.push_back(clipper.empty(*covered_bands[b]) ? clipper.clone(from)
                                                                  : clipper.difference(from, *covered_bands[b]));
        }
        covered = to_family(covered_bands, clipper, frame);
        rest = to_family(rest_bands, clipper, frame);
    };
    const std::size_t threads = std::clamp<std::size_t>(options.threads, 1, std::max<std::size_t>(1, drawn));
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(threads);
    for (std::size_t t = 1; t < threads; ++t)
        pool.emplace_back([&, t] {
            try {
                const AreaClipper own(*area->area, pad, frame.step);
                work(own);
            } catch (...) {
                errors[t] = std::current_exception();
                next_site = sites.size();
            }
        });
    try {
        covered_work();
        work(clipper);
    } catch (...) {
        errors[0] = std::current_exception();
        next_site = sites.size();
    }
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
    for (auto& features : per_site)
        for (auto& f : features) set.per_site_band.features.push_back(std::move(f));
    progress.advance(drawn);
    const std::string category = sites.empty() ? "" : sites.sites().front()->category;
    for (std::size_t b = 0; b < options.bands.size(); ++b) {
        Feature c;
        c.properties["category"] = category;
        c.properties["band_minutes"] = round_to(to_minutes(options.bands[b]), 2);
        c.properties["area_km2"] = area_km2(*covered[b]);
        c.geometry = std::move(covered[b]);
        set.covered.features.push_back(std::move(c));
        Feature n;
        n.properties["category"] = category;
        n.properties["band_minutes"] = round_to(to_minutes(options.bands[b]), 2);
        n.properties["area_km2"] = area_km2(*rest[b]);
        n.geometry = std::move(rest[b]);
        set.not_covered.features.push_back(std::move(n));
    }
    progress.advance();
    return set;
}

}  // namespace maillage
