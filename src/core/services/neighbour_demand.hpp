#pragma once
// The inhabitants of the communes beyond the study's edge (issue 12, part 2). Practitioners near
// the border also serve the people on the other side: the access index (E2SFCA) counts them as
// demand, so that a border commune is neither better nor worse served than it is. A neighbouring
// commune counts exactly where and when its BPE counts count (bpe_reader): at the
// representative point of its polygon in the neighbouring layer, when that point lies within the
// margin of the study area.
//
// The population comes from tables `code_insee,population[,anciens_codes]` (the cache's is built
// by scripts/fetch-geodata.sh from @etalab/decoupage-administratif). A table may use a later
// commune list than the layer (the cache: a COG 2026 table for a COG 2018 layer): a commune
// merged since then is found through `anciens_codes` (space-separated), and its population sits
// at the point of the layer's polygon with the row's own code (the chef-lieu keeps its code),
// else at the first of its former codes the layer holds — where the BPE of a merged commune, which
// uses the new code, sits too.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "geo/point.hpp"
#include "territory/territory.hpp"

namespace maillage {

// True when `point` lies within `margin_m` metres of the study area (0 inside it): the one rule
// for what beyond the edge counts, for BPE counts and for demand alike.
[[nodiscard]] bool within_study_margin(const Territory& territory, Point2 point, double margin_m);

// The communes of the neighbouring layers (`layer`, in file order: the first of a code wins)
// that lie beyond the study (neither a code nor a former code of a study commune) and whose
// polygon comes within `margin_m` metres of the study area: every commune where a site or an
// inhabitant counted beyond the edge can be (a site within the margin lies in one of them).
// They are nodes of the estimated network (build_estimated_network). Sorted by code.
std::vector<Commune> communes_within_margin(std::vector<Commune> layer, const Territory& territory, double margin_m);

// One row of a neighbouring population table.
struct NeighbourPopulationRow {
    std::string code;                       // INSEE code (as the table writes it)
    std::string name;                       // empty when the table has no name column
    std::optional<long long> population;    // nullopt: the cell is empty (unknown)
    std::vector<std::string> former_codes;  // anciens_codes: layer communes the population also covers
};

// Reads `code_insee|code, population[, nom][, anciens_codes]`. InputError naming the file, the
// line and the field for a malformed or duplicate code, a population that is not a count
// (negative, text, beyond 1e9) or a malformed former code. Sorted as in the file.
std::vector<NeighbourPopulationRow> read_neighbour_population(const std::filesystem::path& csv,
                                                             Diagnostics* diagnostics = nullptr);

// The inhabitants of one neighbouring commune, where they are counted.
struct NeighbourResidents {
    std::string commune_code;   // INSEE code of the population row
    std::string name;
    Point2 position;            // Lambert-93: the representative point of its polygon in the layer
    long long population = 0;
};

struct NeighbourDemand {
    // Population files read (ServiceSources::neighbour_population) and the ones that do not exist.
    std::vector<std::string> files_read, missing_files;
    // Communes beyond the study whose point lies within the margin, with a population; by code.
    std::vector<NeighbourResidents> communes;
    // Codes of the layer's communes within the margin that no row covers (neither its code nor
    // a former code): their inhabitants are not counted.
    std::vector<std::string> without_population;

    // The demand beyond the edge is counted: some population file was read.
    [[nodiscard]] bool counted() const { return !files_read.empty(); }
    [[nodiscard]] long long population() const;
};

// Joins population rows (several tables: the first holding a code wins) to the neighbouring
// communes (`neighbours`: the layer, codes of the study already removed or not) and keeps those
// within the margin. Rows of communes of the study (find_commune: current or former codes) are
// skipped: their inhabitants are the study's demand.
NeighbourDemand place_neighbour_population(const std::vector<Commune>& neighbours,
                                           const std::vector<std::vector<NeighbourPopulationRow>>& tables,
                                           const Territory& territory, double margin_m);

}  // namespace maillage
