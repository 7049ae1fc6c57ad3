#pragma once
// A small RFC 4180 CSV reader for tabular inputs (population tables, BPE counts,
// project tables). It keeps the physical line number of each record so every error
// can say "file: line N: field F". Lines starting with '#' are comments (project
// tables document themselves in a header).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace maillage {

class CsvTable {
public:
    struct Row {
        std::size_t line = 0;            // 1-based physical line of the record
        std::vector<std::string> cells;
    };

    // Throws InputError if the file cannot be read, is empty, or a row has the wrong
    // number of cells.
    static CsvTable read(const std::filesystem::path& path, char delimiter = ',');

    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
    [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }
    [[nodiscard]] std::optional<std::size_t> column(const std::string& name) const;
    // The first of `names` present; throws InputError naming the file and the field otherwise.
    [[nodiscard]] std::size_t require_column(const std::vector<std::string>& names) const;

private:
    std::string file_;
    std::vector<std::string> header_;
    std::vector<Row> rows_;
};

// Cell parsers with the error wording shared by every loader.
double parse_number(const std::string& text, const std::string& file, std::size_t line, const std::string& field);
long long parse_count(const std::string& text, const std::string& file, std::size_t line, const std::string& field);

}  // namespace maillage
