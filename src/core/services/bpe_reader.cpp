#include "services/bpe_reader.hpp"

#include <map>

#include "services/neighbour_demand.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

std::vector<ServiceSite> read_bpe(const std::filesystem::path& path, const Territory& territory,
                                  const ServiceCatalogue& catalogue, BpeReadReport& report, Diagnostics* diagnostics,
                                  const BpeNeighbours& neighbours) {
    CsvTable t = CsvTable::read(path);
    const auto depcom = t.require_column({"DEPCOM", "depcom", "CODGEO"});
    const auto typequ = t.require_column({"TYPEQU", "typequ"});
    const auto nb = t.require_column({"NB_EQUIP", "nb_equip"});
    const auto year = t.column("AN");
    // Neighbouring communes by code (the first of a code wins), those of the study left out;
    // their distance to the study area is measured once, when a row first needs it.
    std::map<std::string, std::size_t> neighbour_index;
    if (neighbours.communes)
        for (std::size_t i = 0; i < neighbours.communes->size(); ++i) {
            const std::string code = (*neighbours.communes)[i].code.str();
            if (!territory.find_commune(code)) neighbour_index.emplace(code, i);
        }
    std::map<std::size_t, bool> neighbour_within;  // index → within the margin
    auto within_margin = [&](std::size_t i) {
        auto [it, fresh] = neighbour_within.emplace(i, false);
        if (fresh) it->second = within_study_margin(territory, (*neighbours.communes)[i].representative, neighbours.margin_m);
        return it->second;
    };
    restore_insee_leading_zeros(t, depcom, [&](const std::string& code) {
        return territory.find_commune(code).has_value() || neighbour_index.count(code) > 0;
    });
    std::string vintage;
    // (commune index, typequ) → count; std::map keeps the output order stable. Study communes
    // first, then neighbours (index offset by the study's size).
    std::map<std::pair<std::size_t, std::string>, long long> counts;
    const std::size_t offset = territory.communes.size();
    for (const auto& row : t.rows()) {
        const std::string& code = row.cells[depcom];
        if (!InseeCode::parse(code))
            throw InputError({t.file(), "line " + std::to_string(row.line), t.header()[depcom]},
                             "malformed commune code '" + code + "'", "a 5-character INSEE code");
        long long n = parse_count(row.cells[nb], t.file(), row.line, t.header()[nb]);
        // The sums of counts must not overflow, and no commune holds a million equipments of
        // one type: a larger count is a corrupted row.
        if (n > 1'000'000)
            throw InputError({t.file(), "line " + std::to_string(row.line), t.header()[nb]},
                             "implausibly large count " + row.cells[nb], "at most 1 000 000 equipments of a type in a commune");
        if (year && vintage.empty()) vintage = row.cells[*year];
        auto category = catalogue.category_of_bpe(row.cells[typequ]);
        if (!category) continue;
        auto idx = territory.find_commune(code);
        if (!idx) {
            ++report.rows_outside;
            auto nb_it = neighbour_index.find(code);
            if (nb_it == neighbour_index.end()) {
                ++report.rows_unplaced;
                report.equipments_unplaced += n;
            } else if (!within_margin(nb_it->second)) {
                ++report.rows_beyond_margin;
            } else {
                ++report.rows_neighbours;
                counts[{offset + nb_it->second, row.cells[typequ]}] += n;
            }
            continue;
        }
        ++report.rows_in_study_area;
        if (territory.communes[*idx].code.str() != code) ++report.rows_mapped_from_old_code;
        counts[{*idx, row.cells[typequ]}] += n;
    }
    if (diagnostics) diagnostics->append(t.warnings());
    std::vector<ServiceSite> out;
    for (const auto& [key, n] : counts) {
        const bool inside = key.first < offset;
        const Commune& c = inside ? territory.communes[key.first] : (*neighbours.communes)[key.first - offset];
        ServiceSite s;
        s.category = *catalogue.category_of_bpe(key.second);
        s.id = "BPE" + vintage + "-" + key.second + "-" + c.code.str();
        s.name = key.second + " " + c.name + " (BPE " + vintage + ", " + std::to_string(n) + ")";
        s.position = c.representative;
        s.precision = LocationPrecision::commune;
        s.commune_code = c.code.str();
        s.count = static_cast<double>(n);
        s.source = t.file();
        s.in_study_area = inside;
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace maillage
