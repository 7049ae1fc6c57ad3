#pragma once
// Every linear ring of a (multi)polygon or collection, outer and inner alike.
#include <ogr_geometry.h>

namespace maillage {

template <class F>
void for_each_ring(OGRGeometry& g, F&& f) {
    switch (wkbFlatten(g.getGeometryType())) {
        case wkbPolygon:
            for (auto* ring : *g.toPolygon()) f(*ring);
            break;
        case wkbMultiPolygon:
        case wkbGeometryCollection:
            for (auto* part : *g.toGeometryCollection()) for_each_ring(*part, f);
            break;
        default: break;
    }
}

template <class F>
void for_each_ring(const OGRGeometry& g, F&& f) {
    switch (wkbFlatten(g.getGeometryType())) {
        case wkbPolygon:
            for (const auto* ring : *g.toPolygon()) f(*ring);
            break;
        case wkbMultiPolygon:
        case wkbGeometryCollection:
            for (const auto* part : *g.toGeometryCollection()) for_each_ring(*part, f);
            break;
        default: break;
    }
}

}  // namespace maillage
