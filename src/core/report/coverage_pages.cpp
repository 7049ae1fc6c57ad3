#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "report/french_text.hpp"
#include "report/report_context.hpp"
#include "report/svg_chart.hpp"

namespace maillage::report {

std::string with_article(const std::string& category, const std::string& label) {
    static const std::map<std::string, std::string> known = {
        {"france_services", "d'une France Services"},
        {"gp", "d'un médecin généraliste"},
        {"maison_sante", "d'une maison de santé"},
        {"pharmacie", "d'une pharmacie"},
        {"creche", "d'une crèche"},
        {"auto_ecole", "d'une auto-école"},
        {"auto_ecole_solidaire", "d'une auto-école solidaire"},
        {"garage_solidaire", "d'un garage solidaire"},
        {"point_mobilite", "d'un point mobilité"},
        {"ram_rpe", "d'un relais petite enfance"},
        {"mam", "d'une maison d'assistants maternels"},
        {"hebergement_personnes_agees", "d'un hébergement pour personnes âgées"},
        {"residence_autonomie", "d'une résidence autonomie"},
        {"mds", "d'une maison départementale des solidarités"},
        {"numerique", "d'un point d'accès numérique"},
    };
    auto it = known.find(category);
    return it != known.end() ? it->second : "de « " + label + " »";
}

Symbol category_symbol(const std::string& category) {
    if (category == "gp" || category == "maison_sante" || category == "pharmacie") return Symbol::square;
    if (category == "creche" || category == "ram_rpe" || category == "mam") return Symbol::triangle;
    if (category.rfind("auto_ecole", 0) == 0 || category == "garage_solidaire" || category == "point_mobilite")
        return Symbol::diamond;
    return Symbol::circle;
}

std::string category_label(const ReportContext& ctx, const std::string& key) {
    for (const auto& v : ctx.run.variants)
        for (const auto& c : v.coverage)
            if (c.category == key) return c.category_label;
    if (key == "gp") return "Médecin généraliste";
    if (key == "hebergement_personnes_agees") return "Hébergement pour personnes âgées";
    std::string out = key;
    std::replace(out.begin(), out.end(), '_', ' ');
    return out;
}

double within_threshold(const CoverageOutcome& c, const AreaFigures& area) {
    double best = 0;
    for (std::size_t i = 0; i < c.bands.size(); ++i)
        if (c.bands[i] <= c.gap_threshold + 1e-9) best = area.within[i];
    return best;
}

std::vector<double> population_per_class(const AreaFigures& a) {
    std::vector<double> out;
    double previous = 0;
    for (double w : a.within) {
        out.push_back(std::max(0.0, w - previous));
        previous = w;
    }
    out.push_back(std::max(0.0, a.beyond_last_band));
    out.push_back(std::max(0.0, a.unreachable));
    return out;
}

std::vector<std::string> time_fills(const MapGeometry& g, const CoverageOutcome& c, const std::vector<TimeClass>& classes) {
    std::map<std::string, const CommuneOutcome*> by_code;
    for (const auto& co : c.communes) by_code[co.code] = &co;
    std::vector<std::string> fills;
    for (const auto& shape : g.communes()) {
        auto it = by_code.find(shape.code);
        if (it == by_code.end()) {
            fills.emplace_back("#ffffff");
            continue;
        }
        const auto& m = it->second->minutes;
        fills.push_back(classes[time_class_index(classes, m.value_or(0), m.has_value())].colour);
    }
    return fills;
}

CommuneMap coverage_map(ReportContext& ctx, const CoverageOutcome& c, const Box& region, double width, double height,
                        double legend_width, const std::string& territory) {
    const auto& g = *ctx.geometry;
    const auto classes = time_classes(c.bands);
    CommuneMap m;
    m.id = ctx.unique_id("map-" + c.category);
    m.aria_label = "Carte des communes selon le temps d'accès " + with_article(c.category, c.category_label) + " la plus proche";
    m.region = region;
    m.width_px = width;
    m.height_px = height;
    m.legend_width_px = legend_width;
    m.fills = time_fills(g, c, classes);
    m.labels = ctx.town_codes;
    m.source_line = ctx.source_line;
    std::vector<int> counts(classes.size(), 0);
    for (const auto& co : c.communes)
        if (territory.empty() || co.territory == territory)
            ++counts[time_class_index(classes, co.minutes.value_or(0), co.minutes.has_value())];
    m.legend_title = "Temps en voiture";
    for (std::size_t i = 0; i < classes.size(); ++i) {
        if (classes[i].unreachable && counts[i] == 0) continue;
        LegendEntry e;
        e.colour = classes[i].colour;
        e.label = classes[i].label + " (" + std::to_string(counts[i]) + ")";
        m.legend.push_back(e);
    }
    const auto covered = c.dir / "covered.geojson";
    if (std::filesystem::is_regular_file(covered)) {
        if (auto area = MapGeometry::read_band_area(covered, c.gap_threshold, ctx.options.simplify_tolerance_m)) {
            m.area_outline = std::move(*area);
            LegendEntry e;
            e.label = "zone à moins de " + french_minutes(c.gap_threshold) + " min";
            e.is_outline = true;
            m.legend.push_back(e);
        }
    }
    if (c.sites) {
        for (const auto& s : *c.sites)
            m.points.push_back({s.position, s.name, category_symbol(c.category), "#1b1b1b", 4.0});
        LegendEntry e;
        e.label = c.category_label;
        e.is_symbol = true;
        e.symbol = category_symbol(c.category);
        m.legend.push_back(e);
    }
    return m;
}

namespace {

std::string area_table(const CoverageOutcome& c, const std::vector<AreaFigures>& areas, const std::string& heading,
                       bool with_total) {
    std::ostringstream os;
    os << "<table><thead><tr><th>" << escape(heading) << "</th><th>Habitants</th>";
    for (double b : c.bands) os << "<th>à moins de " << french_minutes(b) << kNbsp << "min</th>";
    os << "<th>au-delà de " << french_minutes(c.gap_threshold) << kNbsp << "min</th><th>temps moyen</th></tr></thead><tbody>";
    auto row = [&](const AreaFigures& a, bool total) {
        os << "<tr" << (total ? " class=\"total\"" : "") << "><td>" << escape(a.name) << "</td><td>" << format_count(a.population)
           << "</td>";
        for (double w : a.within) os << "<td>" << (a.population > 0 ? format_share(w / a.population) : "–") << "</td>";
        const double beyond = a.population - within_threshold(c, a);
        os << "<td>" << format_count(beyond) << "</td><td>" << format_minutes(a.mean_minutes) << "</td></tr>";
    };
    for (const auto& a : areas) row(a, false);
    if (with_total) row(c.departement, true);
    os << "</tbody></table>";
    return os.str();
}

StackedBarChart bands_chart(ReportContext& ctx, const CoverageOutcome& c, const std::vector<AreaFigures>& areas) {
    const auto classes = time_classes(c.bands);
    StackedBarChart chart;
    chart.label_width_px = 250;
    chart.id = ctx.unique_id("bars-" + c.category);
    chart.aria_label = "Part des habitants par temps d'accès, par territoire";
    double unreachable = 0;
    for (const auto& a : areas) unreachable += a.unreachable;
    for (const auto& k : classes) {
        if (k.unreachable && unreachable <= 0) continue;
        chart.segment_colours.push_back(k.colour);
        chart.segment_labels.push_back(k.label);
    }
    for (const auto& a : areas) {
        StackedBar b;
        b.label = a.name;
        b.values = population_per_class(a);
        b.annotation = a.population > 0 ? format_share(within_threshold(c, a) / a.population) : "–";
        chart.bars.push_back(std::move(b));
    }
    return chart;
}

}  // namespace

std::string coverage_pages(ReportContext& ctx, const CoverageOutcome& c) {
    std::ostringstream os;
    const auto& d = c.departement;
    const double within = within_threshold(c, d);
    const double beyond = d.population - within;
    int communes_beyond = 0;
    for (const auto& co : c.communes)
        if (!co.minutes || *co.minutes > c.gap_threshold + 1e-9) ++communes_beyond;
    const std::string art = with_article(c.category, c.category_label);

    // Page 1: the map.
    os << "<section class=\"page\" id=\"coverage-" << escape(c.category) << "\">";
    os << "<p class=\"kicker\">Accès aux services · " << escape(c.category_label) << "</p>";
    os << "<h2>Temps d'accès " << escape(art) << "</h2>";
    os << "<p class=\"lead\"><strong>" << format_share(d.population > 0 ? within / d.population : 0) << "</strong> des habitants ("
       << format_count(within) << " sur " << format_count(d.population) << ") sont à moins de "
       << french_minutes(c.gap_threshold) << kNbsp << "minutes " << escape(art) << ". ";
    if (communes_beyond > 0)
        os << communes_beyond << " " << plural(communes_beyond, "commune", "communes") << " (" << format_count(beyond) << " "
           << plural(beyond, "habitant", "habitants") << ") sont au-delà.";
    else
        os << "Aucune commune n'est au-delà.";
    os << "</p>";
    if (c.site_count <= 0)
        os << "<div class=\"warning\" role=\"note\"><strong>Aucun site " << escape(c.category_label)
           << " dans les données.</strong> Cette catégorie n'a pas de données par défaut : personne n'est donc à portée. "
              "Donnez la liste des sites dans un fichier (voir docs/SCENARIOS.md, <em>sites.files</em>) pour la mesurer.</div>";
    else
        os << "<p class=\"note\">" << format_count(c.site_count) << " " << plural(c.site_count, "site", "sites") << " "
           << escape(c.category_label)
           << " pris en compte, y compris ceux situés hors du territoire étudié mais à proximité. Temps moyen : "
           << format_minutes(d.mean_minutes) << " ; le plus long : " << format_minutes(d.max_minutes) << ".</p>";
    if (ctx.geometry) {
        os << "<figure>" << render_commune_map(*ctx.geometry, coverage_map(ctx, c, ctx.geometry->box().padded(0.02), 688, 560, 200))
           << "</figure>";
        if (!c.sites) os << "<p class=\"omitted\">Les sites ne sont pas dessinés : la sortie ne contient pas sites.geojson.</p>";
    }
    if (!c.territories.empty()) {
        os << "<h3>Part des habitants par temps d'accès, par territoire des solidarités</h3>";
        std::vector<AreaFigures> areas = c.territories;
        areas.push_back(c.departement);
        areas.back().name = "Ensemble";
        os << render_stacked_bars(bands_chart(ctx, c, areas));
        os << "<p class=\"note\">Le chiffre à droite de chaque barre : part des habitants à moins de "
           << french_minutes(c.gap_threshold) << kNbsp << "minutes.</p>";
    }
    os << "</section>\n";

    // Page 2: figures per territory and EPCI, gaps.
    os << "<section class=\"page\">";
    os << "<p class=\"kicker\">Accès aux services · " << escape(c.category_label) << "</p>";
    os << "<h2>" << escape(c.category_label) << " : chiffres par territoire</h2>";
    if (!c.territories.empty()) {
        os << "<h3>Par territoire des solidarités</h3>" << area_table(c, c.territories, "Territoire des solidarités", true);
    } else {
        os << "<p class=\"omitted\">Pas de découpage en territoires des solidarités dans cette étude.</p>";
    }
    if (!c.epcis.empty()) {
        os << "<h3>Par intercommunalité (EPCI)</h3>" << area_table(c, c.epcis, "EPCI", false);
    }
    os << "<h3>Les communes les plus éloignées</h3>";
    if (c.gaps.empty()) {
        os << "<p>Aucune commune n'est à plus de " << french_minutes(c.gap_threshold) << kNbsp << "minutes.</p>";
    } else {
        os << "<p class=\"note\">Classées par « personnes-minutes » : habitants au-delà de " << french_minutes(c.gap_threshold)
           << kNbsp << "min × minutes en trop. Les " << std::min<std::size_t>(c.gaps.size(), 10) << " premières sur "
           << c.gaps.size() << ".</p>";
        os << "<table class=\"gaps\"><thead><tr><th>Rang</th><th class=\"text\">Commune</th><th>Habitants</th><th>Temps</th>"
              "<th class=\"text\">Site le plus proche</th></tr></thead><tbody>";
        for (std::size_t i = 0; i < c.gaps.size() && i < 10; ++i) {
            const auto& gap = c.gaps[i];
            os << "<tr><td>" << gap.rank << "</td><td class=\"text\">" << escape(gap.name) << "</td><td>"
               << format_count(gap.population_beyond) << "</td><td>"
               << (std::isfinite(gap.minutes) ? format_minutes(gap.minutes) : std::string("inaccessible")) << "</td><td class=\"text\">"
               << escape(gap.nearest_site.empty() ? "aucun" : gap.nearest_site) << "</td></tr>";
        }
        os << "</tbody></table>";
    }
    os << "</section>\n";
    return os.str();
}

}  // namespace maillage::report
