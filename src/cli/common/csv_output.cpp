#include "cli/common/csv_output.hpp"

#include "util/atomic_file.hpp"

namespace maillage::cli {

void write_csv_with_provenance(const std::filesystem::path& path, const CsvRow& header,
                               const std::vector<CsvRow>& rows, const Provenance& provenance) {
    std::string meta = provenance.to_json().dump(2) + "\n";
    write_csv(path, header, rows);
    write_file_atomically(path.string() + ".provenance.json", [&](std::ostream& os) { os << meta; });
}

}  // namespace maillage::cli
