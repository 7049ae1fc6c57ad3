#include "geo/rings.hpp"
#include "output/nested_layers.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

#include <geos_c.h>

#include "geo/geos_context.hpp"
#include "output/parallel_for.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {


// A straight Lambert-93 edge drawn between its two reprojected ends strays from the
// reprojected edge by at most about length² / (8 R); R = 5,000 km is below the radius of
// the Lambert-93 parallels over mainland France (≥ 5,500 km), so this bounds it.
constexpr double kBendRadiusM = 5.0e6;

struct Segment {
    double ax, ay, bx, by;
};

double distance2_to_segment(double px, double py, const Segment& s) {
    const double dx = s.bx - s.ax, dy = s.by - s.ay;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((px - s.ax) * dx + (py - s.ay) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const double qx = s.ax + t * dx - px, qy = s.ay + t * dy - py;
    return qx * qx + qy * qy;
}

// Does segment s come within `pad` of the square [x0, x0 + size] × [y0, y0 + size]?
bool near_square(const Segment& s, double x0, double y0, double size, double pad) {
    // Liang–Barsky clipping of s against the padded square.
    const double xmin = x0 - pad, xmax = x0 + size + pad, ymin = y0 - pad, ymax = y0 + size + pad;
    double t0 = 0, t1 = 1;
    const double dx = s.bx - s.ax, dy = s.by - s.ay;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {s.ax - xmin, xmax - s.ax, s.ay - ymin, ymax - s.ay};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] < 0) return false;
        } else {
            const double r = q[i] / p[i];
            if (p[i] < 0) t0 = std::max(t0, r);
            else t1 = std::min(t1, r);
        }
    }
    return t0 <= t1;
}

std::int64_t bin_key(std::int64_t ix, std::int64_t iy) { return (ix << 32) ^ (iy & 0xffffffffLL); }

// ---- nest_on_grid -------------------------------------------------------------------

using Geoms = std::vector<GeosPtr>;

GeosPtr empty_multipolygon(const GeosContext& c) {
    return geos_check(c, GEOSGeom_createEmptyCollection_r(c.get(), GEOS_MULTIPOLYGON), "empty collection");
}

bool is_empty(const GeosContext& c, const GEOSGeometry& g) { return GEOSisEmpty_r(c.get(), &g) != 0; }

// The polygons of g (Polygon or MultiPolygon or collection), cloned.
void append_polygons(const GeosContext& c, const GEOSGeometry& g, std::vector<GEOSGeometry*>& out) {
    const int type = GEOSGeomTypeId_r(c.get(), &g);
    if (type == GEOS_POLYGON) {
        if (!is_empty(c, g)) out.push_back(GEOSGeom_clone_r(c.get(), &g));
        return;
    }
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(c.get(), &g);
        for (int i = 0; i < n; ++i) append_polygons(c, *GEOSGetGeometryN_r(c.get(), &g, i), out);
    }
}

GeosPtr multipolygon(const GeosContext& c, std::vector<GEOSGeometry*>& parts) {
    return geos_check(c, GEOSGeom_createCollection_r(c.get(), GEOS_MULTIPOLYGON, parts.data(),
                                                      static_cast<unsigned>(parts.size())),
                      "collection");
}

// A point well inside a face: the interior point, unless it lies within two grid cells of
// the face's boundary (a sliver hanging off a larger face draws it there), then the centre
// of the largest inscribed circle when that is deeper.
GeosPtr sample_point(const GeosContext& c, const GEOSGeometry& face, double cell) {
    GeosPtr pt = geos_check(c, GEOSPointOnSurface_r(c.get(), &face), "interior point");
    GeosPtr boundary = geos_check(c, GEOSBoundary_r(c.get(), &face), "boundary");
    double depth = 0;
    if (!GEOSDistance_r(c.get(), pt.get(), boundary.get(), &depth) || depth >= 2 * cell) return pt;
    GEOSGeometry* circle = GEOSMaximumInscribedCircle_r(c.get(), &face, cell / 4);
    if (!circle) return pt;
    GeosPtr radius = geos_own(c, circle);
    double r = 0;
    if (GEOSLength_r(c.get(), radius.get(), &r) && r > depth) {
        GEOSGeometry* centre = GEOSGeomGetStartPoint_r(c.get(), radius.get());
        if (centre) return geos_own(c, centre);
    }
    return pt;
}

// Every coordinate exactly k / 10^decimals: what a reader parsing the written decimal gets.
GeosPtr onto_grid(const GeosContext& c, const GEOSGeometry& g, double scale) {
    bool moved = false;
    GeometryPtr o = from_geos(c, g);
    for_each_ring(*o, [&](OGRLinearRing& ring) {
        for (int i = 0; i < ring.getNumPoints(); ++i) {
            const double x = std::round(ring.getX(i) * scale) / scale, y = std::round(ring.getY(i) * scale) / scale;
            if (x != ring.getX(i) || y != ring.getY(i)) {
                ring.setPoint(i, x, y);
                moved = true;
            }
        }
    });
    return moved ? to_geos(c, *o) : geos_check(c, GEOSGeom_clone_r(c.get(), &g), "clone");
}

Geoms arrange(const GeosContext& c, const Geoms& members, double cell, double scale) {
    const GEOSContextHandle_t h = c.get();
    const std::size_t n = members.size();
    // 1. All boundaries, snap-rounded together: a fully noded arrangement on the grid.
    std::vector<GEOSGeometry*> boundaries;
    for (const auto& m : members)
        if (!is_empty(c, *m)) boundaries.push_back(geos_check(c, GEOSBoundary_r(h, m.get()), "boundary").release());
    Geoms out;
    if (boundaries.empty()) {
        for (std::size_t k = 0; k < n; ++k) out.push_back(empty_multipolygon(c));
        return out;
    }
    GeosPtr lines = geos_check(c, GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, boundaries.data(),
                                                              static_cast<unsigned>(boundaries.size())),
                               "collection");
    GeosPtr noded = geos_check(c, GEOSUnaryUnionPrec_r(h, lines.get(), cell), "noding");
    const GEOSGeometry* noded_array[1] = {noded.get()};
    GeosPtr faces = geos_check(c, GEOSPolygonize_r(h, noded_array, 1), "polygonize");
    // 2. Each face goes to the smallest member holding it.
    std::vector<const GEOSPreparedGeometry*> prepared(n, nullptr);
    for (std::size_t k = 0; k < n; ++k)
        if (!is_empty(c, *members[k])) prepared[k] = GEOSPrepare_r(h, members[k].get());
    std::vector<std::vector<const GEOSGeometry*>> by_rank(n);
    const int face_count = GEOSGetNumGeometries_r(h, faces.get());
    try {
        for (int i = 0; i < face_count; ++i) {
            const GEOSGeometry* face = GEOSGetGeometryN_r(h, faces.get(), i);
            if (is_empty(c, *face)) continue;
            GeosPtr pt = sample_point(c, *face, cell);
            for (std::size_t k = 0; k < n; ++k)
                if (prepared[k] && GEOSPreparedIntersects_r(h, prepared[k], pt.get()) == 1) {
                    by_rank[k].push_back(face);
                    break;
                }
        }
    } catch (...) {
        for (auto* p : prepared)
            if (p) GEOSPreparedGeom_destroy_r(h, p);
        throw;
    }
    for (auto* p : prepared)
        if (p) GEOSPreparedGeom_destroy_r(h, p);
    // 3. Rank k = rank k − 1 ∪ its faces. The faces share their edges exactly, so a coverage
    // union moves no vertex; should it refuse, a fixed-precision union on the same grid.
    GeosPtr previous;
    for (std::size_t k = 0; k < n; ++k) {
        if (is_empty(c, *members[k])) {
            out.push_back(empty_multipolygon(c));
            continue;
        }
        std::vector<GEOSGeometry*> parts;
        if (previous) append_polygons(c, *previous, parts);
        for (const GEOSGeometry* f : by_rank[k]) parts.push_back(GEOSGeom_clone_r(h, f));
        GeosPtr result;
        if (parts.empty()) {
            result = empty_multipolygon(c);
        } else if (by_rank[k].empty()) {
            for (auto* p : parts) GEOSGeom_destroy_r(h, p);
            result = geos_check(c, GEOSGeom_clone_r(h, previous.get()), "clone");
        } else {
            GeosPtr all = multipolygon(c, parts);
            GEOSGeometry* u = GEOSCoverageUnion_r(h, all.get());
            if (!u) u = GEOSUnaryUnionPrec_r(h, all.get(), cell);
            result = onto_grid(c, *geos_check(c, u, "union"), scale);
        }
        previous = geos_check(c, GEOSGeom_clone_r(h, result.get()), "clone");
        out.push_back(std::move(result));
    }
    return out;
}

bool nested_and_valid(const GeosContext& c, const Geoms& g) {
    const GEOSGeometry* previous = nullptr;
    for (const auto& m : g) {
        if (is_empty(c, *m)) continue;
        if (GEOSisValid_r(c.get(), m.get()) != 1) return false;
        if (previous && GEOSWithin_r(c.get(), previous, m.get()) != 1) return false;
        previous = m.get();
    }
    return true;
}

}  // namespace

const NestedLayerRule* nested_layer_rule(const FeatureLayer& layer) {
    for (const auto& rule : kNestedLayers) {
        if (layer.name != rule.layer) continue;
        for (const auto& f : layer.features) {
            if (!f.geometry || f.geometry->IsEmpty()) continue;
            auto it = f.properties.find(std::string(rule.order_by));
            if (it == f.properties.end() || !it->is_number()) return nullptr;
            const auto t = wkbFlatten(f.geometry->getGeometryType());
            if (t != wkbPolygon && t != wkbMultiPolygon) return nullptr;
        }
        return &rule;
    }
    return nullptr;
}

bool rounding_keeps_topology(const std::vector<const OGRGeometry*>& family, double rounding_m) {
    std::vector<Segment> segments;
    for (const OGRGeometry* g : family)
        for_each_ring(*g, [&](const OGRLinearRing& ring) {
            for (int i = 1; i < ring.getNumPoints(); ++i) {
                const double ax = ring.getX(i - 1), ay = ring.getY(i - 1), bx = ring.getX(i), by = ring.getY(i);
                if (ax == bx && ay == by) continue;
                segments.push_back({ax, ay, bx, by});
            }
        });
    if (segments.empty()) return true;
    // Shared edges appear once per polygon: duplicates only repeat the same tests, cheaper
    // than sorting them away. Each vertex of a closed ring starts one edge.
    double longest2 = 0, shortest2 = INFINITY, total = 0;
    std::vector<std::pair<double, double>> vertices;
    vertices.reserve(segments.size());
    for (const auto& s : segments) {
        const double l2 = (s.bx - s.ax) * (s.bx - s.ax) + (s.by - s.ay) * (s.by - s.ay);
        longest2 = std::max(longest2, l2);
        shortest2 = std::min(shortest2, l2);
        total += std::sqrt(l2);
        vertices.emplace_back(s.ax, s.ay);
    }
    const double bend = longest2 / (8 * kBendRadiusM);
    const double clearance = 2.5 * (rounding_m + bend);
    if (shortest2 <= clearance * clearance) return false;
    // Vertices against the edges passing near them, through a grid of square bins.
    const double size = std::max(total / static_cast<double>(segments.size()), 8 * clearance);
    auto bin_of = [&](double v) { return static_cast<std::int64_t>(std::floor(v / size)); };
    std::vector<std::pair<std::int64_t, std::uint32_t>> edge_bins, vertex_bins;
    for (std::uint32_t i = 0; i < segments.size(); ++i) {
        const Segment& s = segments[i];
        const std::int64_t x0 = bin_of(std::min(s.ax, s.bx) - clearance), x1 = bin_of(std::max(s.ax, s.bx) + clearance);
        const std::int64_t y0 = bin_of(std::min(s.ay, s.by) - clearance), y1 = bin_of(std::max(s.ay, s.by) + clearance);
        const bool many = (x1 - x0 + 1) * (y1 - y0 + 1) > 4;
        for (std::int64_t x = x0; x <= x1; ++x)
            for (std::int64_t y = y0; y <= y1; ++y)
                if (!many || near_square(s, static_cast<double>(x) * size, static_cast<double>(y) * size, size, clearance))
                    edge_bins.emplace_back(bin_key(x, y), i);
    }
    for (std::uint32_t i = 0; i < vertices.size(); ++i)
        vertex_bins.emplace_back(bin_key(bin_of(vertices[i].first), bin_of(vertices[i].second)), i);
    std::sort(edge_bins.begin(), edge_bins.end());
    std::sort(vertex_bins.begin(), vertex_bins.end());
    const double limit2 = clearance * clearance;
    std::size_t e = 0;
    for (std::size_t v = 0; v < vertex_bins.size();) {
        const std::int64_t key = vertex_bins[v].first;
        std::size_t v_end = v;
        while (v_end < vertex_bins.size() && vertex_bins[v_end].first == key) ++v_end;
        while (e < edge_bins.size() && edge_bins[e].first < key) ++e;
        std::size_t e_end = e;
        while (e_end < edge_bins.size() && edge_bins[e_end].first == key) ++e_end;
        for (std::size_t i = v; i < v_end; ++i) {
            const auto [px, py] = vertices[vertex_bins[i].second];
            for (std::size_t j = e; j < e_end; ++j) {
                const Segment& s = segments[edge_bins[j].second];
                if ((px == s.ax && py == s.ay) || (px == s.bx && py == s.by)) continue;
                if (distance2_to_segment(px, py, s) <= limit2) return false;
            }
        }
        v = v_end;
    }
    return true;
}

std::vector<GeometryPtr> nest_on_grid(const std::vector<const OGRGeometry*>& smallest_first, int decimals) {
    const double scale = std::pow(10.0, decimals);
    const double cell = 1.0 / scale;  // GEOS takes the grid size and works with 1 / size: exactly 10^decimals
    GeosContext c;
    Geoms current;
    for (const OGRGeometry* g : smallest_first) current.push_back(to_geos(c, *g));
    for (int attempt = 0; attempt < 3; ++attempt) {
        Geoms result = arrange(c, current, cell, scale);
        if (nested_and_valid(c, result)) {
            std::vector<GeometryPtr> out;
            for (const auto& g : result)
                out.push_back(GeometryPtr(OGRGeometryFactory::forceToMultiPolygon(from_geos(c, *g).release())));
            return out;
        }
        current = std::move(result);  // again, from the nearly nested result
    }
    throw OutputError("nested polygons: cannot make them nested and valid on a grid of 1e-" + std::to_string(decimals));
}

namespace {

// Families already found safe, by content (the GeoJSON and GeoPackage writers see the same
// layers one after the other): fingerprint → largest rounding checked.
struct Fingerprint {
    std::uint64_t a = 1469598103934665603ULL, b = 0x9e3779b97f4a7c15ULL;
    void add(std::uint64_t v) {
        a = (a ^ v) * 1099511628211ULL;
        b += v + 0x9e3779b97f4a7c15ULL;
        b = (b ^ (b >> 30)) * 0xbf58476d1ce4e5b9ULL;
        b = (b ^ (b >> 27)) * 0x94d049bb133111ebULL;
        b ^= b >> 31;
    }
    void add(double v) { add(std::bit_cast<std::uint64_t>(v)); }
    bool operator<(const Fingerprint& o) const { return std::tie(a, b) < std::tie(o.a, o.b); }
};

Fingerprint fingerprint(const std::vector<const OGRGeometry*>& family) {
    Fingerprint f;
    for (const OGRGeometry* g : family) {
        f.add(std::uint64_t{0xfeed});
        for_each_ring(*g, [&](const OGRLinearRing& ring) {
            f.add(static_cast<std::uint64_t>(ring.getNumPoints()));
            for (int i = 0; i < ring.getNumPoints(); ++i) {
                f.add(ring.getX(i));
                f.add(ring.getY(i));
            }
        });
    }
    return f;
}

std::mutex checked_mutex;
std::map<Fingerprint, double> checked;  // fingerprint → largest rounding_m that passed

}  // namespace

std::vector<GeometryPtr> nested_output_geometries(const FeatureLayer& layer, const NestedLayerRule& rule,
                                                  const OutputGrid& grid) {
    std::vector<GeometryPtr> out(layer.features.size());
    std::map<std::string, std::vector<std::size_t>> by_key;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        const Feature& f = layer.features[i];
        if (!f.geometry || f.geometry->IsEmpty()) continue;
        std::string key;
        if (!rule.group_by.empty()) {
            auto it = f.properties.find(std::string(rule.group_by));
            key = it == f.properties.end() ? "null" : it->dump();
        }
        by_key[key].push_back(i);
    }
    const std::string order_by(rule.order_by);
    std::vector<std::vector<std::size_t>> families;
    for (auto& [key, members] : by_key) {
        std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            const double va = layer.features[a].properties[order_by].get<double>();
            const double vb = layer.features[b].properties[order_by].get<double>();
            return rule.grows ? va < vb : va > vb;
        });
        families.push_back(std::move(members));
    }
    auto geometries = [&](const std::vector<std::size_t>& members) {
        std::vector<const OGRGeometry*> family;
        for (std::size_t i : members) family.push_back(layer.features[i].geometry.get());
        return family;
    };
    std::vector<char> safe(families.size(), 0);
    parallel_for(
        families.size(), [&](std::size_t k) {
        const auto family = geometries(families[k]);
        const Fingerprint f = fingerprint(family);
        {
            std::lock_guard lock(checked_mutex);
            auto it = checked.find(f);
            if (it != checked.end() && it->second >= grid.rounding_m) {
                safe[k] = 1;
                return;
            }
        }
        if (!rounding_keeps_topology(family, grid.rounding_m)) return;
        safe[k] = 1;
        std::lock_guard lock(checked_mutex);
        if (checked.size() > 1'000'000) checked.clear();
        double& r = checked[f];
        r = std::max(r, grid.rounding_m);
    }, 4);
    std::vector<double> xs, ys;
    for (std::size_t k = 0; k < families.size(); ++k) {
        if (safe[k]) continue;
        // Rebuilt in output coordinates, on the output grid.
        std::vector<GeometryPtr> projected;
        std::vector<const OGRGeometry*> view;
        for (const OGRGeometry* g : geometries(families[k])) {
            GeometryPtr p(g->clone());
            for_each_ring(*p, [&](OGRLinearRing& ring) {
                const int n = ring.getNumPoints();
                xs.resize(static_cast<std::size_t>(n));
                ys.resize(static_cast<std::size_t>(n));
                ring.getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
                grid.from_lambert93(xs, ys);
                ring.setPoints(n, xs.data(), ys.data());
            });
            view.push_back(p.get());
            projected.push_back(std::move(p));
        }
        auto nested = nest_on_grid(view, grid.decimals >= 0 ? grid.decimals : grid.fallback_decimals);
        for (std::size_t m = 0; m < families[k].size(); ++m) out[families[k][m]] = std::move(nested[m]);
    }
    return out;
}

}  // namespace maillage
