#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "report/french_text.hpp"
#include "report/report_context.hpp"
#include "report/svg_chart.hpp"

namespace maillage::report {

namespace {

const CoverageOutcome* find_coverage(const VariantOutcome& v, const std::string& category) {
    for (const auto& c : v.coverage)
        if (c.category == category) return &c;
    return nullptr;
}

// The site's name from the sites layer; else the quoted name of the change's description
// ("open ID 'NAME' ..."); else its id.
std::string site_name(const CoverageOutcome* c, const std::string& id, const nlohmann::json& change) {
    if (c && c->sites)
        for (const auto& s : *c->sites)
            if (s.id == id) return s.name;
    const std::string d = change.value("description", "");
    const auto a = d.find('\''), b = a == std::string::npos ? a : d.find('\'', a + 1);
    if (a != std::string::npos && b != std::string::npos) return d.substr(a + 1, b - a - 1);
    return id;
}

// The change in plain French, from its kind and the sites layers (names), not from the
// English description meant for planners' logs.
std::string describe_change(const nlohmann::json& change, const CoverageOutcome* before, const CoverageOutcome* after) {
    const std::string kind = change.value("kind", "");
    if (kind == "add" && change.contains("site_added"))
        return "Ouverture : " + site_name(after, change["site_added"].get<std::string>(), change);
    if (kind == "close" && change.contains("site_removed"))
        return "Fermeture : " + site_name(before, change["site_removed"].get<std::string>(), change);
    if (kind == "move") return "Déplacement : " + change.value("description", "");
    if (kind == "depart") return "Départs : " + change.value("assumption", change.value("description", ""));
    return change.value("description", kind);
}

double delta_of(const nlohmann::json& triple, const char* which) {
    return triple.is_object() && triple.contains(which) && triple[which].is_number() ? triple[which].get<double>() : 0.0;
}

}  // namespace

namespace {

constexpr std::size_t kChangesListed = 4;  // more are summed up in one line

const AccessOutcome* find_access(const VariantOutcome& v, const std::string& category) {
    for (const auto& a : v.access)
        if (a.category == category) return &a;
    return nullptr;
}

bool coverage_unchanged(const nlohmann::json& cov) {
    const auto& dep = cov.at("departement");
    // A named copy: items() of the temporary that value() returns would outlive it in the loop
    // (AddressSanitizer: stack-use-after-scope).
    const nlohmann::json within = dep.value("population_within_minutes", nlohmann::json::object());
    for (const auto& [band, triple] : within.items())
        if (delta_of(triple, "delta") != 0) return false;
    return delta_of(dep.value("population_beyond_gap", nlohmann::json::object()), "delta") == 0;
}

// The access index before and after a variant (practitioners leaving or arriving).
std::string access_variant_page(ReportContext& ctx, const VariantOutcome& baseline, const VariantOutcome& variant,
                                const nlohmann::json& acc, const nlohmann::json& changes) {
    const std::string category = acc.value("category", "");
    const AccessOutcome* before = find_access(baseline, category);
    const AccessOutcome* after = find_access(variant, category);
    if (!before || !after) return {};
    std::ostringstream os;
    os << "<section class=\"page\" id=\"variant-" << escape(variant.id) << "-access-" << escape(category) << "\">";
    os << "<p class=\"kicker\">Scénario · accessibilité · " << escape(category_label(ctx, category)) << "</p>";
    os << "<h2>" << escape(variant.title) << "</h2>";
    const auto supply = acc.value("total_supply", nlohmann::json::object());
    nlohmann::json all = nlohmann::json::object();
    for (const auto& i : acc.value("index", nlohmann::json::array()))
        if (i.value("index", "") == "all") all = i;
    const auto mean = all.value("mean_per_100k", nlohmann::json::object());
    os << "<p class=\"lead\">Offre : <strong>" << format_decimal(delta_of(supply, "baseline")) << "</strong> aujourd'hui, <strong>"
       << format_decimal(delta_of(supply, "variant")) << "</strong> avec ce scénario. Indice moyen : <strong>"
       << format_decimal(delta_of(mean, "baseline")) << "</strong> → <strong>" << format_decimal(delta_of(mean, "variant"))
       << "</strong> pour 100" << kNarrowNbsp << "000 habitants.</p>";
    os << "<h3>Ce qui change</h3><ul class=\"change-list\">";
    std::size_t listed = 0, total = 0;
    for (const auto& ch : changes) {
        if (ch.value("category", "") != category) continue;
        if (++total > kChangesListed) continue;
        ++listed;
        os << "<li>" << escape(ch.value("kind", "") == "depart" ? "Départs : " + ch.value("assumption", ch.value("description", ""))
                                                               : ch.value("description", ""))
           << "</li>";
    }
    if (total > listed) os << "<li>… et " << total - listed << " autres changements (comparison.json)</li>";
    os << "</ul>";
    if (ctx.geometry) {
        const IndexClasses classes = index_classes(*before);  // the same classes on both maps
        CommuneMap m0 = index_map(ctx, *before, classes, 340, 420, 0);
        CommuneMap m1 = index_map(ctx, *after, classes, 340, 420, 0);
        m0.labels.clear();
        m1.labels.clear();
        m0.aria_label = "Avant : " + m0.aria_label;
        m1.aria_label = "Après : " + m1.aria_label;
        os << "<div class=\"two-maps\"><figure><figcaption>Aujourd'hui</figcaption>" << render_commune_map(*ctx.geometry, m0)
           << "</figure><figure><figcaption>Avec le scénario (mêmes classes)</figcaption>" << render_commune_map(*ctx.geometry, m1)
           << "</figure></div>";
    }
    auto moved = acc.value("communes_changed", nlohmann::json::array());
    std::stable_sort(moved.begin(), moved.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return delta_of(a.at("access_per_100k"), "delta") < delta_of(b.at("access_per_100k"), "delta");
    });
    if (!moved.empty()) {
        os << "<h3>Les communes qui perdent le plus</h3><table><thead><tr><th>Commune</th><th>Aujourd'hui</th><th>Avec le scénario</th>"
              "<th>Écart</th></tr></thead><tbody>";
        for (std::size_t i = 0; i < moved.size() && i < 6; ++i) {
            const auto& t = moved[i].at("access_per_100k");
            os << "<tr><td>" << escape(moved[i].value("nom", "")) << "</td><td>" << format_decimal(delta_of(t, "baseline"))
               << "</td><td>" << format_decimal(delta_of(t, "variant")) << "</td><td>" << format_decimal(delta_of(t, "delta"))
               << "</td></tr>";
        }
        os << "</tbody></table>";
    }
    os << "</section>\n";
    return os.str();
}

}  // namespace

std::string variant_pages(ReportContext& ctx, const VariantOutcome& baseline, const VariantOutcome& variant) {
    std::ostringstream os;
    const auto& cmp = variant.comparison;
    const auto changes = cmp.value("changes", nlohmann::json::array());
    const auto accesses = cmp.value("access", nlohmann::json::array());
    for (const auto& cov : cmp.value("coverage", nlohmann::json::array())) {
        const std::string category = cov.value("category", "");
        const CoverageOutcome* before = find_coverage(baseline, category);
        const CoverageOutcome* after = find_coverage(variant, category);
        if (!before || !after) continue;
        // Practitioners leaving change the index, not the distance to the nearest site: the
        // coverage page would show two identical maps.
        bool has_access = false;
        for (const auto& acc : accesses) has_access = has_access || acc.value("category", "") == category;
        if (has_access && coverage_unchanged(cov)) continue;
        const double threshold = before->gap_threshold;
        const auto& dep = cov.at("departement");
        const auto beyond = dep.value("population_beyond_gap", nlohmann::json::object());
        const double b0 = delta_of(beyond, "baseline"), b1 = delta_of(beyond, "variant");
        const std::string art = with_article(category, before->category_label);

        os << "<section class=\"page\" id=\"variant-" << escape(variant.id) << "-" << escape(category) << "\">";
        os << "<p class=\"kicker\">Scénario · " << escape(before->category_label) << "</p>";
        os << "<h2>" << escape(variant.title) << "</h2>";
        os << "<p class=\"lead\">Habitants à plus de " << french_minutes(threshold) << kNbsp << "minutes " << escape(art)
           << " : <strong>" << format_count(b0) << "</strong> aujourd'hui, <strong>" << format_count(b1)
           << "</strong> avec ce scénario (<strong class=\"key-figure-inline\">" << format_signed_count(b1 - b0)
           << "</strong>).</p>";
        os << "<h3>Ce qui change</h3><ul class=\"change-list\">";
        std::size_t listed = 0, total = 0;
        for (const auto& ch : changes) {
            if (ch.value("category", "") != category) continue;
            if (++total > kChangesListed) continue;
            ++listed;
            os << "<li>" << escape(describe_change(ch, before, after)) << "</li>";
        }
        if (total > listed) os << "<li>… et " << total - listed << " autres changements (page suivante)</li>";
        os << "</ul>";
        // Each listed change takes a line from the maps' height.
        const double map_height = 480 - 22.0 * static_cast<double>(listed > 1 ? listed - 1 : 0);
        if (ctx.geometry) {
            const Box region = ctx.geometry->box().padded(0.02);
            CommuneMap m0 = coverage_map(ctx, *before, region, 340, map_height, 0);
            CommuneMap m1 = coverage_map(ctx, *after, region, 340, map_height, 0);
            m0.labels.clear();
            m1.labels.clear();
            // Sites the scenario adds (after) or closes (before) stand out: larger, in blue.
            std::set<std::string> changed;
            for (const auto& ch : changes) {
                if (ch.value("category", "") != category) continue;
                if (ch.contains("site_added")) changed.insert(ch["site_added"].get<std::string>());
                if (ch.contains("site_removed")) changed.insert(ch["site_removed"].get<std::string>());
            }
            bool highlighted = false;
            auto highlight = [&](CommuneMap& m, const CoverageOutcome& c, const char* label) {
                if (!c.sites) return;
                bool any = false;
                for (std::size_t i = 0; i < c.sites->size() && i < m.points.size(); ++i)
                    if (changed.count((*c.sites)[i].id)) {
                        m.points[i].fill = "#2166ac";
                        m.points[i].size_px = 7;
                        any = true;
                    }
                // Drawn last, so above the other sites.
                std::stable_partition(m.points.begin(), m.points.end(), [](const MapPoint& p) { return p.fill != "#2166ac"; });
                if (any) {
                    LegendEntry e;
                    e.label = label;
                    e.is_symbol = true;
                    e.symbol = category_symbol(c.category);
                    e.symbol_fill = "#2166ac";
                    m.legend.push_back(e);
                    highlighted = true;
                }
            };
            highlight(m0, *before, "site fermé par le scénario");
            highlight(m1, *after, "site ajouté par le scénario");
            m0.aria_label = "Avant : " + m0.aria_label;
            m1.aria_label = "Après : " + m1.aria_label;
            os << "<div class=\"two-maps\"><figure><figcaption>Aujourd'hui</figcaption>" << render_commune_map(*ctx.geometry, m0)
               << "</figure><figure><figcaption>Avec le scénario</figcaption>" << render_commune_map(*ctx.geometry, m1)
               << "</figure></div>";
            if (highlighted)
                os << "<p class=\"note\">En bleu : le site ajouté ou fermé par le scénario.</p>";
        }
        os << "<h3>Habitants par temps d'accès (ensemble du territoire)</h3>";
        os << "<table><thead><tr><th>Temps</th><th>Aujourd'hui</th><th>Avec le scénario</th><th>Écart</th></tr></thead><tbody>";
        const nlohmann::json within = dep.value("population_within_minutes", nlohmann::json::object());
        for (const auto& [key, triple] : within.items())
            os << "<tr><td>à moins de " << escape(key) << kNbsp << "min</td><td>" << format_count(delta_of(triple, "baseline"))
               << "</td><td>" << format_count(delta_of(triple, "variant")) << "</td><td>"
               << format_signed_count(delta_of(triple, "delta")) << "</td></tr>";
        if (dep.contains("mean_minutes"))
            os << "<tr><td>temps moyen</td><td>" << format_decimal(delta_of(dep["mean_minutes"], "baseline"))
               << kNbsp << "min</td><td>" << format_decimal(delta_of(dep["mean_minutes"], "variant")) << kNbsp << "min</td><td>"
               << format_decimal(delta_of(dep["mean_minutes"], "delta")) << kNbsp << "min</td></tr>";
        os << "</tbody></table>";
        const auto effects = cov.value("effect_of_each_change", nlohmann::json::array());
        const auto moved = cov.value("communes_changing_band", nlohmann::json::array());
        if (!moved.empty())
            os << "<p class=\"note\">" << moved.size() << " " << plural(static_cast<double>(moved.size()), "commune change", "communes changent")
               << " de classe de temps (liste complète : comparison.csv).</p>";
        if (effects.size() > 1) {
            // On a page of its own: with several changes it does not fit under the maps.
            os << "</section>\n<section class=\"page\" id=\"variant-" << escape(variant.id) << "-" << escape(category)
               << "-effects\"><p class=\"kicker\">Scénario · " << escape(before->category_label) << "</p><h2>"
               << escape(variant.title) << "</h2>";
            os << "<h3>Ce que chaque changement apporte à lui seul</h3><table><thead><tr><th>Changement</th>"
                  "<th>Habitants au-delà de "
               << french_minutes(threshold) << kNbsp << "min</th></tr></thead><tbody>";
            for (const auto& e : effects) {
                const std::size_t idx = e.value("change", 0);
                const std::string text = idx < changes.size() ? describe_change(changes[idx], before, after) : "";
                os << "<tr><td>" << escape(text) << "</td><td>" << format_signed_count(e.value("population_beyond_gap", 0.0))
                   << "</td></tr>";
            }
            os << "</tbody></table>";
            os << "<p class=\"note\">Chaque ligne : l'effet du changement ajouté aux précédents, dans l'ordre du scénario "
                  "(la somme des lignes est l'écart total).</p>";
        }
        os << "</section>\n";
    }
    for (const auto& acc : accesses) os << access_variant_page(ctx, baseline, variant, acc, changes);
    return os.str();
}

std::string optimise_page(ReportContext& ctx, const OptimiseOutcome& o) {
    std::ostringstream os;
    os << "<section class=\"page\" id=\"optimise-" << escape(o.id) << "\">";
    os << "<p class=\"kicker\">Où implanter ? · optimisation</p><h2>" << escape(o.title) << "</h2>";
    std::string question;
    if (o.problem == "lscp")
        question = "Le plus petit nombre de nouveaux sites pour que chaque habitant soit à moins de " +
                   french_minutes(o.max_minutes) + " minutes d'un site.";
    else if (o.problem == "mclp" || o.problem == "cmclp")
        question = "Les emplacements qui mettent le plus d'habitants à moins de " + french_minutes(o.max_minutes) + " minutes.";
    else if (o.problem == "pmedian")
        question = "Les emplacements qui rendent le temps moyen d'accès le plus court.";
    else if (o.problem == "itinerant")
        question = "Les arrêts d'une permanence itinérante qui touchent le plus d'habitants.";
    else
        question = "Les emplacements les plus utiles selon le critère « " + o.problem + " ».";
    os << "<p class=\"lead\">" << escape(question) << "</p>";
    os << "<p>" << (o.proven_optimal ? "Solution <strong>optimale prouvée</strong> (solveur exact CBC)."
                                       : "Meilleure solution trouvée (non prouvée optimale) ; voir summary.json pour l'écart à la borne.")
       << "</p>";
    os << "<table><thead><tr><th>Ordre</th><th class=\"text\">Emplacement</th><th>Gain (habitants)</th></tr></thead><tbody>";
    for (const auto& s : o.sites)
        os << "<tr><td>" << s.rank << "</td><td class=\"text\">" << escape(s.name) << (s.existing ? " (existant)" : "")
           << "</td><td>" << format_count(s.marginal_gain) << "</td></tr>";
    os << "</tbody></table>";
    if (!o.uncoverable.empty())
        os << "<p class=\"warning\"><strong>" << o.uncoverable.size()
           << " communes ne peuvent être couvertes</strong> par aucun emplacement candidat.</p>";
    if (!o.curve.empty()) {
        LineChart chart;
        chart.id = ctx.unique_id("curve");
        chart.aria_label = "Courbe de couverture : habitants couverts selon le nombre de sites";
        chart.x_label = "nombre de nouveaux sites";
        chart.y_label = "part des habitants couverts";
        chart.y_is_share = true;
        chart.y_max = 1;
        for (const auto& p : o.curve) {
            chart.x.push_back(p.k);
            chart.y.push_back(o.population > 0 ? p.covered_population / o.population : 0);
        }
        os << "<h3>Combien de sites pour couvrir combien d'habitants ?</h3>" << render_line_chart(chart);
    }
    os << "</section>\n";
    return os.str();
}

}  // namespace maillage::report
