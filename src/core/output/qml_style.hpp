#pragma once
// QGIS 3 layer styles (.qml) for the coverage layers, with the classes and colours of
// output/time_classes.hpp, so a layer opened in QGIS looks like the report's maps.
// Written next to each GeoJSON (QGIS loads FILE.qml when it opens FILE.geojson) and into
// the GeoPackage's `layer_styles` table (output/gpkg_writer.hpp). Pure text, no clock, no
// random keys: the same bands give the same bytes.
#include <string>
#include <string_view>
#include <vector>

namespace maillage {

// coverage_communes: one rule per time class on "mean_minutes" (the commune's population-weighted
// time to the nearest site, the value its "band" and "covered" fields use;
// null when no site can be reached): `"mean_minutes" <= b1`, `"mean_minutes" > b1 AND
// "mean_minutes" <= b2`, ..., `"mean_minutes" > bn`, then `"mean_minutes" IS NULL` in the
// "inaccessible" grey. Opaque fills, thin grey outline; legend labels are the classes' labels.
std::string coverage_communes_qml(const std::vector<double>& bands_minutes);

// catchments: one rule per band on "band_minutes", filled (semi-transparent) with the colour of
// the class whose upper bound is that band; the largest band is drawn first (rule order,
// symbol levels and feature order by "band_minutes" descending) so the nearer bands stay visible.
std::string catchments_qml(const std::vector<double>& bands_minutes);

// sites: a dark circle with a white outline, no labels.
std::string sites_qml();

// "#rrggbb" → "r,g,b,alpha" (QGIS colour text); throws std::invalid_argument on another form.
std::string qgis_colour(std::string_view hex, int alpha = 255);

// Text escaped for an XML attribute value or element text (& < > " ').
std::string xml_escape(std::string_view text);

}  // namespace maillage
