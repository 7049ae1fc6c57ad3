#pragma once
// Thematic maps of communes as inline SVG: communes filled by class, EPCI and territory
// outlines, sites, town labels, legend, scale bar, north arrow and source line. Geometry
// is written once in a hidden <defs> block (svg_geometry_defs) and every map draws it with
// <use>, so a report with twenty maps carries its outlines once.
#include <string>
#include <vector>

#include "report/map_geometry.hpp"

namespace maillage::report {

// The hidden <svg> holding every commune, EPCI and territory path (ids "c-CODE",
// "e-ID", "t-ID"); path coordinates are 10 m units from the top-left of the geometry box.
std::string svg_geometry_defs(const MapGeometry& geometry);

enum class Symbol { circle, square, triangle, diamond };

struct MapPoint {
    Point2 position;  // Lambert-93
    std::string title;  // tooltip
    Symbol symbol = Symbol::circle;
    std::string fill = "#1b1b1b";
    double size_px = 4.5;
};

struct LegendEntry {
    std::string colour;  // fill; empty for a symbol entry
    std::string label;
    bool is_symbol = false;
    Symbol symbol = Symbol::circle;
    std::string symbol_fill = "#1b1b1b";
    bool is_outline = false;  // the area outline's key
};

struct CommuneMap {
    std::string id;          // data-map, unique in the document
    std::string aria_label;  // what the map shows, in one sentence
    Box region;              // Lambert-93 box to show
    double width_px = 680;
    double height_px = 620;
    double legend_width_px = 170;  // 0: no legend column
    // Fill per commune, in the order of MapGeometry::communes(); every commune is drawn once.
    std::vector<std::string> fills;
    // Communes outside the focus are drawn faded (territory pages); empty = all in focus.
    std::vector<bool> in_focus;
    bool epci_outlines = true;
    bool territory_outlines = true;
    // An area drawn as an outline above the communes (the catchment within the gap threshold).
    Rings area_outline;
    std::vector<MapPoint> points;
    std::vector<std::string> labels;  // INSEE codes of the communes whose name is written
    std::string legend_title;
    std::vector<LegendEntry> legend;
    std::string source_line;
};

std::string render_commune_map(const MapGeometry& geometry, const CommuneMap& map);

// "12.5" / "12": SVG numbers with at most one decimal.
std::string svg_number(double value);

}  // namespace maillage::report
