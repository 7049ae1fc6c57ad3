#include "output/gpkg_writer.hpp"

#include <map>
#include <string>

#include <cpl_conv.h>
#include <ogrsf_frmts.h>

#include "geo/crs.hpp"
#include "output/nested_layers.hpp"
#include "output/parallel_for.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {

struct FieldPlan {
    std::string name;
    OGRFieldType type = OFTInteger64;
    OGRFieldSubType subtype = OFSTNone;
    bool seen = false;
};

// Widens integer → real → string as values require; booleans stay booleans only if all are.
std::vector<FieldPlan> plan_fields(const FeatureLayer& layer) {
    std::vector<FieldPlan> plan;
    std::map<std::string, std::size_t> index;
    for (const auto& f : layer.features) {
        for (const auto& [key, value] : f.properties.items()) {
            if (!index.count(key)) {
                index[key] = plan.size();
                plan.push_back({key});
            }
            FieldPlan& p = plan[index[key]];
            if (value.is_null()) continue;
            OGRFieldType t;
            OGRFieldSubType st = OFSTNone;
            if (value.is_boolean()) {
                t = OFTInteger;
                st = OFSTBoolean;
            } else if (value.is_number_integer()) {
                t = OFTInteger64;
            } else if (value.is_number()) {
                t = OFTReal;
            } else {
                t = OFTString;
            }
            if (!p.seen) {
                p.type = t;
                p.subtype = st;
                p.seen = true;
            } else if (p.type != t || p.subtype != st) {
                bool numeric = (p.type == OFTInteger64 || p.type == OFTReal) && (t == OFTInteger64 || t == OFTReal);
                p.type = numeric ? OFTReal : OFTString;
                p.subtype = OFSTNone;
            }
        }
    }
    for (auto& p : plan)
        if (!p.seen) p.type = OFTString;
    return plan;
}

void set_field(OGRFeature& feature, int i, const FieldPlan& plan, const nlohmann::ordered_json& value) {
    if (value.is_null()) {
        feature.SetFieldNull(i);
        return;
    }
    switch (plan.type) {
        case OFTInteger: feature.SetField(i, value.get<bool>() ? 1 : 0); break;
        case OFTInteger64: feature.SetField(i, static_cast<GIntBig>(value.get<long long>())); break;
        case OFTReal: feature.SetField(i, value.get<double>()); break;
        default: feature.SetField(i, value.is_string() ? value.get<std::string>().c_str() : value.dump().c_str());
    }
}

// POINT when every feature is a point (QGIS then offers the layer as points), else GEOMETRY.
OGRwkbGeometryType layer_geometry_type(const FeatureLayer& layer) {
    if (layer.features.empty()) return wkbUnknown;
    for (const auto& f : layer.features)
        if (!f.geometry || wkbFlatten(f.geometry->getGeometryType()) != wkbPoint) return wkbUnknown;
    return wkbPoint;
}

// The `layer_styles` table as QGIS creates it (QgsOgrUtils / the OGR provider's saveStyle), as a
// GeoPackage attribute table so GDAL, and through it QGIS, see it.
void write_styles(GDALDataset& ds, const std::filesystem::path& path, const std::vector<GpkgLayerStyle>& styles,
                  const std::map<std::string, std::string>& geometry_columns) {
    char** options = CSLSetNameValue(nullptr, "FID", "id");
    OGRLayer* ogr = ds.CreateLayer("layer_styles", nullptr, wkbNone, options);
    CSLDestroy(options);
    if (!ogr) throw OutputError(path.string() + ": cannot create the layer_styles table");
    struct Column {
        const char* name;
        OGRFieldType type;
        int width;
        OGRFieldSubType subtype;
    };
    const Column columns[] = {{"f_table_catalog", OFTString, 256, OFSTNone}, {"f_table_schema", OFTString, 256, OFSTNone},
                              {"f_table_name", OFTString, 256, OFSTNone},    {"f_geometry_column", OFTString, 256, OFSTNone},
                              {"styleName", OFTString, 30, OFSTNone},        {"styleQML", OFTString, 0, OFSTNone},
                              {"styleSLD", OFTString, 0, OFSTNone},          {"useAsDefault", OFTInteger, 0, OFSTBoolean},
                              {"description", OFTString, 0, OFSTNone},       {"owner", OFTString, 30, OFSTNone},
                              {"ui", OFTString, 0, OFSTNone},                {"update_time", OFTDateTime, 0, OFSTNone}};
    for (const Column& c : columns) {
        OGRFieldDefn def(c.name, c.type);
        def.SetWidth(c.width);
        def.SetSubType(c.subtype);
        if (ogr->CreateField(&def) != OGRERR_NONE)
            throw OutputError(path.string() + ": cannot create field layer_styles." + c.name);
    }
    if (ogr->StartTransaction() != OGRERR_NONE) throw OutputError(path.string() + ": cannot start a transaction");
    for (const GpkgLayerStyle& style : styles) {
        auto column = geometry_columns.find(style.layer);
        if (column == geometry_columns.end())
            throw OutputError(path.string() + ": a style for layer '" + style.layer + "', which the file does not hold");
        OGRFeature row(ogr->GetLayerDefn());
        row.SetField("f_table_catalog", "");
        row.SetField("f_table_schema", "");  // QGIS selects styles with f_table_schema = ''
        row.SetField("f_table_name", style.layer.c_str());
        row.SetField("f_geometry_column", column->second.c_str());
        row.SetField("styleName", style.layer.c_str());
        row.SetField("styleQML", style.qml.c_str());
        row.SetField("styleSLD", "");
        row.SetField("useAsDefault", 1);
        row.SetField("description", style.description.c_str());
        row.SetField("owner", "");
        row.SetFieldNull(row.GetFieldIndex("ui"));
        // Fixed, as OGR_CURRENT_DATE: no clock in an output.
        row.SetField("update_time", 2000, 1, 1, 0, 0, 0.0f, 100);
        if (ogr->CreateFeature(&row) != OGRERR_NONE)
            throw OutputError(path.string() + ": cannot write a layer style: " + CPLGetLastErrorMsg());
    }
    if (ogr->CommitTransaction() != OGRERR_NONE) throw OutputError(path.string() + ": cannot commit layer_styles");
}

}  // namespace

void write_gpkg(const std::filesystem::path& path, const std::vector<const FeatureLayer*>& layers,
                const nlohmann::json& metadata, const std::vector<GpkgLayerStyle>& styles) {
    ensure_gdal_initialised();
    // GeoPackage stores "last change" timestamps; pin them so reruns are byte-identical.
    CPLSetConfigOption("OGR_CURRENT_DATE", "2000-01-01T00:00:00.000Z");
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw OutputError("GDAL has no GPKG driver");
    AtomicPath out(path);
    {
        DatasetPtr ds(driver->Create(out.temporary().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw OutputError(path.string() + ": cannot create GeoPackage: " + CPLGetLastErrorMsg());
        ds->SetMetadataItem("maillage_provenance", metadata.dump().c_str());
        OGRSpatialReference wgs84 = make_srs(kWgs84);
        const CrsTransform to_wgs84 = CrsTransform::lambert93_to_wgs84();
        // Full precision: writing moves a vertex only by PROJ's own error (well under 1 mm).
        OutputGrid grid;
        grid.from_lambert93 = [&](std::vector<double>& x, std::vector<double>& y) {
            std::vector<int> ok(x.size());
            if (!to_wgs84.ogr().Transform(x.size(), x.data(), y.data(), nullptr, ok.data()))
                throw OutputError(path.string() + ": cannot reproject a geometry to WGS84");
        };
        grid.decimals = -1;
        grid.fallback_decimals = 7;
        grid.rounding_m = 1e-3;
        std::map<std::string, std::string> geometry_columns;  // layer → its geometry column
        for (const FeatureLayer* layer : layers) {
            std::vector<GeometryPtr> nested;
            if (const NestedLayerRule* rule = nested_layer_rule(*layer)) nested = nested_output_geometries(*layer, *rule, grid);
            char** options = CSLSetNameValue(nullptr, "SPATIAL_INDEX", "NO");
            OGRLayer* ogr = ds->CreateLayer(layer->name.c_str(), &wgs84, layer_geometry_type(*layer), options);
            CSLDestroy(options);
            if (!ogr) throw OutputError(path.string() + ": cannot create layer " + layer->name);
            geometry_columns[layer->name] = ogr->GetGeometryColumn();
            auto plan = plan_fields(*layer);
            for (const auto& p : plan) {
                OGRFieldDefn def(p.name.c_str(), p.type);
                def.SetSubType(p.subtype);
                if (ogr->CreateField(&def) != OGRERR_NONE)
                    throw OutputError(path.string() + ": cannot create field " + p.name);
            }
            // Geometries reprojected on a few threads (one transformation each), then written in
            // order.
            std::vector<GeometryPtr> wgs84_geometries(layer->features.size());
            parallel_for(layer->features.size(), [&](std::size_t fi) {
                if (fi < nested.size() && nested[fi]) {
                    if (!nested[fi]->IsEmpty()) wgs84_geometries[fi] = std::move(nested[fi]);  // already WGS84
                    return;
                }
                const Feature& f = layer->features[fi];
                if (!f.geometry) return;
                thread_local CrsTransform own = CrsTransform::lambert93_to_wgs84();
                GeometryPtr g(f.geometry->clone());
                if (g->transform(&own.ogr()) != OGRERR_NONE)
                    throw OutputError(path.string() + ": cannot reproject a geometry to WGS84");
                wgs84_geometries[fi] = std::move(g);
            }, 2);
            if (ogr->StartTransaction() != OGRERR_NONE) throw OutputError(path.string() + ": cannot start a transaction");
            for (std::size_t fi = 0; fi < layer->features.size(); ++fi) {
                const Feature& f = layer->features[fi];
                OGRFeature feature(ogr->GetLayerDefn());
                for (std::size_t i = 0; i < plan.size(); ++i) {
                    auto it = f.properties.find(plan[i].name);
                    if (it != f.properties.end()) set_field(feature, static_cast<int>(i), plan[i], *it);
                }
                if (wgs84_geometries[fi]) feature.SetGeometryDirectly(wgs84_geometries[fi].release());
                if (ogr->CreateFeature(&feature) != OGRERR_NONE)
                    throw OutputError(path.string() + ": cannot write a feature: " + CPLGetLastErrorMsg());
            }
            if (ogr->CommitTransaction() != OGRERR_NONE)
                throw OutputError(path.string() + ": cannot commit layer " + layer->name);
        }
        if (!styles.empty()) write_styles(*ds, path, styles, geometry_columns);
    }
    out.commit();
}

}  // namespace maillage
