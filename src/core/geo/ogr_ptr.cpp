#include "geo/ogr_ptr.hpp"

#include <mutex>

#include <cpl_error.h>

namespace maillage {

namespace {
void CPL_STDCALL quiet_handler(CPLErr, CPLErrorNum, const char*) {}
}  // namespace

void ensure_gdal_initialised() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        CPLSetErrorHandler(quiet_handler);
    });
}

}  // namespace maillage
