#include "services/bpe_reader.hpp"

#include <map>

#include "util/csv_table.hpp"
#include "util/errors.hpp"

namespace maillage {

std::vector<ServiceSite> read_bpe(const std::filesystem::path& path, const Territory& territory,
                                  const ServiceCatalogue& catalogue, BpeReadReport& report, Diagnostics* diagnostics) {
    CsvTable t = CsvTable::read(path);
    const auto depcom = t.require_column({"DEPCOM", "depcom", "CODGEO"});
    const auto typequ = t.require_column({"TYPEQU", "typequ"});
    const auto nb = t.require_column({"NB_EQUIP", "nb_equip"});
    const auto year = t.column("AN");
    restore_insee_leading_zeros(t, depcom, [&](const std::string& code) { return territory.find_commune(code).has_value(); });
    std::string vintage;
    // (commune index, typequ) → count; std::map keeps the output order stable.
    std::map<std::pair<std::size_t, std::string>, long long> counts;
    for (const auto& row : t.rows()) {
        const std::string& code = row.cells[depcom];
        if (!InseeCode::parse(code))
            throw InputError({t.file(), "line " + std::to_string(row.line), t.header()[depcom]},
                             "malformed commune code '" + code + "'", "a 5-character INSEE code");
        long long n = parse_count(row.cells[nb], t.file(), row.line, t.header()[nb]);
        if (year && vintage.empty()) vintage = row.cells[*year];
        auto category = catalogue.category_of_bpe(row.cells[typequ]);
        if (!category) continue;
        auto idx = territory.find_commune(code);
        if (!idx) {
            ++report.rows_outside;
            continue;
        }
        ++report.rows_in_study_area;
        if (territory.communes[*idx].code.str() != code) ++report.rows_mapped_from_old_code;
        counts[{*idx, row.cells[typequ]}] += n;
    }
    if (diagnostics) diagnostics->append(t.warnings());
    std::vector<ServiceSite> out;
    for (const auto& [key, n] : counts) {
        const Commune& c = territory.communes[key.first];
        ServiceSite s;
        s.category = *catalogue.category_of_bpe(key.second);
        s.id = "BPE" + vintage + "-" + key.second + "-" + c.code.str();
        s.name = key.second + " " + c.name + " (BPE " + vintage + ", " + std::to_string(n) + ")";
        s.position = c.representative;
        s.precision = LocationPrecision::commune;
        s.commune_code = c.code.str();
        s.count = static_cast<double>(n);
        s.source = t.file();
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace maillage
