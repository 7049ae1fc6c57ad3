#include "territory/territory_loader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "territory/area_builder.hpp"
#include "territory/commune_reader.hpp"
#include "geo/vector_source.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace {

void join_population(Territory& t, const std::filesystem::path& path, std::map<std::string, std::string>& epci_names) {
    CsvTable table = CsvTable::read(path);
    const auto code_col = table.require_column({"code_insee", "code", "CODGEO", "DEPCOM"});
    const auto pop_col = table.column("population");
    const auto epci_col = table.column("epci_siren");
    const auto epci_name_col = table.column("epci_nom");
    const auto former_col = table.column("anciens_codes");
    restore_insee_leading_zeros(table, code_col, [&](const std::string& code) { return t.find_commune(code).has_value(); });
    std::set<std::string> seen;
    for (const auto& row : table.rows()) {
        const std::string& code = row.cells[code_col];
        const std::string where = "line " + std::to_string(row.line);
        auto idx = t.find_commune(code);  // known codes include foreign ids (OSM boundaries)
        if (!idx && !InseeCode::parse(code))
            throw InputError({table.file(), where, table.header()[code_col]}, "malformed INSEE code '" + code + "'",
                             "5 characters: 2 digits (or 2A/2B) then 3 digits");
        if (!seen.insert(code).second)
            throw InputError({table.file(), where, table.header()[code_col]}, "duplicate INSEE code " + code);
        if (!idx) {
            t.diagnostics.warn({table.file(), where, table.header()[code_col]},
                               "commune " + code + " is not in the commune layer; row ignored");
            continue;
        }
        Commune& c = t.communes[*idx];
        if (pop_col && !row.cells[*pop_col].empty()) {
            c.population = parse_count(row.cells[*pop_col], table.file(), row.line, "population");
            if (*c.population > kMaxCommunePopulation)
                throw InputError({table.file(), where, table.header()[*pop_col]},
                                 "population " + row.cells[*pop_col] + " is not a commune's",
                                 "at most 1 000 000 000 inhabitants");
        }
        if (epci_col && !row.cells[*epci_col].empty()) c.epci_id = row.cells[*epci_col];
        if (epci_name_col && !c.epci_id.empty()) epci_names[c.epci_id] = row.cells[*epci_name_col];
        if (former_col) {
            std::istringstream in(row.cells[*former_col]);
            std::string old;
            while (in >> old) {
                if (!InseeCode::parse(old))
                    throw InputError({table.file(), where, "anciens_codes"}, "malformed former code '" + old + "'");
                c.former_codes.push_back(old);
            }
        }
    }
    t.diagnostics.append(table.warnings());
}

// EPCI → territory or commune → territory; '#' lines document the table.
void assign_territories(Territory& t, const std::filesystem::path& path, std::map<std::string, std::string>& names) {
    CsvTable table = CsvTable::read(path);
    const auto id_col = table.require_column({"territory_id"});
    const auto name_col = table.require_column({"territory_name"});
    const auto epci_col = table.column("epci_siren");
    const auto code_col = table.column("code_insee");
    if (!epci_col && !code_col)
        throw InputError({table.file(), "header", "epci_siren"}, "missing column",
                         "a column epci_siren (EPCI → territory) or code_insee (commune → territory)");
    if (code_col)
        restore_insee_leading_zeros(table, *code_col, [&](const std::string& code) { return t.find_commune(code).has_value(); });
    std::map<std::string, std::string> by_epci, by_commune;
    for (const auto& row : table.rows()) {
        const std::string& id = row.cells[id_col];
        if (id.empty())
            throw InputError({table.file(), "line " + std::to_string(row.line), "territory_id"}, "empty territory id");
        names[id] = row.cells[name_col];
        if (code_col && !row.cells[*code_col].empty()) {
            if (!t.find_commune(row.cells[*code_col]))
                throw InputError({table.file(), "line " + std::to_string(row.line), "code_insee"},
                                 "unknown commune " + row.cells[*code_col]);
            by_commune[row.cells[*code_col]] = id;
        } else if (epci_col) {
            by_epci[row.cells[*epci_col]] = id;
        }
    }
    for (auto& c : t.communes) {
        if (auto it = by_commune.find(c.code.str()); it != by_commune.end())
            c.territory_id = it->second;
        else if (auto e = by_epci.find(c.epci_id); e != by_epci.end())
            c.territory_id = e->second;
    }
    t.diagnostics.append(table.warnings());
}

struct LayerAreas {
    std::map<std::string, std::string> names;
    std::map<std::string, GeometryPtr> geometries;
};

// Areas given as a polygon layer: each commune belongs to the area containing its
// representative point; the layer's own polygon is kept as the area's geometry.
LayerAreas read_area_layer(Territory& t, const std::filesystem::path& path, bool epci) {
    VectorSource src(path);
    const int id = src.require_field(epci ? std::vector<std::string>{"epci_siren", "siren", "SIREN", "code", "id"}
                                          : std::vector<std::string>{"territory_id", "code", "id"});
    const auto name = src.field({"nom", "name", "NOM", "epci_nom", "territory_name"});
    CrsTransform ct = src.to_lambert93();
    LayerAreas out;
    for (auto& f : src.layer()) {
        const std::string label = VectorSource::feature_label(*f);
        std::string key = f->GetFieldAsString(id);
        if (key.empty()) throw InputError({src.file(), label, "id"}, "empty area id");
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || (wkbFlatten(g->getGeometryType()) != wkbPolygon && wkbFlatten(g->getGeometryType()) != wkbMultiPolygon))
            throw InputError({src.file(), label, "geometry"}, "area " + key + " is not a polygon", "a (Multi)Polygon");
        GeometryPtr geom(g->clone());
        if (geom->transform(&ct.ogr()) != OGRERR_NONE)
            throw InputError({src.file(), label, "geometry"}, "cannot project area " + key + " to Lambert-93");
        if (!geom->IsValid()) {
            geom.reset(geom->MakeValid());
            t.diagnostics.warn({src.file(), label, "geometry"}, "invalid polygon of area " + key + " repaired");
        }
        if (out.geometries.count(key)) throw InputError({src.file(), label, "id"}, "duplicate area id " + key);
        out.names[key] = name ? f->GetFieldAsString(*name) : key;
        out.geometries[key] = std::move(geom);
    }
    for (auto& c : t.communes) {
        OGRPoint p(c.representative.x, c.representative.y);
        std::string& slot = epci ? c.epci_id : c.territory_id;
        for (const auto& [key, geom] : out.geometries)
            if (geom->Contains(&p)) {
                slot = key;
                break;
            }
    }
    return out;
}

void use_layer_geometries(std::vector<Area>& areas, LayerAreas& layer) {
    for (auto& a : areas)
        if (auto it = layer.geometries.find(a.id); it != layer.geometries.end()) a.geometry = std::move(it->second);
}

}  // namespace

Territory load_territory(const TerritorySources& sources) {
    Territory t;
    t.communes = read_communes(sources, t.diagnostics);
    t.provenance.add_input("communes", sources.communes);
    for (std::size_t i = 0; i < t.communes.size(); ++i) t.code_index[t.communes[i].code.str()] = i;

    std::map<std::string, std::string> epci_names, territory_names;
    if (!sources.population.empty()) {
        join_population(t, sources.population, epci_names);
        t.provenance.add_input("population", sources.population);
    }
    // Former codes resolve to the absorbing commune (BPE and other old vintages).
    for (std::size_t i = 0; i < t.communes.size(); ++i)
        for (const auto& old : t.communes[i].former_codes) t.code_index.emplace(old, i);

    if (!sources.territories.empty()) {
        assign_territories(t, sources.territories, territory_names);
        t.provenance.add_input("territories", sources.territories);
    }
    LayerAreas epci_layer, territory_layer;
    if (!sources.epci_layer.empty()) {
        epci_layer = read_area_layer(t, sources.epci_layer, true);
        epci_names.insert(epci_layer.names.begin(), epci_layer.names.end());
        t.provenance.add_input("epci_layer", sources.epci_layer);
    }
    if (!sources.territories_layer.empty()) {
        territory_layer = read_area_layer(t, sources.territories_layer, false);
        for (const auto& [k, v] : territory_layer.names) territory_names[k] = v;
        t.provenance.add_input("territories_layer", sources.territories_layer);
    }
    for (const auto& c : t.communes) {
        InputLocation where{sources.communes.string(), "commune " + c.code.str(), ""};
        if (!c.population) t.diagnostics.warn({where.file, where.feature, "population"}, "no population (" + c.name + ")");
        if (c.epci_id.empty()) t.diagnostics.warn({where.file, where.feature, "epci"}, "no EPCI (" + c.name + ")");
        if ((!sources.territories.empty() || !sources.territories_layer.empty()) && c.territory_id.empty())
            t.diagnostics.warn({where.file, where.feature, "territory"}, "no territoire des solidarités (" + c.name + ")");
    }
    t.epcis = dissolve_areas(t.communes, [](const Commune& c) { return c.epci_id; }, epci_names);
    t.territories = dissolve_areas(t.communes, [](const Commune& c) { return c.territory_id; }, territory_names);
    use_layer_geometries(t.epcis, epci_layer);
    use_layer_geometries(t.territories, territory_layer);
    t.study_area = union_of_communes(t.communes);
    return t;
}

}  // namespace maillage
