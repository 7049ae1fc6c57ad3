#pragma once
// A small RFC 4180 CSV reader for tabular inputs (population tables, BPE counts,
// project tables). It keeps the physical line number of each record so every error
// can say "file: line N: field F". Lines starting with '#' are comments (project
// tables document themselves in a header).
//
// Files saved by a (French) spreadsheet are read as they come: a UTF-8 BOM is dropped,
// UTF-16 (LE/BE, with a BOM or recognised by its NUL bytes) and Windows-1252 text are
// converted to UTF-8, CRLF and lone CR line ends are line ends, and without an explicit
// delimiter the separator is taken from the header (',' unless the header has none but
// has ';' or a tab). Numbers with a decimal comma ("46,58") or digit groups separated by
// spaces ("1 234") are accepted by parse_number / parse_count. Everything detected or
// converted is reported in warnings(), which loaders append to their Diagnostics: the
// library never prints.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "util/diagnostics.hpp"

namespace maillage {

class CsvTable {
public:
    struct Row {
        std::size_t line = 0;            // 1-based physical line of the record
        std::vector<std::string> cells;
    };

    // Separator taken from the header line (see above).
    static constexpr char kDetectDelimiter = '\0';

    // Throws InputError if the file cannot be read, is empty, is not text in a known
    // encoding, or a row has the wrong number of cells (the message says what was
    // detected and the likely cause).
    static CsvTable read(const std::filesystem::path& path, char delimiter = kDetectDelimiter);
    // The same from bytes already in memory; `file` names them in messages.
    static CsvTable parse(std::string bytes, const std::string& file, char delimiter = kDetectDelimiter);

    [[nodiscard]] const std::string& file() const { return file_; }
    [[nodiscard]] const std::vector<std::string>& header() const { return header_; }
    [[nodiscard]] const std::vector<Row>& rows() const { return rows_; }
    [[nodiscard]] std::optional<std::size_t> column(const std::string& name) const;
    // The first of `names` present; throws InputError naming the file and the field otherwise.
    [[nodiscard]] std::size_t require_column(const std::vector<std::string>& names) const;

    // The separator used, and the encoding the file was read as ("UTF-8", "UTF-8 with BOM",
    // "Windows-1252", "UTF-16LE", "UTF-16BE").
    [[nodiscard]] char delimiter() const { return delimiter_; }
    [[nodiscard]] const std::string& encoding() const { return encoding_; }

    // What was detected or repaired while reading (encoding, separator, decimal commas,
    // digit groups) and by the loaders through warn(): at most one warning per kind and file.
    [[nodiscard]] const Diagnostics& warnings() const { return warnings_; }
    void warn(InputLocation where, std::string message) { warnings_.warn(std::move(where), std::move(message)); }

    // Replaces each cell of column `col` for which `fix` returns a value; returns the
    // indices (in rows()) of the rows changed. Used to repair values a spreadsheet mangled.
    std::vector<std::size_t> rewrite_column(std::size_t col,
                                            const std::function<std::optional<std::string>(const std::string&)>& fix);

private:
    std::string file_;
    std::vector<std::string> header_;
    std::vector<Row> rows_;
    char delimiter_ = ',';
    std::string encoding_ = "UTF-8";
    Diagnostics warnings_;
};

// Cell parsers with the error wording shared by every loader. A decimal comma ("46,58")
// is read as a decimal point, and digits grouped by threes with a space, U+00A0 or
// U+202F ("1 234") are read without the spaces (CsvTable warns once per file when its
// cells are written so).
double parse_number(const std::string& text, const std::string& file, std::size_t line, const std::string& field);
long long parse_count(const std::string& text, const std::string& file, std::size_t line, const std::string& field);

}  // namespace maillage
