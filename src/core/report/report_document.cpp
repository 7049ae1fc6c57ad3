#include "report/report_document.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "report/french_text.hpp"
#include "report/report_context.hpp"
#include "util/errors.hpp"

namespace maillage::report {

namespace {

struct KeyFigure {
    std::string key;    // data-key: what it is, for tests ("coverage/france_services/share_within_20")
    double value = 0;   // data-value: the number as in summary.json / comparison.json
    std::string shown;  // the text in large type
    std::string label;  // the sentence under it
};

std::string key_figure_html(const KeyFigure& k) {
    std::ostringstream os;
    os.precision(17);
    os << "<div class=\"key-figure\" data-key=\"" << escape(k.key) << "\" data-value=\"" << k.value << "\"><span class=\"value\">"
       << escape(k.shown) << "</span> <span class=\"label\">" << escape(k.label) << "</span></div>";
    return os.str();
}

const CoverageOutcome* find_coverage(const VariantOutcome& v, const std::string& category) {
    for (const auto& c : v.coverage)
        if (c.category == category) return &c;
    return nullptr;
}

// The département's mean access index (baseline, variant, delta) of a variant whose coverage
// did not move but whose access index did; null otherwise.
const nlohmann::json* access_mean_delta(const VariantOutcome& v) {
    for (const auto& cov : v.comparison.value("coverage", nlohmann::json::array())) {
        const auto& dep = cov.at("departement");
        if (dep.value("population_beyond_gap", nlohmann::json::object()).value("delta", 0.0) != 0) return nullptr;
    }
    if (!v.comparison.contains("access")) return nullptr;
    for (const auto& acc : v.comparison.at("access")) {
        if (!acc.contains("index")) continue;
        for (const auto& i : acc.at("index"))
            if (i.value("index", "") == "all" && i.contains("mean_per_100k") && i["mean_per_100k"].value("delta", 0.0) != 0)
                return &i.at("mean_per_100k");
    }
    return nullptr;
}

std::string format_signed_decimal(double v) {
    const std::string s = format_decimal(std::fabs(v));
    return v > 0 ? "+" + s : v < 0 ? "\u2212" + s : s;
}

double share_within(const CoverageOutcome& c) {
    return c.departement.population > 0 ? within_threshold(c, c.departement) / c.departement.population : 0;
}

std::string territory_name(const RunOutputs& run) {
    // "Vienne : accès ..." → the study is named by the title; the population says its size.
    for (const auto& v : run.variants)
        for (const auto& c : v.coverage)
            return format_count(c.departement.population) + " habitants, " + std::to_string(c.communes.size()) + " communes";
    return {};
}

std::vector<KeyFigure> key_figures(const RunOutputs& run) {
    std::vector<KeyFigure> out;
    if (run.variants.empty()) return out;
    const auto& base = run.variants.front();
    // Scenario variants first: what each changes to the gap population, or to the access index
    // when the change leaves every distance as it was (practitioners leaving).
    for (std::size_t i = 1; i < run.variants.size() && out.size() < 3; ++i) {
        const auto& v = run.variants[i];
        if (const auto* mean = access_mean_delta(v)) {
            const double delta = (*mean)["delta"].get<double>();
            out.push_back({"variant/" + v.id + "/access/mean_per_100k_delta", delta, format_signed_decimal(delta),
                           "indice d'accessibilité moyen (pour 100 000 habitants) : " + v.title});
            continue;
        }
        for (const auto& cov : v.comparison.value("coverage", nlohmann::json::array())) {
            const CoverageOutcome* c = find_coverage(base, cov.value("category", ""));
            if (!c || !cov.contains("departement")) continue;
            const auto beyond = cov["departement"].value("population_beyond_gap", nlohmann::json::object());
            if (!beyond.contains("delta")) continue;
            const double delta = beyond["delta"].get<double>();
            out.push_back({"variant/" + v.id + "/" + c->category + "/population_beyond_gap_delta", delta,
                           format_signed_count(delta),
                           "habitants au-delà de " + french_minutes(c->gap_threshold) + " min " +
                               with_article(c->category, c->category_label) + " : " + v.title});
            break;
        }
    }
    // Today: the share within the threshold, the weakest services first.
    std::vector<const CoverageOutcome*> cs;
    for (const auto& c : base.coverage) cs.push_back(&c);
    std::stable_sort(cs.begin(), cs.end(), [](const auto* a, const auto* b) { return share_within(*a) < share_within(*b); });
    for (const auto* c : cs) {
        if (out.size() >= 6) break;
        const double share = share_within(*c);
        const std::string band = [&] {
            for (double b : c->bands)
                if (b <= c->gap_threshold + 1e-9 && b >= c->gap_threshold - 1e-9) return french_minutes(b);
            return french_minutes(c->gap_threshold);
        }();
        out.push_back({"coverage/" + c->category + "/share_within_" + band, share, format_share(share),
                       "des habitants à moins de " + band + " min " + with_article(c->category, c->category_label)});
    }
    // The gap of the weakest service, as a count of people.
    if (!cs.empty() && out.size() < 6 && run.variants.size() == 1) {
        const auto* c = cs.front();
        const double beyond = c->departement.population - within_threshold(*c, c->departement);
        out.push_back({"coverage/" + c->category + "/population_beyond_gap", beyond, format_count(beyond),
                       "habitants à plus de " + french_minutes(c->gap_threshold) + " min " +
                           with_article(c->category, c->category_label)});
    }
    return out;
}

std::string answer_sentence(const RunOutputs& run) {
    std::ostringstream os;
    if (run.variants.empty()) return {};
    const auto& base = run.variants.front();
    if (!base.coverage.empty()) {
        const CoverageOutcome* worst = &base.coverage.front();
        for (const auto& c : base.coverage)
            if (share_within(c) < share_within(*worst)) worst = &c;
        const double beyond = worst->departement.population - within_threshold(*worst, worst->departement);
        int communes = 0;
        for (const auto& co : worst->communes)
            if (!co.minutes || *co.minutes > worst->gap_threshold + 1e-9) ++communes;
        if (base.coverage.size() > 1)
            os << "Service le moins proche des habitants : " << escape(worst->category_label) << ". ";
        os << format_share(share_within(*worst)) << " des habitants sont à moins de " << french_minutes(worst->gap_threshold)
           << kNbsp << "minutes " << escape(with_article(worst->category, worst->category_label)) << " ; " << communes << " "
           << plural(communes, "commune", "communes") << " (" << format_count(beyond) << " "
           << plural(beyond, "habitant", "habitants") << ") sont au-delà.";
    } else if (!base.access.empty()) {
        const auto& a = base.access.front();
        for (const auto& v : a.variants)
            if (v.id == "all")
                os << "L'indice d'accessibilité moyen est de " << format_decimal(v.mean) << " pour 100" << kNarrowNbsp
                   << "000 habitants, de " << format_decimal(v.min) << " à " << format_decimal(v.max) << " selon les communes.";
    } else if (!run.optimise.empty()) {
        const auto& o = run.optimise.front();
        os << o.sites.size() << " " << plural(static_cast<double>(o.sites.size()), "emplacement est proposé", "emplacements sont proposés")
           << (o.proven_optimal ? " (solution optimale prouvée)." : ".");
    }
    if (run.variants.size() > 1) {
        os << "<ul>";
        constexpr std::size_t kListed = 4;
        for (std::size_t i = 1; i < run.variants.size() && i <= kListed; ++i) {
            const auto& v = run.variants[i];
            if (const auto* mean = access_mean_delta(v)) {
                os << "<li><strong>" << escape(v.title) << "</strong> : indice d'accessibilité moyen "
                   << format_decimal((*mean)["baseline"].get<double>()) << " → " << format_decimal((*mean)["variant"].get<double>())
                   << " pour 100" << kNarrowNbsp << "000 habitants.</li>";
                continue;
            }
            for (const auto& cov : v.comparison.value("coverage", nlohmann::json::array())) {
                const CoverageOutcome* c = find_coverage(base, cov.value("category", ""));
                if (!c) continue;
                const auto beyond = cov["departement"].value("population_beyond_gap", nlohmann::json::object());
                if (!beyond.contains("variant")) continue;
                os << "<li><strong>" << escape(v.title) << "</strong> : " << format_count(beyond["baseline"].get<double>())
                   << " → " << format_count(beyond["variant"].get<double>()) << " habitants au-delà de "
                   << french_minutes(c->gap_threshold) << kNbsp << "min (" << format_signed_count(beyond["delta"].get<double>())
                   << ").</li>";
                break;
            }
        }
        if (run.variants.size() - 1 > kListed)
            os << "<li>et " << run.variants.size() - 1 - kListed << " autre(s) variante(s) : voir les pages suivantes.</li>";
        os << "</ul>";
    }
    return os.str();
}

std::vector<std::string> main_towns(const MapGeometry& g, std::size_t n) {
    std::vector<std::pair<double, std::string>> by_pop;
    for (const auto& c : g.communes()) by_pop.emplace_back(-c.population, c.code);
    std::sort(by_pop.begin(), by_pop.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < by_pop.size() && i < n; ++i) out.push_back(by_pop[i].second);
    return out;
}

std::string source_line(const RunOutputs& run) {
    std::string s = "Sources : INSEE, IGN, ANCT ; calcul maillage";
    s += run.travel_time_source == "estimated" ? " (temps estimés)" : " (temps calculés sur le réseau routier)";
    return s;
}

}  // namespace

std::string build_report_html(const RunOutputs& run, const ReportOptions& options) {
    ReportContext ctx{run, options, std::nullopt, {}, source_line(run), 0, {}};
    // The commune geometry: from the first coverage layer of the baseline.
    for (const auto& v : run.variants) {
        for (const auto& c : v.coverage) {
            ctx.geometry = MapGeometry::read(c.dir / "coverage_communes.geojson", options.simplify_tolerance_m);
            break;
        }
        if (ctx.geometry) break;
    }
    if (!ctx.geometry) {
        // An access run carries its commune polygons too.
        for (const auto& v : run.variants)
            for (const auto& a : v.access)
                if (!ctx.geometry && std::filesystem::is_regular_file(a.dir / "access_communes.geojson"))
                    ctx.geometry = MapGeometry::read(a.dir / "access_communes.geojson", options.simplify_tolerance_m);
    }
    if (ctx.geometry) ctx.town_codes = main_towns(*ctx.geometry, 8);
    else ctx.omitted.push_back("Cartes : la sortie ne contient aucune couche de communes.");

    const auto figures = key_figures(run);
    std::ostringstream os;
    os << "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
       << "<meta name=\"generator\" content=\"" << escape(run.metadata.value("tool", std::string("maillage"))) << "\">\n"
       << "<title>" << escape(run.title) << "</title>\n<style>" << report_stylesheet() << "</style>\n</head>\n<body>\n";
    if (ctx.geometry) os << svg_geometry_defs(*ctx.geometry);

    // Cover: the question, the territory, the date, the answer, the key figures.
    os << "<section class=\"page cover\" id=\"couverture\">";
    os << "<p class=\"kicker\">Rapport d'analyse territoriale · maillage"
       << (options.date.empty() ? "" : " · " + escape(format_date(options.date))) << "</p>";
    os << "<h1>" << escape(run.title) << "</h1>";
    if (!run.question.empty()) os << "<p class=\"lead\">" << escape(run.question) << "</p>";
    const std::string size = territory_name(run);
    if (!size.empty()) os << "<p class=\"note\">Territoire étudié : " << escape(size) << ".</p>";
    const std::string answer = answer_sentence(run);
    if (!answer.empty()) os << "<div class=\"answer\"><strong>En bref.</strong> " << answer << "</div>";
    if (!figures.empty()) {
        os << "<div class=\"key-figures\">";
        for (const auto& k : figures) os << key_figure_html(k);
        os << "</div>";
    }
    os << estimate_warning_box(ctx);
    os << "</section>\n";

    // The scenario's notes and the contents, on their own page: the cover stays readable at a
    // glance however many variants there are.
    os << "<section class=\"page\" id=\"sommaire\">";
    os << "<p class=\"kicker\">Rapport d'analyse territoriale · maillage</p><h2>Dans ce rapport</h2>";
    os << "<ul class=\"toc\">";
    const auto& base = run.variants.empty() ? VariantOutcome{} : run.variants.front();
    for (std::size_t i = 1; i < run.variants.size(); ++i) os << "<li>Scénario : " << escape(run.variants[i].title) << "</li>";
    for (const auto& o : run.optimise) os << "<li>Optimisation : " << escape(o.title) << "</li>";
    for (const auto& c : base.coverage) os << "<li>Accès " << escape(with_article(c.category, c.category_label)) << "</li>";
    for (const auto& a : base.access) os << "<li>Indice d'accessibilité : " << escape(category_label(ctx, a.category)) << "</li>";
    for (const auto& r : base.rates) os << "<li>Taux d'équipement : " << escape(category_label(ctx, r.category)) << "</li>";
    if (!base.coverage.empty() && !base.coverage.front().territories.empty())
        os << "<li>Une page par territoire des solidarités</li>";
    os << "<li>Méthode et données</li></ul>";
    if (!run.notes.empty()) {
        os << "<h3>Notes du scénario</h3>";
        for (const auto& n : run.notes) os << "<p class=\"note\">" << escape(n) << "</p>";
    }
    os << "<h3>Comment lire ce rapport</h3>"
          "<p>Chaque carte colore les communes selon le temps en voiture jusqu'au site le plus proche, du jaune pâle "
          "(proche) au rouge foncé (loin) ; les mêmes couleurs servent dans QGIS. Les chiffres « à moins de 20 minutes » "
          "comptent les habitants des communes dont le temps est inférieur ou égal à 20 minutes. Les scénarios comparent "
          "une situation envisagée à la situation d'aujourd'hui, tout le reste étant égal.</p>";
    os << "</section>\n";

    for (std::size_t i = 1; i < run.variants.size(); ++i) os << variant_pages(ctx, base, run.variants[i]);
    for (const auto& o : run.optimise) os << optimise_page(ctx, o);
    for (const auto& c : base.coverage) os << coverage_pages(ctx, c);
    for (const auto& a : base.access) os << access_page(ctx, a);
    for (const auto& r : base.rates) os << rates_page(ctx, r);
    if (!base.coverage.empty() && base.coverage.front().territories.empty())
        ctx.omitted.push_back("Pages par territoire des solidarités : l'étude n'a pas de découpage en territoires.");
    os << territory_pages(ctx, base);
    os << method_page(ctx);
    os << "</body>\n</html>\n";
    return os.str();
}

}  // namespace maillage::report
