#include <map>
#include <set>
#include <sstream>

#include "report/french_text.hpp"
#include "report/report_context.hpp"
#include "util/csv_table.hpp"

namespace maillage::report {

namespace {

struct CatalogueEntry {
    std::string dataset, publisher, licence, vintage;
};

std::map<std::string, CatalogueEntry> read_catalogue(const std::filesystem::path& path) {
    std::map<std::string, CatalogueEntry> out;
    if (path.empty()) return out;
    auto t = CsvTable::read(path);
    const auto sha = t.require_column({"sha256"}), ds = t.require_column({"dataset"}), pub = t.require_column({"publisher"}),
               lic = t.require_column({"licence"}), vin = t.require_column({"vintage"});
    for (const auto& r : t.rows()) out[r.cells[sha]] = {r.cells[ds], r.cells[pub], r.cells[lic], r.cells[vin]};
    return out;
}

std::string role_label(const std::string& role) {
    static const std::map<std::string, std::string> labels = {
        {"communes", "Communes (contours)"}, {"population", "Population et EPCI"},
        {"territories", "Territoires des solidarités"}, {"bpe", "Équipements (BPE)"},
        {"network_parameters", "Paramètres du temps estimé"}, {"scenario", "Fichier de scénario"},
        {"network", "Réseau routier"}, {"sites", "Sites"},
        {"neighbour_communes", "Communes voisines (à moins de 20 km)"},
        {"neighbour_population", "Population des communes voisines"},
        {"france_services", "France Services"}, {"decay", "Décroissance de l'accessibilité (APL)"},
        {"demand", "Population (couche de demande)"}, {"demand_weights", "Pondération de la demande"},
        {"target_population", "Population cible"}, {"epci_layer", "EPCI (contours)"},
        {"territories_layer", "Territoires (contours)"}, {"profile", "Profil de circulation"},
        {"road_mapping", "Correspondance des classes de routes"}};
    auto it = labels.find(role);
    return it != labels.end() ? it->second : role;
}

}  // namespace

std::string estimate_warning_box(const ReportContext& ctx) {
    std::ostringstream os;
    if (ctx.run.travel_time_source == "estimated") {
        os << "<div class=\"warning\" role=\"note\"><strong>Attention : les temps de trajet sont estimés.</strong> Aucun réseau "
              "routier n'a été fourni : les temps sont déduits de la distance à vol d'oiseau entre les communes (allongée pour "
              "suivre les routes, à une vitesse qui croît avec la longueur du trajet). Pour 8 trajets sur 10, l'écart avec un "
              "vrai trajet en voiture reste sous ±25 %. Lisez ces chiffres comme des ordres de grandeur ; pour des temps "
              "mesurés, relancez l'analyse avec un extrait OpenStreetMap.</div>";
    }
    bool provisional = false;
    for (const auto& in : ctx.run.metadata.value("inputs", nlohmann::json::array()))
        if (in.value("role", "") == "territories") {
            const std::string p = in.value("path", "");
            provisional = p.find("provisional") != std::string::npos || p.find("provisoire") != std::string::npos;
        }
    if (provisional)
        os << "<div class=\"warning\" role=\"note\"><strong>Découpage provisoire.</strong> Les territoires des solidarités "
              "utilisés ici ont été reconstitués à partir de sources publiques, faute de table officielle : les chiffres par "
              "territoire sont à confirmer avec le découpage du Département.</div>";
    return os.str();
}

std::string method_page(ReportContext& ctx) {
    const auto catalogue = read_catalogue(ctx.options.sources_catalogue);
    std::ostringstream os;
    os << "<section class=\"page\" id=\"methode\">";
    os << "<p class=\"kicker\">Méthode et données</p><h2>Comment ces chiffres ont été obtenus</h2>";
    os << estimate_warning_box(ctx);
    os << "<p>Pour chaque commune, on calcule le temps en voiture jusqu'au site le plus proche, depuis un point représentatif "
          "de la commune où vivent ses habitants. Les habitants de la commune sont comptés dans la classe de ce temps. Les sites "
          "situés hors du territoire mais à proximité sont pris en compte.</p>";
    // The inputs table, split over pages: a run reads a dozen files or more (communes, EPCI,
    // territories, BPE, neighbouring communes and their populations, network...), and a row
    // with its sha256 takes two lines; one printed page holds about a dozen rows.
    const auto inputs = ctx.run.metadata.value("inputs", nlohmann::json::array());
    const std::size_t first_page_rows = estimate_warning_box(ctx).empty() ? 8 : 5;
    constexpr std::size_t kRowsPerPage = 13;
    auto table_head = [&] {
        os << "<table class=\"inputs\"><thead><tr><th class=\"text\">Rôle</th><th class=\"text\">Jeu de données</th>"
              "<th class=\"text\">Millésime</th><th class=\"text\">Licence</th><th class=\"text\">Empreinte sha256</th></tr>"
              "</thead><tbody>";
    };
    os << "<h3>Données utilisées</h3>";
    table_head();
    std::size_t on_page = 0, page_rows = first_page_rows, pages = 1;
    for (const auto& in : inputs) {
        if (on_page == page_rows) {
            os << "</tbody></table></section>\n<section class=\"page\" id=\"methode-donnees-" << ++pages << "\">";
            os << "<p class=\"kicker\">Méthode et données</p><h3>Données utilisées (suite)</h3>";
            table_head();
            on_page = 0;
            page_rows = kRowsPerPage;
        }
        ++on_page;
        const std::string sha = in.value("sha256", "");
        auto it = catalogue.find(sha);
        const std::string path = in.value("path", "");
        os << "<tr><td class=\"text\">" << escape(role_label(in.value("role", ""))) << "</td><td class=\"text\">";
        if (it != catalogue.end())
            os << escape(it->second.dataset) << " — " << escape(it->second.publisher);
        else
            os << escape(path) << (path.rfind("geodata/", 0) == 0 ? " (table du projet maillage)" : "");
        os << "</td><td class=\"text\">" << escape(it != catalogue.end() ? it->second.vintage : "–") << "</td><td class=\"text\">"
           << escape(it != catalogue.end() ? it->second.licence : "–") << "</td><td class=\"hash\">" << escape(sha) << "</td></tr>";
    }
    os << "</tbody></table>";
    os << "</section>\n<section class=\"page\" id=\"methode-suite\">";
    os << "<p class=\"kicker\">Méthode et données</p>";
    os << "<h3>Réseau</h3><p>" << escape(ctx.run.network_spec.empty() ? "non précisé" : ctx.run.network_spec);
    const auto& params = ctx.run.metadata.value("parameters", nlohmann::json::object());
    if (params.contains("network") && params["network"].is_object() && params["network"].contains("description"))
        os << " — " << escape(params["network"]["description"].get<std::string>());
    os << "</p>";
    os << "<h3>Mots utilisés</h3><dl class=\"glossary\">"
          "<dt>EPCI</dt><dd>Établissement public de coopération intercommunale : communauté de communes, d'agglomération ou "
          "urbaine.</dd>"
          "<dt>Territoire des solidarités</dt><dd>Découpage du Département pour l'action sociale de proximité.</dd>"
          "<dt>Temps d'accès</dt><dd>Temps en voiture du centre de la commune au site le plus proche.</dd>"
          "<dt>Personnes-minutes</dt><dd>Habitants au-delà du seuil multipliés par les minutes en trop : mesure à la fois le "
          "nombre de personnes et l'ampleur du retard.</dd>"
          "<dt>APL / E2SFCA</dt><dd>Accessibilité potentielle localisée : offre accessible pour 100 000 habitants, pondérée "
          "par le temps de trajet et partagée avec la demande des communes voisines.</dd></dl>";
    // Technical messages of the run, without duplicates, for the specialist.
    std::set<std::string> seen;
    std::vector<std::string> messages;
    auto add = [&](const std::vector<std::string>& ws) {
        for (const auto& w : ws)
            if (seen.insert(w).second) messages.push_back(w);
    };
    add(ctx.run.warnings);
    for (const auto& v : ctx.run.variants) {
        for (const auto& c : v.coverage) add(c.warnings);
        for (const auto& a : v.access) add(a.warnings);
        for (const auto& r : v.rates) add(r.warnings);
    }
    if (!messages.empty()) {
        os << "<h3>Messages techniques de l'analyse</h3><ul class=\"note\">";
        for (const auto& m : messages) os << "<li>" << escape(m) << "</li>";
        os << "</ul>";
    }
    if (!ctx.omitted.empty()) {
        os << "<h3>Parties absentes de ce rapport</h3><ul class=\"omitted\">";
        for (const auto& m : ctx.omitted) os << "<li>" << escape(m) << "</li>";
        os << "</ul>";
    }
    os << "<p class=\"note\">Rapport produit par maillage (" << escape(ctx.run.metadata.value("tool", std::string("maillage")))
       << "). Tous les chiffres proviennent des fichiers de l'analyse (summary.json, comparison.json, couches GeoJSON) ; "
          "aucun n'est recalculé pour le rapport.</p>";
    os << "</section>\n";
    return os.str();
}

}  // namespace maillage::report
