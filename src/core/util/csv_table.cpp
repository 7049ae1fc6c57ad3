#include "util/csv_table.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include "util/errors.hpp"

namespace maillage {

namespace {

std::string line_label(std::size_t line) { return "line " + std::to_string(line); }

// Splits the whole text into records; quoted fields may span lines.
void parse(const std::string& text, char delim, const std::string& file,
           std::vector<std::pair<std::size_t, std::vector<std::string>>>& out) {
    std::size_t line = 1, i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        std::size_t record_line = line;
        if (text[i] == '#') {  // comment line
            while (i < n && text[i] != '\n') ++i;
            ++i;
            ++line;
            continue;
        }
        std::vector<std::string> cells;
        std::string cell;
        bool quoted = false, in_quotes = false;
        for (; i < n; ++i) {
            char c = text[i];
            if (in_quotes) {
                if (c == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        cell += '"';
                        ++i;
                    } else {
                        in_quotes = false;
                    }
                } else {
                    if (c == '\n') ++line;
                    cell += c;
                }
                continue;
            }
            if (c == '"' && cell.empty() && !quoted) {
                in_quotes = quoted = true;
            } else if (c == delim) {
                cells.push_back(std::move(cell));
                cell.clear();
                quoted = false;
            } else if (c == '\n') {
                ++i;
                ++line;
                break;
            } else if (c != '\r') {
                cell += c;
            }
        }
        if (in_quotes) throw InputError({file, line_label(record_line), ""}, "unterminated quoted field");
        cells.push_back(std::move(cell));
        if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
        out.emplace_back(record_line, std::move(cells));
    }
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& path, char delimiter) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError({path.string(), "", ""}, "cannot open file");
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);  // UTF-8 BOM from spreadsheet exports

    CsvTable t;
    t.file_ = path.string();
    std::vector<std::pair<std::size_t, std::vector<std::string>>> records;
    parse(text, delimiter, t.file_, records);
    if (records.empty()) throw InputError({t.file_, "", ""}, "empty table", "a header line and rows");
    t.header_ = std::move(records.front().second);
    for (std::size_t k = 1; k < records.size(); ++k) {
        auto& [line, cells] = records[k];
        if (cells.size() != t.header_.size())
            throw InputError({t.file_, line_label(line), ""},
                             "has " + std::to_string(cells.size()) + " fields",
                             std::to_string(t.header_.size()) + " fields as in the header");
        t.rows_.push_back({line, std::move(cells)});
    }
    return t;
}

std::optional<std::size_t> CsvTable::column(const std::string& name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    return std::nullopt;
}

std::size_t CsvTable::require_column(const std::vector<std::string>& names) const {
    for (const auto& n : names)
        if (auto c = column(n)) return *c;
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : " or ") + n;
    throw InputError({file_, "header", names.front()}, "missing column", "a column named " + list);
}

double parse_number(const std::string& text, const std::string& file, std::size_t line, const std::string& field) {
    std::string t = text;
    for (auto& c : t)
        if (c == ',') c = '.';  // French decimal comma
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
        throw InputError({file, line_label(line), field}, "not a number: '" + text + "'", "a decimal number");
    return v;
}

long long parse_count(const std::string& text, const std::string& file, std::size_t line, const std::string& field) {
    long long v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (text.empty() || ec != std::errc() || p != text.data() + text.size())
        throw InputError({file, line_label(line), field}, "not an integer: '" + text + "'",
                         "a non-negative integer");
    if (v < 0)
        throw InputError({file, line_label(line), field}, "negative value " + text, "a non-negative integer");
    return v;
}

}  // namespace maillage
