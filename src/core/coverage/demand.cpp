#include "coverage/demand.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "geo/vector_source.hpp"
#include "util/errors.hpp"

namespace maillage {

DemandMethod parse_demand_method(const std::string& text) {
    if (text == "point" || text == "representative_point") return DemandMethod::representative_point;
    if (text == "grid") return DemandMethod::grid;
    if (text == "layer") return DemandMethod::layer;
    throw UsageError("unknown demand method '" + text + "' (expected point, grid or layer)");
}

const char* to_string(DemandMethod m) {
    switch (m) {
        case DemandMethod::representative_point: return "representative_point";
        case DemandMethod::grid: return "grid";
        case DemandMethod::layer: return "layer";
    }
    return "?";
}

namespace {

// Splits an integer population over weights by largest remainder (ties: first unit), so
// the parts are whole inhabitants and add up to the total exactly.
std::vector<double> split_people(long long total, const std::vector<double>& weights) {
    double sum = 0;
    for (double w : weights) sum += w;
    std::vector<double> out(weights.size(), 0.0);
    if (weights.empty()) return out;
    std::vector<std::pair<double, std::size_t>> remainders;
    long long given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        double exact = sum > 0 ? static_cast<double>(total) * weights[i] / sum : static_cast<double>(total) / weights.size();
        out[i] = std::floor(exact);
        given += static_cast<long long>(out[i]);
        remainders.push_back({exact - out[i], i});
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    for (long long k = 0; k < total - given; ++k) out[remainders[static_cast<std::size_t>(k) % remainders.size()].second] += 1;
    return out;
}

DemandUnit at_centre(const Commune& c) {
    return {c.code.str(), c.code.str(), c.representative, static_cast<double>(c.population.value_or(0))};
}

// Cell centres of a regular grid that fall inside the commune; the population is split
// evenly, so the sum is the commune's population to the last inhabitant (up to
// whole inhabitants, split by largest remainder).
std::vector<DemandUnit> on_grid(const Commune& c, double step) {
    OGREnvelope env;
    c.geometry->getEnvelope(&env);
    std::vector<Point2> inside;
    for (double y = std::floor(env.MinY / step) * step + step / 2; y < env.MaxY; y += step)
        for (double x = std::floor(env.MinX / step) * step + step / 2; x < env.MaxX; x += step) {
            OGRPoint p(x, y);
            if (c.geometry->Contains(&p)) inside.push_back({x, y});
        }
    if (inside.empty()) return {at_centre(c)};  // commune smaller than a cell
    std::vector<DemandUnit> out;
    auto people = split_people(c.population.value_or(0), std::vector<double>(inside.size(), 1.0));
    for (std::size_t i = 0; i < inside.size(); ++i) {
        char id[64];
        std::snprintf(id, sizeof id, "%s-g%04zu", c.code.str().c_str(), i);
        out.push_back({id, c.code.str(), inside[i], people[i]});
    }
    return out;
}

// Population points or polygons (centroids) from a layer; each unit belongs to the commune
// containing it; then each commune's units are rescaled to its official population so
// totals are conserved (the layer gives the distribution, the commune table the count).
std::vector<DemandUnit> from_layer(const Territory& t, const DemandOptions& o) {
    VectorSource src(o.layer);
    const int pop = src.require_field({o.layer_population_field});
    CrsTransform ct = src.to_lambert93();
    std::map<std::size_t, std::vector<DemandUnit>> by_commune;
    for (auto& f : src.layer()) {
        const std::string label = VectorSource::feature_label(*f);
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        GeometryPtr geom(g->clone());
        if (geom->transform(&ct.ogr()) != OGRERR_NONE)
            throw InputError({src.file(), label, "geometry"}, "cannot project to Lambert-93");
        OGRPoint centre;
        if (geom->Centroid(&centre) != OGRERR_NONE) continue;
        std::string text = f->GetFieldAsString(pop);
        char* end = nullptr;
        double value = std::strtod(text.c_str(), &end);
        if (text.empty() || *end || !std::isfinite(value) || value < 0)
            throw InputError({src.file(), label, o.layer_population_field}, "not a population: '" + text + "'",
                             "a number >= 0");
        // More people than France in one feature is a unit or field error, not a population.
        if (value > 1e8)
            throw InputError({src.file(), label, o.layer_population_field}, "implausibly large population: '" + text + "'",
                             "at most 100 000 000 inhabitants in one feature");
        for (std::size_t i = 0; i < t.communes.size(); ++i)
            if (t.communes[i].geometry->Contains(&centre)) {
                by_commune[i].push_back({t.communes[i].code.str() + "-l" + std::to_string(f->GetFID()),
                                         t.communes[i].code.str(), {centre.getX(), centre.getY()}, value});
                break;
            }
    }
    std::vector<DemandUnit> out;
    for (std::size_t i = 0; i < t.communes.size(); ++i) {
        auto it = by_commune.find(i);
        double sum = 0;
        if (it != by_commune.end())
            for (const auto& u : it->second) sum += u.population;
        if (it == by_commune.end() || sum <= 0) {
            out.push_back(at_centre(t.communes[i]));
            continue;
        }
        std::vector<double> weights;
        for (const auto& u : it->second) weights.push_back(u.population);
        auto people = split_people(t.communes[i].population.value_or(0), weights);
        for (std::size_t k = 0; k < it->second.size(); ++k) {
            auto u = it->second[k];
            u.population = people[k];
            out.push_back(u);
        }
    }
    return out;
}

}  // namespace

std::vector<DemandUnit> build_demand(const Territory& territory, const DemandOptions& options) {
    std::vector<DemandUnit> out;
    switch (options.method) {
        case DemandMethod::representative_point:
            for (const auto& c : territory.communes) out.push_back(at_centre(c));
            break;
        case DemandMethod::grid:
            if (!(options.grid_step.value() > 0)) throw UsageError("the demand grid step must be positive");
            for (const auto& c : territory.communes) {
                auto cells = on_grid(c, options.grid_step.value());
                out.insert(out.end(), cells.begin(), cells.end());
            }
            break;
        case DemandMethod::layer:
            out = from_layer(territory, options);
            break;
    }
    std::stable_sort(out.begin(), out.end(), [](const DemandUnit& a, const DemandUnit& b) {
        return std::tie(a.commune_code, a.id) < std::tie(b.commune_code, b.id);
    });
    return out;
}

std::vector<DemandUnit> demand_beyond_edge(const std::vector<NeighbourResidents>& neighbours) {
    std::vector<DemandUnit> out;
    for (const auto& n : neighbours)
        out.push_back({n.commune_code, n.commune_code, n.position, static_cast<double>(n.population)});
    return out;
}

}  // namespace maillage
