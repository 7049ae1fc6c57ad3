#pragma once
// RAII for the GEOS C API (reentrant, one context per thread): the context keeps the last
// error message, geometries are owned by GeosPtr, and OGR geometries go in and out through
// OGR's exportToGEOS / createFromGEOS with that context.
#include <memory>
#include <stdexcept>
#include <string>

#include <geos_c.h>
#include <ogr_geometry.h>

#include "geo/ogr_ptr.hpp"

namespace maillage {

class GeosContext {
public:
    GeosContext() : handle_(GEOS_init_r()) {
        GEOSContext_setErrorMessageHandler_r(
            handle_, [](const char* message, void* self) { static_cast<GeosContext*>(self)->error_ = message; }, this);
    }
    ~GeosContext() { GEOS_finish_r(handle_); }
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    [[nodiscard]] GEOSContextHandle_t get() const { return handle_; }
    [[nodiscard]] const std::string& last_error() const { return error_; }

private:
    GEOSContextHandle_t handle_;
    std::string error_;
};

struct GeosDeleter {
    GEOSContextHandle_t context = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g) GEOSGeom_destroy_r(context, g);
    }
};
using GeosPtr = std::unique_ptr<GEOSGeometry, GeosDeleter>;

inline GeosPtr geos_own(const GeosContext& c, GEOSGeometry* g) { return GeosPtr(g, GeosDeleter{c.get()}); }

// A GEOS result that must exist: throws std::runtime_error naming the operation otherwise.
inline GeosPtr geos_check(const GeosContext& c, GEOSGeometry* g, const char* operation) {
    if (!g) throw std::runtime_error(std::string("GEOS ") + operation + " failed: " + c.last_error());
    return geos_own(c, g);
}

inline GeosPtr to_geos(const GeosContext& c, const OGRGeometry& g) {
    return geos_check(c, g.exportToGEOS(c.get()), "export");
}

inline GeometryPtr from_geos(const GeosContext& c, const GEOSGeometry& g) {
    GeometryPtr out(OGRGeometryFactory::createFromGEOS(c.get(), const_cast<GEOSGeometry*>(&g)));
    if (!out) throw std::runtime_error("GEOS → OGR conversion failed");
    return out;
}

}  // namespace maillage
