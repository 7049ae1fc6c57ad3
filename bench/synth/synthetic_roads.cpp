#include "synthetic_roads.hpp"

#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

namespace maillage::synth {

namespace {

constexpr double kOffsetAmplitudeM = 3.0;
constexpr std::int64_t kMaxSegments = 50'000'000;
constexpr std::int64_t kFeaturesPerTransaction = 100'000;
// Lambert-93 coordinates stay well inside what the loader accepts (1e7 m).
constexpr double kMaxCoordinateM = 9e6;

std::uint64_t splitmix64(std::uint64_t x) {
    std::uint64_t z = x + 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Sideways offset of shape point k of the link leaving (r, c) eastwards or southwards: an
// integer hash, the same with every standard library.
double shape_offset(bool east, std::int64_t r, std::int64_t c, std::int64_t k) {
    const std::uint64_t key = (static_cast<std::uint64_t>(east ? 0 : 1) << 56) ^ (static_cast<std::uint64_t>(r) << 36) ^
                              (static_cast<std::uint64_t>(c) << 16) ^ static_cast<std::uint64_t>(k);
    const auto h = static_cast<std::int64_t>(splitmix64(key) % 2001);
    return kOffsetAmplitudeM * static_cast<double>(h - 1000) / 1000.0;
}

const char* vocation(std::int64_t line) {
    if (line % 32 == 0) return "Liaison principale";
    if (line % 8 == 0) return "Liaison régionale";
    return "Liaison locale";
}

// Of an east link on row r; south links are all "Double sens".
const char* sens(std::int64_t r) {
    if (r % 8 == 1) return "Sens unique";
    if (r % 8 == 5) return "Sens inverse";
    return "Double sens";
}

const char* class_adm(std::int64_t line) {
    if (line % 32 == 0) return "Nationale";
    if (line % 8 == 0) return "Départementale";
    return "Sans objet";
}

// Calls emit(east, r, c) for the first S links in the layout's order.
template <class Emit>
void for_each_link(const RoadLayerOptions& o, Emit&& emit) {
    const std::int64_t n = grid_size(o.segments);
    std::int64_t left = o.segments;
    for (std::int64_t r = 0; r < n && left > 0; ++r) {
        for (std::int64_t c = 0; c + 1 < n && left > 0; ++c, --left) emit(true, r, c);
        for (std::int64_t c = 0; r + 1 < n && c < n && left > 0; ++c, --left) emit(false, r, c);
    }
}

struct DatasetCloser {
    void operator()(GDALDataset* d) const { GDALClose(d); }
};

[[noreturn]] void gdal_failure(const std::string& what) {
    const std::string gdal = CPLGetLastErrorMsg();
    throw std::runtime_error(what + (gdal.empty() ? "" : ": " + gdal));
}

}  // namespace

std::int64_t grid_size(std::int64_t segments) {
    std::int64_t n = 2;
    while (2 * n * (n - 1) < segments) ++n;
    return n;
}

void check_options(const RoadLayerOptions& o) {
    if (o.segments < 1 || o.segments > kMaxSegments)
        throw std::invalid_argument("--segments " + std::to_string(o.segments) + ": expected 1..50000000");
    if (o.shape_points < 0 || o.shape_points > 200)
        throw std::invalid_argument("--shape-points " + std::to_string(o.shape_points) + ": expected 0..200");
    if (!(o.spacing_m >= 20 && o.spacing_m <= 10000))
        throw std::invalid_argument("--spacing " + std::to_string(o.spacing_m) + ": expected 20..10000 m");
    const double half = static_cast<double>(grid_size(o.segments) - 1) / 2 * o.spacing_m + kOffsetAmplitudeM;
    if (!std::isfinite(o.centre_x) || !std::isfinite(o.centre_y) || std::abs(o.centre_x) + half > kMaxCoordinateM ||
        std::abs(o.centre_y) + half > kMaxCoordinateM)
        throw std::invalid_argument("--centre-x/--centre-y: the grid would reach beyond 9 000 km of the Lambert-93 origin");
}

RoadLayerCounts expected_counts(const RoadLayerOptions& o) {
    check_options(o);
    RoadLayerCounts c;
    c.grid_size = grid_size(o.segments);
    c.segments = o.segments;
    c.points = o.segments * (o.shape_points + 2);
    for_each_link(o, [&](bool east, std::int64_t r, std::int64_t) {
        if (east && (r % 8 == 1 || r % 8 == 5)) ++c.oneway_segments;
    });
    c.arcs = 2 * c.segments - c.oneway_segments;
    return c;
}

void write_road_layer(const RoadLayerOptions& o) {
    check_options(o);
    if (o.output.empty()) throw std::invalid_argument("no output file (-o)");
    if (!GetGDALDriverManager()->GetDriverByName("GPKG")) GDALAllRegister();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw std::runtime_error("GDAL has no GeoPackage driver");
    // The file's date (gpkg_contents.last_change) fixed: the same options, the same bytes.
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00.000Z");
    // GDAL's errors go into the exception's message, not to stderr as well.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    struct Restore {
        ~Restore() {
            CPLPopErrorHandler();
            CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", nullptr);
        }
    } restore;

    std::filesystem::path tmp = o.output;
    tmp.replace_filename(o.output.stem().string() + ".tmp" + std::to_string(::getpid()) + ".gpkg");
    std::filesystem::remove(tmp);
    CPLErrorReset();
    std::unique_ptr<GDALDataset, DatasetCloser> ds(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) gdal_failure("cannot create " + tmp.string());
    auto fail = [&](const std::string& what) {
        const std::string gdal = CPLGetLastErrorMsg();
        ds.reset();
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        throw std::runtime_error(what + (gdal.empty() ? "" : ": " + gdal));
    };

    OGRSpatialReference lambert93;
    if (lambert93.importFromEPSG(2154) != OGRERR_NONE) fail("PROJ does not know EPSG:2154");
    lambert93.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer("TRONCON_ROUTE", &lambert93, wkbLineString, nullptr);
    if (!layer) fail("cannot create the layer TRONCON_ROUTE");
    struct Field {
        const char* name;
        OGRFieldType type;
    };
    for (const Field& f : {Field{"ID_RTE500", OFTInteger}, Field{"VOCATION", OFTString}, Field{"NB_CHAUSSE", OFTString},
                           Field{"NB_VOIES", OFTString}, Field{"ETAT", OFTString}, Field{"ACCES", OFTString},
                           Field{"RES_VERT", OFTString}, Field{"SENS", OFTString}, Field{"RES_EUROPE", OFTString},
                           Field{"NUM_ROUTE", OFTString}, Field{"CLASS_ADM", OFTString}, Field{"LONGUEUR", OFTReal}}) {
        OGRFieldDefn defn(f.name, f.type);
        if (layer->CreateField(&defn) != OGRERR_NONE) fail(std::string("cannot create the field ") + f.name);
    }

    const std::int64_t n = grid_size(o.segments), k = o.shape_points;
    const double half = static_cast<double>(n - 1) / 2, step = 1.0 / static_cast<double>(k + 1);
    auto x_of = [&](double c) { return o.centre_x + (c - half) * o.spacing_m; };
    auto y_of = [&](double r) { return o.centre_y + (half - r) * o.spacing_m; };
    OGRFeature feature(layer->GetLayerDefn());
    std::int64_t written = 0;
    if (ds->StartTransaction() != OGRERR_NONE) fail("cannot start a transaction");
    for_each_link(o, [&](bool east, std::int64_t r, std::int64_t c) {
        const std::int64_t line = east ? r : c;
        OGRLineString ls;
        ls.setNumPoints(static_cast<int>(k + 2), FALSE);
        ls.setPoint(0, x_of(static_cast<double>(c)), y_of(static_cast<double>(r)));
        for (std::int64_t kk = 1; kk <= k; ++kk) {
            const double along = static_cast<double>(kk) * step, side = shape_offset(east, r, c, kk);
            if (east) ls.setPoint(static_cast<int>(kk), x_of(static_cast<double>(c) + along), y_of(static_cast<double>(r)) + side);
            else ls.setPoint(static_cast<int>(kk), x_of(static_cast<double>(c)) + side, y_of(static_cast<double>(r) + along));
        }
        ls.setPoint(static_cast<int>(k + 1), x_of(static_cast<double>(c + (east ? 1 : 0))), y_of(static_cast<double>(r + (east ? 0 : 1))));
        feature.SetFID(OGRNullFID);
        feature.SetField("ID_RTE500", static_cast<int>(written + 1));
        feature.SetField("VOCATION", vocation(line));
        feature.SetField("NB_CHAUSSE", line % 32 == 0 ? "2 chaussées" : "1 chaussée");
        feature.SetField("NB_VOIES", line % 8 == 0 ? "2 voies larges" : "2 voies étroites");
        feature.SetField("ETAT", "Revêtu");
        feature.SetField("ACCES", "Libre");
        feature.SetField("RES_VERT", "Non");
        feature.SetField("SENS", east ? sens(r) : "Double sens");
        char europe[24] = "", number[24] = "";
        if (line % 32 == 0) std::snprintf(europe, sizeof europe, "E%lld", static_cast<long long>(line / 32 + 600));
        if (line % 8 == 0) std::snprintf(number, sizeof number, "%s%lld", line % 32 == 0 ? "N" : "D", static_cast<long long>(line + 1));
        feature.SetField("RES_EUROPE", europe);
        feature.SetField("NUM_ROUTE", number);
        feature.SetField("CLASS_ADM", class_adm(line));
        feature.SetField("LONGUEUR", std::round(ls.get_Length()) / 1000.0);  // km, as ROUTE 500
        feature.SetGeometry(&ls);
        if (layer->CreateFeature(&feature) != OGRERR_NONE) fail("cannot write feature " + std::to_string(written + 1));
        if (++written % kFeaturesPerTransaction == 0) {
            if (ds->CommitTransaction() != OGRERR_NONE || ds->StartTransaction() != OGRERR_NONE)
                fail("cannot commit the features written");
        }
    });
    if (ds->CommitTransaction() != OGRERR_NONE) fail("cannot commit the features written");
    ds.reset();  // closing builds the spatial index and writes the file
    if (CPLGetLastErrorType() == CE_Failure) fail("cannot close " + tmp.string());
    std::filesystem::rename(tmp, o.output);
}

}  // namespace maillage::synth
