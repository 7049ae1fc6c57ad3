#include "output/qml_style.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "output/time_classes.hpp"

namespace maillage {

namespace {

// The version QGIS 3.28 writes; QGIS reads styles of older and newer 3.x versions.
constexpr std::string_view kQgisVersion = "3.28.0-Firenze";
constexpr std::string_view kOutlineGrey = "128,128,128,255";
constexpr double kCatchmentOpacity = 0.6;

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

// Rule keys are uuids in QGIS; fixed ones keep the file byte-identical between runs.
std::string rule_key(int n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "{6d61696c-6c61-4765-8000-%012d}", n);
    return buf;
}

std::string option(std::string_view name, std::string_view value, std::string_view indent) {
    return std::string(indent) + "<Option type=\"QString\" name=\"" + xml_escape(name) + "\" value=\"" +
           xml_escape(value) + "\"/>\n";
}

std::string no_data_defined(std::string_view indent) {
    const std::string i(indent);
    return i + "<data_defined_properties>\n" + i + "  <Option type=\"Map\">\n" + option("name", "", i + "    ") + i +
           "    <Option name=\"properties\"/>\n" + option("type", "collection", i + "    ") + i + "  </Option>\n" + i +
           "</data_defined_properties>\n";
}

struct Fill {
    std::string colour;          // QGIS colour text
    std::string outline_colour;  // QGIS colour text
    double outline_width_mm = 0.1;
    int pass = 0;                // symbol level
    double opacity = 1.0;
};

std::string fill_symbol(int name, const Fill& f) {
    const std::string ind = "        ";
    std::string s = "      <symbol type=\"fill\" name=\"" + std::to_string(name) + "\" alpha=\"" + number(f.opacity) +
                    "\" clip_to_extent=\"1\" force_rhr=\"0\" is_animated=\"0\" frame_rate=\"10\">\n";
    s += no_data_defined(ind);
    s += ind + "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"" + std::to_string(f.pass) + "\">\n";
    s += ind + "  <Option type=\"Map\">\n";
    const std::string o = ind + "    ";
    s += option("border_width_map_unit_scale", "3x:0,0,0,0,0,0", o);
    s += option("color", f.colour, o);
    s += option("joinstyle", "bevel", o);
    s += option("offset", "0,0", o);
    s += option("offset_map_unit_scale", "3x:0,0,0,0,0,0", o);
    s += option("offset_unit", "MM", o);
    s += option("outline_color", f.outline_colour, o);
    s += option("outline_style", "solid", o);
    s += option("outline_width", number(f.outline_width_mm), o);
    s += option("outline_width_unit", "MM", o);
    s += option("style", "solid", o);
    s += ind + "  </Option>\n";
    s += no_data_defined(ind + "  ");
    s += ind + "</layer>\n";
    s += "      </symbol>\n";
    return s;
}

std::string marker_symbol(int name) {
    const std::string ind = "        ";
    std::string s = "      <symbol type=\"marker\" name=\"" + std::to_string(name) +
                    "\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\" is_animated=\"0\" frame_rate=\"10\">\n";
    s += no_data_defined(ind);
    s += ind + "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n";
    s += ind + "  <Option type=\"Map\">\n";
    const std::string o = ind + "    ";
    s += option("angle", "0", o);
    s += option("cap_style", "square", o);
    s += option("color", qgis_colour("#252525"), o);
    s += option("horizontal_anchor_point", "1", o);
    s += option("joinstyle", "bevel", o);
    s += option("name", "circle", o);
    s += option("offset", "0,0", o);
    s += option("offset_map_unit_scale", "3x:0,0,0,0,0,0", o);
    s += option("offset_unit", "MM", o);
    s += option("outline_color", qgis_colour("#ffffff"), o);
    s += option("outline_style", "solid", o);
    s += option("outline_width", "0.4", o);
    s += option("outline_width_map_unit_scale", "3x:0,0,0,0,0,0", o);
    s += option("outline_width_unit", "MM", o);
    s += option("scale_method", "diameter", o);
    s += option("size", "2.6", o);
    s += option("size_map_unit_scale", "3x:0,0,0,0,0,0", o);
    s += option("size_unit", "MM", o);
    s += option("vertical_anchor_point", "1", o);
    s += ind + "  </Option>\n";
    s += no_data_defined(ind + "  ");
    s += ind + "</layer>\n";
    s += "      </symbol>\n";
    return s;
}

std::string header() {
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
           "<qgis version=\"" + std::string(kQgisVersion) +
           "\" styleCategories=\"Symbology|Labeling\" labelsEnabled=\"0\">\n";
}

// geometry_type: 0 point, 1 line, 2 polygon (QgsWkbTypes::GeometryType).
std::string footer(int geometry_type) {
    return "  <blendMode>0</blendMode>\n"
           "  <featureBlendMode>0</featureBlendMode>\n"
           "  <layerGeometryType>" + std::to_string(geometry_type) + "</layerGeometryType>\n"
           "</qgis>\n";
}

struct Rule {
    std::string filter;  // QGIS expression, unescaped
    std::string label;
};

std::string rule_renderer(const std::vector<Rule>& rules, const std::vector<std::string>& symbols, bool symbol_levels,
                          const std::string& order_by_descending) {
    std::string s = "  <renderer-v2 type=\"RuleRenderer\" symbollevels=\"" + std::string(symbol_levels ? "1" : "0") +
                    "\" enableorderby=\"" + (order_by_descending.empty() ? "0" : "1") +
                    "\" forceraster=\"0\" referencescale=\"-1\">\n";
    s += "    <rules key=\"" + rule_key(0) + "\">\n";
    for (std::size_t i = 0; i < rules.size(); ++i)
        s += "      <rule key=\"" + rule_key(static_cast<int>(i) + 1) + "\" symbol=\"" + std::to_string(i) +
             "\" label=\"" + xml_escape(rules[i].label) + "\" filter=\"" + xml_escape(rules[i].filter) + "\"/>\n";
    s += "    </rules>\n    <symbols>\n";
    for (const auto& sym : symbols) s += sym;
    s += "    </symbols>\n";
    if (!order_by_descending.empty())
        s += "    <orderby>\n      <orderByClause asc=\"0\" nullsFirst=\"0\">" + xml_escape(order_by_descending) +
             "</orderByClause>\n    </orderby>\n";
    s += "  </renderer-v2>\n";
    return s;
}

std::string quoted_field(std::string_view field) {
    std::string s(1, '"');
    s.append(field);
    s += '"';
    return s;
}

// The expression selecting the values of `field` in class c (not the unreachable one).
std::string class_filter(std::string_view field, const TimeClass& c) {
    const std::string f = quoted_field(field);
    if (c.lower_minutes <= 0.0) return f + " <= " + number(c.upper_minutes);
    if (!std::isfinite(c.upper_minutes)) return f + " > " + number(c.lower_minutes);
    return f + " > " + number(c.lower_minutes) + " AND " + f + " <= " + number(c.upper_minutes);
}

}  // namespace

std::string xml_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += ch;
        }
    }
    return out;
}

std::string qgis_colour(std::string_view hex, int alpha) {
    auto digit = [&](char ch) -> int {
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
        throw std::invalid_argument("not a colour: " + std::string(hex));
    };
    if (hex.size() != 7 || hex[0] != '#') throw std::invalid_argument("not a colour: " + std::string(hex));
    std::string out;
    for (int i = 0; i < 3; ++i) out += std::to_string(digit(hex[1 + 2 * i]) * 16 + digit(hex[2 + 2 * i])) + ",";
    return out + std::to_string(alpha);
}

std::string coverage_communes_qml(const std::vector<double>& bands_minutes) {
    const auto classes = time_classes(bands_minutes);
    constexpr std::string_view field = "mean_minutes";
    std::vector<Rule> rules;
    std::vector<std::string> symbols;
    for (const TimeClass& c : classes) {
        const int n = static_cast<int>(rules.size());
        rules.push_back({c.unreachable ? quoted_field(field) + " IS NULL" : class_filter(field, c), c.label});
        symbols.push_back(fill_symbol(n, {qgis_colour(c.colour), std::string(kOutlineGrey), 0.1, 0, 1.0}));
    }
    return header() + rule_renderer(rules, symbols, false, "") + footer(2);
}

std::string catchments_qml(const std::vector<double>& bands_minutes) {
    const auto classes = time_classes(bands_minutes);
    constexpr std::string_view field = "band_minutes";
    std::vector<Rule> rules;
    std::vector<std::string> symbols;
    // Largest band first: drawn first (symbol level 0), the nearer bands over it.
    for (std::size_t b = bands_minutes.size(); b-- > 0;) {
        const TimeClass& c = classes[b];  // the class whose upper bound is band b
        const int n = static_cast<int>(rules.size());
        rules.push_back({class_filter(field, c), c.label});
        symbols.push_back(fill_symbol(n, {qgis_colour(c.colour), qgis_colour(c.colour), 0.2, n, kCatchmentOpacity}));
    }
    return header() + rule_renderer(rules, symbols, true, quoted_field(field)) + footer(2);
}

std::string sites_qml() {
    std::string s = header();
    s += "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\" "
         "referencescale=\"-1\">\n    <symbols>\n";
    s += marker_symbol(0);
    s += "    </symbols>\n  </renderer-v2>\n";
    return s + footer(0);
}

}  // namespace maillage
