#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "report/french_text.hpp"
#include "report/report_context.hpp"

namespace maillage::report {

namespace {

constexpr const char* kIndexColours[5] = {"#b30000", "#e34a33", "#fc8d59", "#fdcc8a", "#fef0d9"};  // low access = dark

}  // namespace

IndexClasses index_classes(const AccessOutcome& a) {
    IndexClasses k;
    for (const auto& c : a.communes) k.sorted.push_back(c.index);
    std::sort(k.sorted.begin(), k.sorted.end());
    for (int q = 1; q < 5 && !k.sorted.empty(); ++q) k.cuts.push_back(k.sorted[k.sorted.size() * static_cast<std::size_t>(q) / 5]);
    return k;
}

std::size_t IndexClasses::of(double v) const {
    std::size_t k = 0;
    while (k < cuts.size() && v >= cuts[k]) ++k;
    return k;
}

CommuneMap index_map(ReportContext& ctx, const AccessOutcome& a, const IndexClasses& classes, double width, double height,
                     double legend_width) {
    std::map<std::string, double> by_code;
    for (const auto& c : a.communes) by_code[c.code] = c.index;
    CommuneMap m;
    m.id = ctx.unique_id("map-access-" + a.category);
    m.aria_label = "Carte de l'indice d'accessibilité par commune";
    m.region = ctx.geometry->box().padded(0.02);
    m.width_px = width;
    m.height_px = height;
    m.legend_width_px = legend_width;
    std::vector<int> counts(5, 0);
    for (const auto& shape : ctx.geometry->communes()) {
        auto it = by_code.find(shape.code);
        if (it == by_code.end()) {
            m.fills.push_back("#ffffff");
            continue;
        }
        const std::size_t k = classes.of(it->second);
        ++counts[k];
        m.fills.push_back(kIndexColours[k]);
    }
    m.labels = ctx.town_codes;
    m.source_line = ctx.source_line;
    m.legend_title = "Pour 100 000 habitants";
    const std::string low = classes.sorted.empty() ? "0" : format_decimal(classes.sorted.front());
    for (std::size_t k = 0; k < 5; ++k) {
        const std::string lo = k == 0 ? "moins de" : "de " + format_decimal(classes.cuts[k - 1]);
        const std::string hi = k < classes.cuts.size() ? (k == 0 ? format_decimal(classes.cuts[k]) : "à " + format_decimal(classes.cuts[k]))
                                                       : "et plus";
        LegendEntry e;
        e.colour = kIndexColours[k];
        e.label = lo + " " + hi + " (" + std::to_string(counts[k]) + ")";
        m.legend.push_back(e);
    }
    (void)low;
    return m;
}

std::string access_page(ReportContext& ctx, const AccessOutcome& a) {
    std::ostringstream os;
    os << "<section class=\"page\" id=\"access-" << escape(a.category) << "\">";
    os << "<p class=\"kicker\">Santé · accessibilité potentielle</p>";
    os << "<h2>Indice d'accessibilité (APL) : " << escape(category_label(ctx, a.category)) << "</h2>";
    const AccessVariant* all = nullptr;
    for (const auto& v : a.variants)
        if (v.id == "all") all = &v;
    os << "<p class=\"lead\">L'indice compte l'offre accessible (" << escape(a.category == "gp" ? "médecins" : "offre")
       << ") pour 100" << kNarrowNbsp << "000 habitants, en tenant compte du temps de trajet et de la demande des communes voisines "
          "(méthode APL / E2SFCA).";
    if (all)
        os << " Moyenne : <strong>" << format_decimal(all->mean) << "</strong>, de " << format_decimal(all->min) << " à "
           << format_decimal(all->max) << ".";
    os << "</p>";
    // Quintile classes of the index over communes (by value; deterministic order).
    const IndexClasses classes = index_classes(a);
    if (ctx.geometry && !classes.sorted.empty()) {
        os << "<figure>" << render_commune_map(*ctx.geometry, index_map(ctx, a, classes, 688, 640, 200)) << "</figure>";
        os << "<p class=\"note\">Classes : cinq groupes d'effectif égal (quintiles). Les communes les plus foncées ont le moins "
              "accès.</p>";
    }
    if (a.variants.size() > 1) {
        os << "<h3>Si des médecins partent à la retraite</h3><table><thead><tr><th>Hypothèse</th><th>Moyenne</th><th>Minimum</th>"
              "<th>Sites retirés</th><th>Sites sans âge connu</th></tr></thead><tbody>";
        for (const auto& v : a.variants) {
            std::string label = v.id == "all" ? "Offre actuelle" : v.id;
            if (v.id.rfind("age_max_", 0) == 0) label = "Départ des praticiens de plus de " + v.id.substr(8) + " ans";
            os << "<tr><td>" << escape(label) << "</td><td>" << format_decimal(v.mean) << "</td><td>" << format_decimal(v.min)
               << "</td><td>" << format_count(v.excluded_by_age) << "</td><td>" << format_count(v.without_age) << "</td></tr>";
        }
        os << "</tbody></table>";
        bool no_age = true;
        for (const auto& v : a.variants) no_age = no_age && (v.id == "all" || v.without_age >= a.site_count);
        if (no_age)
            os << "<p class=\"note\">Les données ne donnent pas l'âge des praticiens : les hypothèses de départ à la retraite "
                  "ne peuvent pas être chiffrées et égalent l'offre actuelle. Fournissez un fichier de sites avec l'âge pour "
                  "les calculer.</p>";
    }
    os << "</section>\n";
    return os.str();
}

std::string rates_page(ReportContext& ctx, const RateOutcome& r) {
    std::ostringstream os;
    os << "<section class=\"page\" id=\"rates-" << escape(r.category) << "\">";
    os << "<p class=\"kicker\">Taux d'équipement</p><h2>" << escape(category_label(ctx, r.category)) << " : taux d'équipement par territoire</h2>";
    os << "<p class=\"lead\">Capacité comptée : " << escape(r.capacity_measure) << ". Population de référence : "
       << escape(r.denominator) << ".</p>";
    for (const char* level : {"territory", "epci"}) {
        bool any = false;
        for (const auto& row : r.rows) any = any || row.level == level;
        if (!any) continue;
        os << "<h3>" << (std::string(level) == "territory" ? "Par territoire des solidarités" : "Par intercommunalité (EPCI)")
           << "</h3><table><thead><tr><th>Zone</th><th>Sites</th><th>Capacité</th><th>Population</th><th>Pour 1 000</th></tr>"
              "</thead><tbody>";
        for (const auto& row : r.rows)
            if (row.level == level)
                os << "<tr><td>" << escape(row.name) << "</td><td>" << format_count(row.sites) << "</td><td>"
                   << format_count(row.capacity) << "</td><td>" << format_count(row.target_population) << "</td><td>"
                   << format_decimal(row.per_1000, 2) << "</td></tr>";
        os << "</tbody></table>";
    }
    if (!r.warnings.empty()) {
        os << "<p class=\"note\">À savoir : ";
        for (const auto& w : r.warnings)
            if (w.find('/') == std::string::npos) os << escape(w) << " ";
        os << "</p>";
    }
    os << "</section>\n";
    return os.str();
}

}  // namespace maillage::report
