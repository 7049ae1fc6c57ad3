#include "output/csv_writer.hpp"

#include <cmath>
#include <cstdio>

#include "util/atomic_file.hpp"
#include "util/errors.hpp"
#include "util/sha256.hpp"

namespace maillage {

std::string csv_escape(const std::string& field) {
    if (field.find_first_of(",\"\n\r") == std::string::npos) return field;
    std::string out = "\"";
    for (char c : field) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string csv_number(double value, int decimals) {
    if (!std::isfinite(value)) return "";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    std::string s(buf);
    if (s.starts_with("-") && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // no "-0.0"
    return s;
}

void write_csv(const std::filesystem::path& path, const CsvRow& header, const std::vector<CsvRow>& rows) {
    write_file_atomically(path, [&](std::ostream& os) {
        auto line = [&os](const CsvRow& r) {
            for (std::size_t i = 0; i < r.size(); ++i) {
                if (i) os << ',';
                os << csv_escape(r[i]);
            }
            os << '\n';
        };
        line(header);
        for (const auto& r : rows) line(r);
    });
}

void write_csv_with_provenance(const std::filesystem::path& path, const CsvRow& header,
                               const std::vector<CsvRow>& rows, const nlohmann::json& metadata) {
    std::string meta = metadata.dump(2) + "\n";
    write_csv(path, header, rows);
    write_file_atomically(path.string() + ".provenance.json", [&](std::ostream& os) { os << meta; });
}

void write_standalone_csv(const std::filesystem::path& path, const std::filesystem::path& sidecar,
                          const CsvRow& header, const std::vector<CsvRow>& rows, nlohmann::json metadata) {
    write_csv(path, header, rows);
    std::string sha;
    try {
        sha = sha256_file(path);
    } catch (const InputError& e) {
        throw OutputError(path.string() + ": cannot read back what was written: " + e.message());
    }
    metadata["output"] = {{"file", path.filename().string()}, {"sha256", sha}};
    const std::string meta = metadata.dump(2) + "\n";
    write_file_atomically(sidecar, [&](std::ostream& os) { os << meta; });
}

}  // namespace maillage
