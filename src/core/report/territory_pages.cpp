#include <algorithm>
#include <sstream>

#include "report/french_text.hpp"
#include "report/report_context.hpp"

namespace maillage::report {

namespace {

const AreaFigures* find_area(const std::vector<AreaFigures>& areas, const std::string& id) {
    for (const auto& a : areas)
        if (a.id == id) return &a;
    return nullptr;
}

}  // namespace

// One page per territoire des solidarités: its map for the service it reaches worst, and a
// table of every service of the run — the sheet an elected official takes to a meeting.
std::string territory_pages(ReportContext& ctx, const VariantOutcome& baseline) {
    if (baseline.coverage.empty() || !ctx.geometry) return {};
    const auto& first = baseline.coverage.front();
    std::ostringstream os;
    for (const auto& t : first.territories) {
        const AreaShape* shape = ctx.geometry->territory(t.id);
        // The service with the lowest share within its threshold in this territory.
        const CoverageOutcome* worst = nullptr;
        double worst_share = 2;
        for (const auto& c : baseline.coverage) {
            const AreaFigures* a = find_area(c.territories, t.id);
            if (!a || a->population <= 0) continue;
            const double share = within_threshold(c, *a) / a->population;
            if (share < worst_share) {
                worst_share = share;
                worst = &c;
            }
        }
        os << "<section class=\"page\" id=\"territoire-" << escape(t.id) << "\">";
        os << "<p class=\"kicker\">Territoire des solidarités</p><h2>" << escape(t.name) << "</h2>";
        int communes = 0;
        for (const auto& c : ctx.geometry->communes()) communes += c.territory == t.id ? 1 : 0;
        os << "<p class=\"lead\">" << communes << " communes, " << format_count(t.population) << " habitants.";
        if (worst)
            os << " Le service le moins proche ici : <strong>" << escape(worst->category_label) << "</strong> ("
               << format_share(worst_share) << " des habitants à moins de " << french_minutes(worst->gap_threshold) << kNbsp
               << "min).";
        os << "</p>";
        if (worst && shape) {
            CommuneMap m = coverage_map(ctx, *worst, shape->box.padded(0.06), 688, 560, 200, t.id);
            m.in_focus.clear();
            std::vector<std::string> labels;
            std::vector<std::pair<double, std::string>> by_pop;
            for (const auto& c : ctx.geometry->communes()) {
                m.in_focus.push_back(c.territory == t.id);
                if (c.territory == t.id) by_pop.emplace_back(-c.population, c.code);
            }
            std::sort(by_pop.begin(), by_pop.end());
            m.labels.clear();
            for (std::size_t i = 0; i < by_pop.size() && i < 6; ++i) m.labels.push_back(by_pop[i].second);
            m.aria_label = t.name + " : " + m.aria_label;
            os << "<figure><figcaption>Temps d'accès " << escape(with_article(worst->category, worst->category_label))
               << "</figcaption>" << render_commune_map(*ctx.geometry, m) << "</figure>";
        }
        os << "<h3>Tous les services étudiés</h3><table><thead><tr><th>Service</th><th>Seuil</th><th>Part des habitants sous le seuil</th>"
              "<th>Habitants au-delà</th><th>Temps moyen</th><th>Ensemble du département</th></tr></thead><tbody>";
        for (const auto& c : baseline.coverage) {
            const AreaFigures* a = find_area(c.territories, t.id);
            if (!a) continue;
            const double within = within_threshold(c, *a);
            os << "<tr><td>" << escape(c.category_label) << "</td><td>" << french_minutes(c.gap_threshold) << kNbsp << "min</td><td>"
               << (a->population > 0 ? format_share(within / a->population) : "–") << "</td><td>"
               << format_count(a->population - within) << "</td><td>" << format_minutes(a->mean_minutes) << "</td><td>"
               << (c.departement.population > 0 ? format_share(within_threshold(c, c.departement) / c.departement.population) : "–")
               << "</td></tr>";
        }
        os << "</tbody></table></section>\n";
    }
    return os.str();
}

}  // namespace maillage::report
