#include "coverage/coverage_export.hpp"

#include <cmath>
#include <cstdio>

#include "output/csv_writer.hpp"
#include "output/geojson_writer.hpp"
#include "output/gpkg_writer.hpp"
#include "output/qml_style.hpp"
#include "util/atomic_file.hpp"

namespace maillage {

std::string band_key(double b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", b);
    return buf;
}

namespace {


nlohmann::ordered_json area_json(const AreaCoverage& a, const std::vector<double>& bands) {
    nlohmann::ordered_json j;
    j["id"] = a.id;
    j["name"] = a.name;
    j["population"] = round_to(a.population, 1);
    nlohmann::ordered_json within = nlohmann::ordered_json::object();
    nlohmann::ordered_json share = nlohmann::ordered_json::object();
    for (std::size_t b = 0; b < bands.size(); ++b) {
        within[band_key(bands[b])] = round_to(a.within_band[b], 1);
        share[band_key(bands[b])] = a.population > 0 ? round_to(a.within_band[b] / a.population, 4) : 0.0;
    }
    j["population_within_minutes"] = within;
    j["share_within_minutes"] = share;
    j["population_beyond_last_band"] = round_to(a.beyond_last_band, 1);
    j["population_unreachable"] = round_to(a.unreachable, 1);
    j["mean_minutes"] = round_to(a.mean_minutes, 1);
    j["max_minutes"] = round_to(a.max_minutes, 1);
    return j;
}

}  // namespace

std::string coverage_band_label(double minutes, const std::vector<double>& bands, bool reachable) {
    if (!reachable) return "unreachable";
    double lower = 0;
    for (double b : bands) {
        if (minutes <= b) return band_key(lower) + "-" + band_key(b) + " min";
        lower = b;
    }
    return "> " + band_key(bands.back()) + " min";
}

FeatureLayer coverage_communes_layer(const CoverageReport& r) {
    FeatureLayer layer{"coverage_communes", {}};
    const auto& bands = r.tables->bands_minutes;
    for (std::size_t i = 0; i < r.territory->communes.size(); ++i) {
        const Commune& c = r.territory->communes[i];
        const AreaCoverage& a = r.tables->communes[i];
        bool reachable = a.nearest_site.valid();
        Feature f;
        f.geometry.reset(c.geometry->clone());
        auto& p = f.properties;
        p["code"] = c.code.str();
        p["nom"] = c.name;
        p["population"] = c.population ? nlohmann::ordered_json(*c.population) : nlohmann::ordered_json(nullptr);
        p["epci"] = c.epci_id;
        p["territory"] = c.territory_id;
        p["category"] = r.category;
        p["mean_minutes"] = reachable ? nlohmann::ordered_json(round_to(a.mean_minutes, 1)) : nlohmann::ordered_json(nullptr);
        p["best_minutes"] = reachable ? nlohmann::ordered_json(round_to(a.nearest_minutes, 1)) : nlohmann::ordered_json(nullptr);
        p["band"] = coverage_band_label(a.mean_minutes, bands, reachable);
        p["covered"] = reachable && a.mean_minutes <= r.gaps->threshold_minutes;
        const ServiceSite* site = r.result->sites.find(a.nearest_site);
        p["nearest_site_id"] = site ? nlohmann::ordered_json(site->id) : nlohmann::ordered_json(nullptr);
        p["nearest_site_name"] = site ? nlohmann::ordered_json(site->name) : nlohmann::ordered_json(nullptr);
        p["nearest_site_location_precision"] = site ? nlohmann::ordered_json(to_string(site->precision)) : nlohmann::ordered_json(nullptr);
        for (std::size_t b = 0; b < bands.size(); ++b)
            p["share_within_" + band_key(bands[b])] = a.population > 0 ? round_to(a.within_band[b] / a.population, 4) : 0.0;
        p["travel_time_source"] = r.travel_time_source;
        layer.features.push_back(std::move(f));
    }
    return layer;
}

namespace {

// INSEE code of the study commune containing p (first in territory order), or "".
std::string commune_containing(const Territory& t, Point2 p) {
    OGRPoint point(p.x, p.y);
    for (const Commune& c : t.communes) {
        if (!c.geometry) continue;
        OGREnvelope e;
        c.geometry->getEnvelope(&e);
        if (p.x < e.MinX || p.x > e.MaxX || p.y < e.MinY || p.y > e.MaxY) continue;
        if (c.geometry->Contains(&point)) return c.code.str();
    }
    return "";
}

nlohmann::ordered_json optional_number(const std::optional<double>& v) {
    return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace

FeatureLayer coverage_sites_layer(const CoverageReport& r) {
    FeatureLayer layer{"sites", {}};
    const AttachedSites& sites = r.result->sites;
    for (std::uint32_t i = 0; i < sites.size(); ++i) {
        const ServiceSite& s = sites.site(SiteId(i));
        const Attachment& a = sites.attachment(SiteId(i));
        std::string commune = s.commune_code.empty() && r.territory ? commune_containing(*r.territory, s.position)
                                                                     : s.commune_code;
        Feature f;
        f.geometry.reset(new OGRPoint(s.position.x, s.position.y));
        auto& p = f.properties;
        p["site_id"] = s.id;
        p["name"] = s.name;
        p["category"] = s.category;
        p["commune"] = commune.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(commune);
        p["location_precision"] = to_string(s.precision);
        p["in_study_area"] = s.in_study_area;
        p["count"] = s.count;
        p["capacity_places"] = optional_number(s.places);
        p["capacity_fte"] = optional_number(s.fte);
        const bool attached = a.edge != kNoEdge || a.node != kNoNode;
        p["attached"] = attached;
        p["snap_distance_m"] = attached ? nlohmann::ordered_json(round_to(a.distance.value(), 1)) : nlohmann::ordered_json(nullptr);
        p["beside_cut_off_road"] = a.beside_cut_off_road();
        layer.features.push_back(std::move(f));
    }
    return layer;
}

const std::vector<std::string>& gaps_header() {
    static const std::vector<std::string> h = {"rank", "cluster", "code", "nom", "population_beyond", "minutes",
                                               "excess_minutes", "score_person_minutes", "nearest_site_id",
                                               "nearest_site_name", "travel_time_source"};
    return h;
}

std::vector<std::vector<std::string>> gaps_rows(const CoverageReport& r) {
    std::vector<std::vector<std::string>> rows;
    for (const Gap& g : r.gaps->gaps) {
        const Commune& c = r.territory->communes[g.commune];
        const ServiceSite* s = r.result->sites.find(g.nearest_site);
        rows.push_back({std::to_string(g.rank), std::to_string(g.cluster), c.code.str(), c.name,
                        csv_number(g.population_beyond, 1), csv_number(g.minutes, 1), csv_number(g.excess_minutes, 1),
                        csv_number(g.score, 0), s ? s->id : "", s ? s->name : "", r.travel_time_source});
    }
    return rows;
}

nlohmann::ordered_json coverage_summary(const CoverageReport& r) {
    const auto& bands = r.tables->bands_minutes;
    nlohmann::ordered_json j;
    j["category"] = r.category;
    j["category_label"] = r.category_label;
    j["travel_time_source"] = r.travel_time_source;
    if (r.travel_time_source == "estimated") {
        std::string uncertainty;
        if (r.metadata.contains("parameters") && r.metadata["parameters"].contains("travel_time_uncertainty"))
            uncertainty = r.metadata["parameters"]["travel_time_uncertainty"].get<std::string>();
        j["travel_time_warning"] = "Travel times are ESTIMATED from distances between communes (no road network was "
                                   "given)" + (uncertainty.empty() ? std::string() : ": " + uncertainty) +
                                   ". Use them as orders of magnitude, not as measured times.";
    }
    j["sites"] = r.result->sites.size();
    // Of them, outside the study area (within the margin: France Services beyond the border, BPE
    // counts of neighbouring communes).
    std::size_t beyond = 0;
    for (std::uint32_t i = 0; i < r.result->sites.size(); ++i) beyond += r.result->sites.site(SiteId(i)).in_study_area ? 0 : 1;
    j["sites_beyond_study_area"] = beyond;
    j["bands_minutes"] = bands;
    j["gap_threshold_minutes"] = r.gaps->threshold_minutes;
    j["departement"] = area_json(r.tables->departement, bands);
    j["territories"] = nlohmann::ordered_json::array();
    for (const auto& a : r.tables->territories) j["territories"].push_back(area_json(a, bands));
    j["epci"] = nlohmann::ordered_json::array();
    for (const auto& a : r.tables->epcis) j["epci"].push_back(area_json(a, bands));
    nlohmann::ordered_json clusters = nlohmann::ordered_json::array();
    for (const auto& c : r.gaps->clusters) {
        nlohmann::ordered_json codes = nlohmann::ordered_json::array();
        for (auto i : c.communes) codes.push_back(r.territory->communes[i].code.str());
        clusters.push_back({{"cluster", c.id}, {"communes", codes}, {"population_beyond", round_to(c.population_beyond, 1)},
                            {"score_person_minutes", round_to(c.score, 0)}});
    }
    j["gaps"] = {{"communes", r.gaps->gaps.size()}, {"clusters", clusters}};
    if (r.catchments) j["catchment_cell_size_m"] = round_to(r.catchments->cell_size_m, 1);
    j["warnings"] = r.warnings;
    j["metadata"] = r.metadata;
    return j;
}

void write_coverage_outputs(const std::filesystem::path& dir, const CoverageReport& r) {
    // Everything is built in memory first: an error leaves no new file behind.
    FeatureLayer communes = coverage_communes_layer(r);
    FeatureLayer sites = coverage_sites_layer(r);
    auto summary = coverage_summary(r);
    auto rows = gaps_rows(r);
    FeatureLayer empty{"catchments", {}};
    const FeatureLayer& catchments = r.catchments ? r.catchments->per_site_band : empty;
    std::string summary_text = summary.dump(2) + "\n";
    // QGIS styles: the report's time classes and colours (output/time_classes.hpp).
    const std::vector<std::pair<std::string, std::string>> styles = {
        {"coverage_communes", coverage_communes_qml(r.tables->bands_minutes)},
        {"catchments", catchments_qml(r.tables->bands_minutes)},
        {"sites", sites_qml()}};

    write_geojson(dir / "coverage_communes.geojson", communes, r.metadata);
    write_geojson(dir / "catchments.geojson", catchments, r.metadata);
    write_geojson(dir / "sites.geojson", sites, r.metadata);
    std::vector<GpkgLayerStyle> gpkg_styles;
    for (const auto& [layer, qml] : styles) {
        write_file_atomically(dir / (layer + ".qml"), [&](std::ostream& os) { os << qml; });
        gpkg_styles.push_back({layer, qml, "maillage: time classes of the coverage report"});
    }
    write_csv_with_provenance(dir / "gaps.csv", gaps_header(), rows, r.metadata);
    std::vector<const FeatureLayer*> layers = {&communes, &catchments};
    if (r.catchments) {
        layers.push_back(&r.catchments->covered);
        layers.push_back(&r.catchments->not_covered);
        write_geojson(dir / "covered.geojson", r.catchments->covered, r.metadata);
        write_geojson(dir / "not_covered.geojson", r.catchments->not_covered, r.metadata);
    }
    layers.push_back(&sites);
    write_gpkg(dir / "coverage.gpkg", layers, r.metadata, gpkg_styles);
    write_file_atomically(dir / "summary.json", [&](std::ostream& os) { os << summary_text; });
}

}  // namespace maillage
