#include "services/neighbour_demand.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <stdexcept>
#include <map>
#include <set>
#include <sstream>

#include <ogr_geometry.h>

#include "geo/geos_context.hpp"

#include "territory/area_builder.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

bool within_study_margin(const Territory& territory, Point2 point, double margin_m) {
    OGRPoint p(point.x, point.y);
    return territory.study_area && territory.study_area->Distance(&p) <= margin_m;
}

std::vector<Commune> communes_within_margin(std::vector<Commune> layer, const Territory& territory, double margin_m) {
    std::vector<Commune> out;
    if (!territory.study_area || territory.study_area->IsEmpty()) return out;
    // The study area's outline is long (a département: tens of thousands of vertices): a
    // prepared geometry measures each commune against its index instead of every vertex.
    GeosContext c;
    GeosPtr area = to_geos(c, *territory.study_area);
    std::unique_ptr<const GEOSPreparedGeometry, std::function<void(const GEOSPreparedGeometry*)>> prepared(
        GEOSPrepare_r(c.get(), area.get()), [&c](const GEOSPreparedGeometry* p) { GEOSPreparedGeom_destroy_r(c.get(), p); });
    if (!prepared) throw std::runtime_error("GEOS prepare failed: " + c.last_error());
    std::set<std::string> seen;
    for (auto& commune : layer) {
        const std::string code = commune.code.str();
        if (!seen.insert(code).second || territory.find_commune(code) || !commune.geometry) continue;
        GeosPtr g = to_geos(c, *commune.geometry);
        const char within = GEOSPreparedDistanceWithin_r(c.get(), prepared.get(), g.get(), margin_m);
        if (within == 2) throw std::runtime_error("GEOS distance failed: " + c.last_error());
        if (within == 1) out.push_back(std::move(commune));
    }
    std::stable_sort(out.begin(), out.end(), [](const Commune& a, const Commune& b) { return a.code < b.code; });
    return out;
}

std::vector<NeighbourPopulationRow> read_neighbour_population(const std::filesystem::path& path,
                                                             Diagnostics* diagnostics) {
    CsvTable t = CsvTable::read(path);
    const auto code_col = t.require_column({"code_insee", "code", "CODGEO", "DEPCOM"});
    const auto pop_col = t.require_column({"population"});
    const auto name_col = t.column("nom");
    const auto former_col = t.column("anciens_codes");
    // A spreadsheet drops the leading zero of 01001: restored (and warned) like every table.
    restore_insee_leading_zeros(t, code_col);
    std::vector<NeighbourPopulationRow> out;
    std::set<std::string> seen;
    for (const auto& row : t.rows()) {
        const std::string where = "line " + std::to_string(row.line);
        const std::string& code = row.cells[code_col];
        if (!InseeCode::parse(code))
            throw InputError({t.file(), where, t.header()[code_col]}, "malformed INSEE code '" + code + "'",
                             "5 characters: 2 digits (or 2A/2B) then 3 digits");
        if (!seen.insert(code).second)
            throw InputError({t.file(), where, t.header()[code_col]}, "duplicate INSEE code " + code,
                             "one row per commune");
        NeighbourPopulationRow r;
        r.code = code;
        if (name_col) r.name = row.cells[*name_col];
        const std::string& pop = row.cells[pop_col];
        if (!pop.empty()) {
            r.population = parse_count(pop, t.file(), row.line, t.header()[pop_col]);
            if (*r.population > kMaxCommunePopulation)
                throw InputError({t.file(), where, t.header()[pop_col]}, "population " + pop + " is not a commune's",
                                 "at most 1 000 000 000 inhabitants");
        }
        if (former_col) {
            std::istringstream in(row.cells[*former_col]);
            for (std::string old; in >> old;) {
                if (!InseeCode::parse(old))
                    throw InputError({t.file(), where, "anciens_codes"}, "malformed former code '" + old + "'",
                                     "INSEE codes separated by spaces");
                r.former_codes.push_back(old);
            }
        }
        out.push_back(std::move(r));
    }
    if (diagnostics) diagnostics->append(t.warnings());
    return out;
}

long long NeighbourDemand::population() const {
    long long sum = 0;
    for (const auto& c : communes) sum += c.population;
    return sum;
}

NeighbourDemand place_neighbour_population(const std::vector<Commune>& neighbours,
                                           const std::vector<std::vector<NeighbourPopulationRow>>& tables,
                                           const Territory& territory, double margin_m) {
    NeighbourDemand out;
    // The layer's communes beyond the study by code (the first of a code wins, as for BPE counts).
    std::map<std::string, std::size_t> layer;
    for (std::size_t i = 0; i < neighbours.size(); ++i) {
        const std::string code = neighbours[i].code.str();
        if (!territory.find_commune(code)) layer.emplace(code, i);
    }
    std::map<std::size_t, bool> within;  // layer index → within the margin, measured once
    auto is_within = [&](std::size_t i) {
        auto [it, fresh] = within.emplace(i, false);
        if (fresh) it->second = within_study_margin(territory, neighbours[i].representative, margin_m);
        return it->second;
    };
    std::set<std::string> taken, covered, without;
    for (const auto& table : tables)
        for (const auto& row : table) {
            if (!taken.insert(row.code).second) continue;          // an earlier table gave it
            if (territory.find_commune(row.code)) continue;        // the study's own demand
            std::optional<std::size_t> at;
            if (auto it = layer.find(row.code); it != layer.end()) at = it->second;
            for (const auto& old : row.former_codes)
                if (!at)
                    if (auto it = layer.find(old); it != layer.end()) at = it->second;
            if (!at) continue;  // a commune the layer does not hold (a national table)
            covered.insert(row.code);
            covered.insert(row.former_codes.begin(), row.former_codes.end());
            if (!is_within(*at)) continue;
            if (!row.population) {
                without.insert(row.code);
                continue;
            }
            const Commune& c = neighbours[*at];
            out.communes.push_back({row.code, row.name.empty() ? c.name : row.name, c.representative, *row.population});
        }
    for (const auto& [code, i] : layer)
        if (!covered.count(code) && is_within(i)) without.insert(code);
    std::stable_sort(out.communes.begin(), out.communes.end(),
                     [](const NeighbourResidents& a, const NeighbourResidents& b) { return a.commune_code < b.commune_code; });
    out.without_population.assign(without.begin(), without.end());
    return out;
}

}  // namespace maillage
