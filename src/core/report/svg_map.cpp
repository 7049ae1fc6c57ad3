#include "report/svg_map.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/french_text.hpp"

namespace maillage::report {

namespace {

constexpr double kUnitM = 10.0;  // one path unit = 10 m: integers keep the paths short

struct Placement {
    Box geometry_box;  // origin of the path units
    double scale = 1;  // px per path unit
    double tx = 0, ty = 0;

    [[nodiscard]] double px(double x) const { return tx + scale * (x - geometry_box.min_x) / kUnitM; }
    [[nodiscard]] double py(double y) const { return ty + scale * (geometry_box.max_y - y) / kUnitM; }
};

Placement place(const MapGeometry& g, const Box& region, double w, double h) {
    Placement p;
    p.geometry_box = g.box();
    const double uw = std::max(region.width(), 1.0) / kUnitM, uh = std::max(region.height(), 1.0) / kUnitM;
    p.scale = std::min(w / uw, h / uh);
    // Centre the region in the w × h area.
    const double rx = (region.min_x - g.box().min_x) / kUnitM, ry = (g.box().max_y - region.max_y) / kUnitM;
    p.tx = (w - uw * p.scale) / 2 - rx * p.scale;
    p.ty = (h - uh * p.scale) / 2 - ry * p.scale;
    return p;
}

void write_rings(std::ostringstream& os, const Rings& rings, const Box& origin) {
    for (const auto& ring : rings) {
        long long lx = 0, ly = 0;
        bool first = true;
        std::size_t written = 0;
        for (const auto& p : ring) {
            const long long x = std::llround((p.x - origin.min_x) / kUnitM);
            const long long y = std::llround((origin.max_y - p.y) / kUnitM);
            if (first) {
                os << 'M' << x << ' ' << y;
                first = false;
            } else {
                if (x == lx && y == ly) continue;
                const long long dx = x - lx, dy = y - ly;
                os << (written == 0 ? "l" : " ") << dx << ' ' << dy;
                ++written;
            }
            lx = x;
            ly = y;
        }
        os << 'z';
    }
}

std::string symbol_svg(Symbol s, double x, double y, double r, const std::string& fill, const std::string& extra) {
    std::ostringstream os;
    switch (s) {
        case Symbol::circle:
            os << "<circle cx=\"" << svg_number(x) << "\" cy=\"" << svg_number(y) << "\" r=\"" << svg_number(r) << "\"";
            break;
        case Symbol::square:
            os << "<rect x=\"" << svg_number(x - r) << "\" y=\"" << svg_number(y - r) << "\" width=\"" << svg_number(2 * r)
               << "\" height=\"" << svg_number(2 * r) << "\"";
            break;
        case Symbol::triangle:
            os << "<path d=\"M" << svg_number(x) << ' ' << svg_number(y - 1.2 * r) << 'L' << svg_number(x + 1.1 * r) << ' '
               << svg_number(y + 0.8 * r) << 'L' << svg_number(x - 1.1 * r) << ' ' << svg_number(y + 0.8 * r) << "z\"";
            break;
        case Symbol::diamond:
            os << "<path d=\"M" << svg_number(x) << ' ' << svg_number(y - 1.3 * r) << 'L' << svg_number(x + 1.3 * r) << ' '
               << svg_number(y) << 'L' << svg_number(x) << ' ' << svg_number(y + 1.3 * r) << 'L' << svg_number(x - 1.3 * r)
               << ' ' << svg_number(y) << "z\"";
            break;
    }
    os << " fill=\"" << fill << "\" stroke=\"#fff\" stroke-width=\"1.2\"" << extra << "/>";
    return os.str();
}

// A round length (1, 2, 5 × 10^k km) close to a fifth of the map width.
double nice_length_km(double map_width_km) {
    const double target = map_width_km / 5.0;
    const double p = std::pow(10.0, std::floor(std::log10(target)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= target) return m * p;
    return p;
}

}  // namespace

std::string svg_number(double v) {
    const long long tenths = std::llround(v * 10.0);
    std::string s = std::to_string(tenths / 10);
    if (tenths < 0 && tenths / 10 == 0) s = "-0";
    const long long frac = std::llabs(tenths % 10);
    if (frac) s += "." + std::to_string(frac);
    return s;
}

std::string svg_geometry_defs(const MapGeometry& g) {
    std::ostringstream os;
    os << "<svg class=\"geo-defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs>\n";
    for (const auto& c : g.communes()) {
        os << "<path id=\"c-" << escape(c.code) << "\" d=\"";
        write_rings(os, c.rings, g.box());
        os << "\"/>\n";
    }
    for (const auto& e : g.epcis()) {
        os << "<path id=\"e-" << escape(e.id) << "\" d=\"";
        write_rings(os, e.rings, g.box());
        os << "\"/>\n";
    }
    for (const auto& t : g.territories()) {
        os << "<path id=\"t-" << escape(t.id) << "\" d=\"";
        write_rings(os, t.rings, g.box());
        os << "\"/>\n";
    }
    os << "</defs></svg>\n";
    return os.str();
}

std::string render_commune_map(const MapGeometry& g, const CommuneMap& m) {
    const double map_w = m.width_px - m.legend_width_px;
    const double source_h = m.source_line.empty() ? 0 : 16;
    // Without a legend column (small maps side by side), the legend goes under the map in
    // rows of two entries.
    const bool legend_below = m.legend_width_px <= 0 && !m.legend.empty();
    const double legend_h = legend_below ? 16.0 * static_cast<double>((m.legend.size() + 1) / 2) + 6 : 0;
    const double map_h = m.height_px - source_h - legend_h;
    const Placement p = place(g, m.region, map_w, map_h);
    std::ostringstream os;
    os << "<svg class=\"map\" data-map=\"" << escape(m.id) << "\" role=\"img\" aria-label=\"" << escape(m.aria_label)
       << "\" width=\"" << svg_number(m.width_px) << "\" height=\"" << svg_number(m.height_px) << "\" viewBox=\"0 0 "
       << svg_number(m.width_px) << ' ' << svg_number(m.height_px) << "\">\n";
    os << "<clipPath id=\"clip-" << escape(m.id) << "\"><rect width=\"" << svg_number(map_w) << "\" height=\""
       << svg_number(map_h) << "\"/></clipPath>\n";
    os << "<g clip-path=\"url(#clip-" << escape(m.id) << ")\">\n";
    os << "<g transform=\"translate(" << svg_number(p.tx) << ' ' << svg_number(p.ty) << ") scale(" << p.scale << ")\">\n";
    const auto& communes = g.communes();
    for (std::size_t i = 0; i < communes.size(); ++i) {
        const bool focus = m.in_focus.empty() || m.in_focus[i];
        os << "<use href=\"#c-" << escape(communes[i].code) << "\" class=\"commune" << (focus ? "" : " faded")
           << "\" data-code=\"" << escape(communes[i].code) << "\" fill=\"" << (i < m.fills.size() ? m.fills[i] : "#ffffff")
           << "\"><title>" << escape(communes[i].name) << "</title></use>\n";
    }
    if (m.epci_outlines)
        for (const auto& e : g.epcis()) os << "<use href=\"#e-" << escape(e.id) << "\" class=\"epci-outline\"/>\n";
    if (m.territory_outlines)
        for (const auto& t : g.territories()) os << "<use href=\"#t-" << escape(t.id) << "\" class=\"territory-outline\"/>\n";
    if (!m.area_outline.empty()) {
        std::ostringstream d;
        write_rings(d, m.area_outline, g.box());
        os << "<path class=\"area-outline\" d=\"" << d.str() << "\"/>\n";
    }
    os << "</g>\n";
    for (const auto& pt : m.points) {
        const double x = p.px(pt.position.x), y = p.py(pt.position.y);
        if (x < -10 || y < -10 || x > map_w + 10 || y > map_h + 10) continue;
        os << "<g class=\"site\">" << symbol_svg(pt.symbol, x, y, pt.size_px, pt.fill, "") << "<title>" << escape(pt.title)
           << "</title></g>\n";
    }
    for (const auto& code : m.labels) {
        const int i = g.find(code);
        if (i < 0) continue;
        const auto& c = communes[static_cast<std::size_t>(i)];
        const double x = p.px(c.label_point.x), y = p.py(c.label_point.y);
        if (x < 0 || y < 0 || x > map_w || y > map_h) continue;
        os << "<text class=\"town\" x=\"" << svg_number(x) << "\" y=\"" << svg_number(y - 6) << "\">" << escape(c.name)
           << "</text>\n";
    }
    os << "</g>\n";

    // North arrow, top right of the map area (Lambert-93 grid north; within a degree of true
    // north over mainland France's centre).
    const double nx = map_w - 22, ny = 14;
    os << "<g class=\"north-arrow\"><path d=\"M" << svg_number(nx) << ' ' << svg_number(ny) << "l7 20l-7 -5l-7 5z\"/>"
       << "<text x=\"" << svg_number(nx) << "\" y=\"" << svg_number(ny + 32) << "\">N</text></g>\n";

    // Scale bar, bottom left: metres per px = kUnitM / scale.
    const double m_per_px = kUnitM / p.scale;
    const double km = nice_length_km(map_w * m_per_px / 1000.0);
    const double bar_px = km * 1000.0 / m_per_px;
    const double sx = 10, sy = map_h - 14;
    os << "<g class=\"scale-bar\"><rect x=\"" << svg_number(sx) << "\" y=\"" << svg_number(sy) << "\" width=\""
       << svg_number(bar_px) << "\" height=\"4\"/><text x=\"" << svg_number(sx + bar_px + 6) << "\" y=\"" << svg_number(sy + 5)
       << "\">" << format_decimal(km, 1) << kNbsp << "km</text></g>\n";

    if (m.legend_width_px > 0) {
        const double lx = map_w + 12;
        double ly = 18;
        os << "<g class=\"legend\">";
        if (!m.legend_title.empty()) {
            os << "<text class=\"legend-title\" x=\"" << svg_number(lx) << "\" y=\"" << svg_number(ly) << "\">"
               << escape(m.legend_title) << "</text>";
            ly += 14;
        }
        for (const auto& e : m.legend) {
            if (e.is_outline)
                os << "<path class=\"area-key\" d=\"M" << svg_number(lx) << ' ' << svg_number(ly + 1) << "h16v12h-16z\"/>";
            else if (e.is_symbol)
                os << symbol_svg(e.symbol, lx + 8, ly + 7, 4.5, e.symbol_fill, "");
            else
                os << "<rect x=\"" << svg_number(lx) << "\" y=\"" << svg_number(ly) << "\" width=\"16\" height=\"14\" fill=\""
                   << e.colour << "\" stroke=\"#555\" stroke-width=\"0.6\"/>";
            os << "<text x=\"" << svg_number(lx + 22) << "\" y=\"" << svg_number(ly + 11) << "\">" << escape(e.label)
               << "</text>";
            ly += 20;
        }
        ly += 6;
        if (m.territory_outlines) {
            os << "<path class=\"territory-key\" d=\"M" << svg_number(lx) << ' ' << svg_number(ly + 7) << "h16\"/><text x=\""
               << svg_number(lx + 22) << "\" y=\"" << svg_number(ly + 11) << "\">territoire des solidarités</text>";
            ly += 18;
        }
        if (m.epci_outlines)
            os << "<path class=\"epci-key\" d=\"M" << svg_number(lx) << ' ' << svg_number(ly + 7) << "h16\"/><text x=\""
               << svg_number(lx + 22) << "\" y=\"" << svg_number(ly + 11) << "\">EPCI (intercommunalité)</text>";
        os << "</g>\n";
    }
    if (legend_below) {
        os << "<g class=\"legend\">";
        for (std::size_t i = 0; i < m.legend.size(); ++i) {
            const auto& e = m.legend[i];
            const double lx = 4 + static_cast<double>(i % 2) * (m.width_px / 2);
            const double ly = map_h + 4 + 16.0 * static_cast<double>(i / 2);
            if (e.is_outline)
                os << "<path class=\"area-key\" d=\"M" << svg_number(lx) << ' ' << svg_number(ly + 1) << "h14v10h-14z\"/>";
            else if (e.is_symbol)
                os << symbol_svg(e.symbol, lx + 7, ly + 6, 4, e.symbol_fill, "");
            else
                os << "<rect x=\"" << svg_number(lx) << "\" y=\"" << svg_number(ly) << "\" width=\"14\" height=\"12\" fill=\""
                   << e.colour << "\" stroke=\"#555\" stroke-width=\"0.6\"/>";
            os << "<text x=\"" << svg_number(lx + 19) << "\" y=\"" << svg_number(ly + 10) << "\">" << escape(e.label) << "</text>";
        }
        os << "</g>\n";
    }
    if (!m.source_line.empty())
        os << "<text class=\"source\" x=\"4\" y=\"" << svg_number(m.height_px - 4) << "\">" << escape(m.source_line)
           << "</text>\n";
    os << "</svg>\n";
    return os.str();
}

}  // namespace maillage::report
