#include "util/csv_table.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>

#include "util/errors.hpp"
#include "util/input_file.hpp"

namespace maillage {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF"sv;
const char* const kSaveAsUtf8 = "UTF-8 text: save the file again as \"CSV UTF-8\"";

std::string line_label(std::size_t line) { return "line " + std::to_string(line); }

std::string separator_name(char c) {
    if (c == '\t') return "tab";
    return std::string("'") + c + "'";
}

std::string plural(std::size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::string hex_byte(unsigned char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", c);
    return buf;
}

// 1-based line of byte `pos` (LF, CRLF and lone CR end a line).
std::size_t line_of(std::string_view s, std::size_t pos) {
    std::size_t line = 1;
    for (std::size_t i = 0; i < pos && i < s.size(); ++i)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n'))) ++line;
    return line;
}

// ---- encodings -------------------------------------------------------------------------

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Length of the well-formed UTF-8 sequence starting at byte i (no overlong forms, no
// surrogates, at most U+10FFFF), 0 if there is none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    char32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    for (std::size_t k = 1; k < len; ++k) {
        const auto d = static_cast<unsigned char>(s[i + k]);
        if ((d & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (d & 0x3F);
    }
    if (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
    if (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
    return len;
}

// Windows-1252 bytes 0x80..0x9F (0: not assigned); 0xA0..0xFF are Latin-1.
constexpr char16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string decode_utf16(std::string_view b, bool little, const std::string& file) {
    if (b.size() % 2)
        throw InputError({file, "", ""}, "UTF-16 text with an odd number of bytes (a truncated file?)", kSaveAsUtf8);
    std::string out;
    out.reserve(b.size() / 2 + b.size() / 8);
    std::size_t line = 1;
    auto unit = [&](std::size_t i) -> char32_t {
        const auto lo = static_cast<unsigned char>(b[little ? i : i + 1]);
        const auto hi = static_cast<unsigned char>(b[little ? i + 1 : i]);
        return static_cast<char32_t>(hi << 8 | lo);
    };
    for (std::size_t i = 0; i < b.size(); i += 2) {
        char32_t cp = unit(i);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            const char32_t low = i + 3 < b.size() ? unit(i + 2) : 0;
            if (low < 0xDC00 || low > 0xDFFF)
                throw InputError({file, line_label(line), ""}, "invalid UTF-16 text (unpaired surrogate)", kSaveAsUtf8);
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            i += 2;
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            throw InputError({file, line_label(line), ""}, "invalid UTF-16 text (unpaired surrogate)", kSaveAsUtf8);
        } else if (cp == 0) {
            throw InputError({file, line_label(line), ""}, "NUL character in UTF-16 text: binary data, not CSV text",
                             "a CSV text file");
        }
        if (cp == '\n') ++line;
        append_utf8(out, cp);
    }
    return out;
}

struct Decoded {
    std::string text;
    std::string encoding;
};

// Turns the file's bytes into UTF-8 text, or says why it cannot.
Decoded decode(std::string bytes, const std::string& file, Diagnostics& warnings) {
    const std::string_view b = bytes;
    if (b.starts_with("\xFF\xFE\x00\x00"sv) || b.starts_with("\x00\x00\xFE\xFF"sv))
        throw InputError({file, "", ""}, "the file is UTF-32 text", kSaveAsUtf8);
    bool le = b.starts_with("\xFF\xFE"sv), be = b.starts_with("\xFE\xFF"sv);
    const bool utf16_bom = le || be;
    if (!utf16_bom) {
        if (const auto nul = b.find('\0'); nul != std::string_view::npos) {
            // UTF-16 without a BOM: most characters are ASCII, one byte of each pair is 0.
            const std::size_t n = std::min<std::size_t>(b.size() & ~std::size_t{1}, 4096);
            std::size_t zero_even = 0, zero_odd = 0;
            for (std::size_t i = 0; i < n; ++i)
                if (b[i] == '\0') ++(i % 2 ? zero_odd : zero_even);
            if (n >= 2 && zero_odd * 2 >= n / 2 && zero_even * 10 < zero_odd)
                le = true;
            else if (n >= 2 && zero_even * 2 >= n / 2 && zero_odd * 10 < zero_even)
                be = true;
            else
                throw InputError({file, line_label(line_of(b, nul)), ""},
                                 "NUL byte at offset " + std::to_string(nul) + ": binary data, not CSV text",
                                 "a CSV text file");
        }
    }
    if (le || be) {
        std::string text = decode_utf16(b.substr(utf16_bom ? 2 : 0), le, file);
        if (std::string_view(text).starts_with(kUtf8Bom)) text.erase(0, kUtf8Bom.size());
        std::string label = le ? "UTF-16LE" : "UTF-16BE";
        warnings.warn({file, "", ""}, "read as " + label + " text (converted to UTF-8; saving the file as \"CSV UTF-8\" "
                                      "avoids the conversion)");
        return {std::move(text), std::move(label)};
    }

    const bool bom = b.starts_with(kUtf8Bom);
    if (bom) bytes.erase(0, kUtf8Bom.size());
    const std::string_view s = bytes;
    std::size_t first_bad = std::string_view::npos, first_multibyte = std::string_view::npos;
    for (std::size_t i = 0; i < s.size();) {
        if (static_cast<unsigned char>(s[i]) < 0x80) {
            ++i;
            continue;
        }
        if (std::size_t len = utf8_sequence(s, i)) {
            if (first_multibyte == std::string_view::npos) first_multibyte = i;
            i += len;
        } else {
            if (first_bad == std::string_view::npos) first_bad = i;
            ++i;
        }
        if (first_bad != std::string_view::npos && first_multibyte != std::string_view::npos) break;
    }
    if (first_bad == std::string_view::npos) return {std::move(bytes), bom ? "UTF-8 with BOM" : "UTF-8"};

    const std::string bad = hex_byte(static_cast<unsigned char>(s[first_bad]));
    const InputLocation bad_at{file, line_label(line_of(s, first_bad)), ""};
    if (bom) throw InputError(bad_at, "byte " + bad + " is not UTF-8, although the file starts with a UTF-8 BOM", kSaveAsUtf8);
    if (first_multibyte != std::string_view::npos)
        throw InputError(bad_at,
                         "the file mixes encodings: " + line_label(line_of(s, first_multibyte)) +
                             " is UTF-8 text, but byte " + bad + " here is not (Windows-1252?)",
                         std::string("one encoding: ") + kSaveAsUtf8);
    std::string out;
    out.reserve(s.size() + s.size() / 16);
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c >= 0xA0) {
            append_utf8(out, c);
        } else if (char16_t u = kCp1252High[c - 0x80]) {
            append_utf8(out, u);
        } else {
            throw InputError({file, line_label(line_of(s, i)), ""},
                             "byte " + hex_byte(c) + " is neither UTF-8 nor Windows-1252 text", kSaveAsUtf8);
        }
    }
    warnings.warn({file, "", ""}, "read as Windows-1252 (not UTF-8): accents converted (first on " +
                                      line_label(line_of(s, first_bad)) + ")");
    return {std::move(out), "Windows-1252"};
}

// CRLF and lone CR (old Mac spreadsheets) become LF.
std::string normalise_line_ends(std::string s) {
    if (s.find('\r') == std::string::npos) return s;
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

// ---- records ---------------------------------------------------------------------------

struct Record {
    std::size_t line = 0;
    std::vector<std::string> cells;
    std::size_t begin = 0, end = 0;  // the record's text, without its line end
};

std::size_t count_outside_quotes(std::string_view s, char c) {
    std::size_t n = 0;
    bool quoted = false;
    for (char ch : s) {
        if (ch == '"')
            quoted = !quoted;
        else if (!quoted && ch == c)
            ++n;
    }
    return n;
}

// The header's text: the first line that is neither a comment nor blank.
std::string_view header_text(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == '#' || text[i] == '\n')) {
        if (text[i] == '#') {
            i = text.find('\n', i);
            if (i == std::string_view::npos) return {};
        }
        ++i;
    }
    bool quoted = false;
    std::size_t j = i;
    for (; j < text.size(); ++j) {
        if (text[j] == '"') quoted = !quoted;
        else if (!quoted && text[j] == '\n') break;
    }
    return text.substr(i, j - i);
}

// Splits the whole text into records; quoted fields may span lines.
void parse_records(const std::string& text, char delim, const std::string& file, std::vector<Record>& out) {
    std::size_t line = 1, i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const std::size_t record_line = line, begin = i;
        if (text[i] == '#') {  // comment line
            while (i < n && text[i] != '\n') ++i;
            ++i;
            ++line;
            continue;
        }
        std::vector<std::string> cells;
        std::string cell;
        bool quoted = false, in_quotes = false;
        std::size_t end = n;
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
                end = i;
                ++i;
                ++line;
                break;
            } else {
                cell += c;
            }
        }
        if (in_quotes)
            throw InputError({file, line_label(record_line), ""}, "unterminated quoted field",
                             "a closing '\"' (a '\"' opened on this line is never closed)");
        cells.push_back(std::move(cell));
        if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
        out.push_back({record_line, std::move(cells), begin, end});
    }
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Why a record has the wrong number of fields, as far as its text tells.
std::string mismatch_message(const Record& r, std::string_view line_text, const std::vector<std::string>& header,
                             std::string_view header_line, char d, bool detected, const std::string& encoding) {
    const std::size_t h = header.size(), l = r.cells.size();
    std::string msg = "has " + plural(l, "field") + (l > 1 ? " separated by " + separator_name(d) : "") +
                      " but the header has " + std::to_string(h) + " (file read as " + encoding + ", separator " +
                      separator_name(d) + (detected ? " found in the header" : " as given") + ")";
    std::string cause;
    for (char c : {',', ';', '\t'}) {
        if (c == d || !cause.empty()) continue;
        if (std::size_t k = count_outside_quotes(line_text, c); k > 0 && k + 1 == h)
            cause = "this line is separated by " + separator_name(c) + " where the header uses " + separator_name(d) +
                    ": is the file mixing separators?";
        else if (std::size_t kh = count_outside_quotes(header_line, c); kh > 0 && kh + 1 == l)
            cause = "the header uses " + separator_name(c) + " where this line uses " + separator_name(d) +
                    ": is the file mixing separators?";
    }
    if (cause.empty() && h == 1 && l > 1)
        cause = "the header has no " + separator_name(d) + ": is it separated by something else, or incomplete?";
    if (cause.empty() && d == ',' && l > h) {
        for (std::size_t k = 0; k + 1 < l && cause.empty(); ++k) {
            std::string_view a = r.cells[k], b = r.cells[k + 1];
            if (a.starts_with('-')) a.remove_prefix(1);
            if (all_digits(a) && all_digits(b))
                cause = "'" + r.cells[k] + "," + r.cells[k + 1] +
                        "' looks like a number with a decimal comma, which the ',' separator splits in two: save the "
                        "file with ';' as separator, or put such numbers in double quotes";
        }
    }
    if (cause.empty() && l > h)
        cause = "a text containing " + separator_name(d) + " must be put in double quotes";
    if (cause.empty())
        cause = "fields are missing on this line (or a line break inside an unquoted text cut it in two)";
    return msg + ": " + cause;
}

// ---- numbers ---------------------------------------------------------------------------

// "1 234 567" (space, U+00A0 or U+202F between groups of three digits, one kind per
// number, optionally signed and followed by a decimal part) without its spaces; nullopt
// for anything else.
std::optional<std::string> ungroup_digits(std::string_view s) {
    std::string out;
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) out += s[i++];
    auto digits = [&](std::size_t max) {
        std::size_t k = 0;
        while (i < s.size() && k < max && s[i] >= '0' && s[i] <= '9') {
            out += s[i++];
            ++k;
        }
        return k;
    };
    const std::size_t first = digits(3);
    if (first == 0) return std::nullopt;
    std::string_view sep;
    std::size_t groups = 0;
    for (;;) {
        std::string_view rest = s.substr(i);
        std::string_view here;
        for (std::string_view candidate : {" "sv, "\xC2\xA0"sv, "\xE2\x80\xAF"sv})
            if (rest.starts_with(candidate)) here = candidate;
        if (here.empty()) break;
        if (!sep.empty() && here != sep) return std::nullopt;
        sep = here;
        i += here.size();
        if (digits(3) != 3) return std::nullopt;
        ++groups;
    }
    if (groups == 0) return std::nullopt;
    if (i < s.size() && s[i] >= '0' && s[i] <= '9') return std::nullopt;  // "12 3456"
    if (i < s.size()) {
        if (s[i] != ',' && s[i] != '.') return std::nullopt;
        out += s[i++];
        if (digits(std::string_view::npos) == 0 || i != s.size()) return std::nullopt;
    }
    return out;
}

// "46,58" (digits, one comma, digits) after digit groups are removed.
bool has_decimal_comma(std::string_view s) {
    if (s.starts_with('-') || s.starts_with('+')) s.remove_prefix(1);
    const auto comma = s.find(',');
    return comma != std::string_view::npos && all_digits(s.substr(0, comma)) && all_digits(s.substr(comma + 1));
}

// Cell text as from_chars reads it: digit groups joined, a lone decimal comma made a point.
std::string numeric_text(const std::string& text) {
    std::string t = ungroup_digits(text).value_or(text);
    if (std::count(t.begin(), t.end(), ',') == 1 && t.find('.') == std::string::npos) std::replace(t.begin(), t.end(), ',', '.');
    return t;
}

// One warning per file for numbers written the French way.
void scan_numbers(const std::string& file, const std::vector<std::string>& header,
                  const std::vector<CsvTable::Row>& rows, Diagnostics& warnings) {
    bool comma = false, groups = false;
    for (const auto& row : rows) {
        for (std::size_t c = 0; c < row.cells.size(); ++c) {
            const std::string& cell = row.cells[c];
            if (cell.empty() || !(std::isdigit(static_cast<unsigned char>(cell[0])) || cell[0] == '-' || cell[0] == '+'))
                continue;
            const bool spaced = cell.find_first_of(" \xC2\xE2") != std::string::npos;
            if (!spaced && cell.find(',') == std::string::npos) continue;  // the common case: nothing French
            const auto ungrouped = spaced ? ungroup_digits(cell) : std::nullopt;
            const std::string& plain = ungrouped ? *ungrouped : cell;
            auto at = [&] { return line_label(row.line) + ", field '" + header[c] + "': '" + cell + "'"; };
            if (!comma && has_decimal_comma(plain)) {
                comma = true;
                warnings.warn({file, "", ""},
                              "numbers with a decimal comma are read with a decimal point (first: " + at() + ")");
            }
            if (!groups && ungrouped) {
                groups = true;
                warnings.warn({file, "", ""}, "digits grouped by spaces are read as one number (first: " + at() +
                                                  " read as " + numeric_text(cell) + ")");
            }
            if (comma && groups) return;
        }
    }
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& path, char delimiter) {
    // A directory, a FIFO or a device is refused by name before any byte is read (a FIFO or
    // /dev/zero would be read without end); the size is bounded like every text input.
    constexpr std::uintmax_t kMaxCsvBytes = std::uintmax_t{2} << 30;  // 2 GiB
    return parse(read_regular_file(path, kMaxCsvBytes), path.string(), delimiter);
}

CsvTable CsvTable::parse(std::string bytes, const std::string& file, char delimiter) {
    CsvTable t;
    t.file_ = file;
    Decoded decoded = decode(std::move(bytes), file, t.warnings_);
    t.encoding_ = decoded.encoding;
    const std::string text = normalise_line_ends(std::move(decoded.text));

    const std::string_view header_line = header_text(text);
    const bool detect = delimiter == kDetectDelimiter;
    t.delimiter_ = detect ? ',' : delimiter;
    if (detect && count_outside_quotes(header_line, ',') == 0) {
        const std::size_t semicolons = count_outside_quotes(header_line, ';'), tabs = count_outside_quotes(header_line, '\t');
        if (semicolons > 0 && semicolons >= tabs) {
            t.delimiter_ = ';';
            t.warnings_.warn({file, "", ""}, "';' separated (French spreadsheet)");
        } else if (tabs > 0) {
            t.delimiter_ = '\t';
            t.warnings_.warn({file, "", ""}, "tab separated");
        }
    }

    std::vector<Record> records;
    parse_records(text, t.delimiter_, file, records);
    if (records.empty()) throw InputError({file, "", ""}, "empty table", "a header line and rows");
    t.header_ = std::move(records.front().cells);
    for (std::size_t k = 1; k < records.size(); ++k) {
        Record& r = records[k];
        if (r.cells.size() != t.header_.size())
            throw InputError({file, line_label(r.line), ""},
                             mismatch_message(r, std::string_view(text).substr(r.begin, r.end - r.begin), t.header_,
                                              header_line, t.delimiter_, detect, t.encoding_));
        t.rows_.push_back({r.line, std::move(r.cells)});
    }
    scan_numbers(file, t.header_, t.rows_, t.warnings_);
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
    std::string detected;
    if (header_.size() == 1 && header_.front().find_first_of(",;\t|") != std::string::npos)
        detected = " (the header was read as one column separated by " + separator_name(delimiter_) +
                   ": is the file separated by another character?)";
    throw InputError({file_, "header", names.front()}, "missing column" + detected, "a column named " + list);
}

std::vector<std::size_t> CsvTable::rewrite_column(std::size_t col,
                                                  const std::function<std::optional<std::string>(const std::string&)>& fix) {
    std::vector<std::size_t> changed;
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        if (col >= rows_[i].cells.size()) continue;
        if (auto v = fix(rows_[i].cells[col])) {
            rows_[i].cells[col] = std::move(*v);
            changed.push_back(i);
        }
    }
    return changed;
}

double parse_number(const std::string& text, const std::string& file, std::size_t line, const std::string& field) {
    const std::string t = numeric_text(text);
    double v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
        throw InputError({file, line_label(line), field}, "not a number: '" + text + "'", "a decimal number");
    return v;
}

long long parse_count(const std::string& text, const std::string& file, std::size_t line, const std::string& field) {
    const std::string t = ungroup_digits(text).value_or(text);
    long long v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (t.empty() || ec != std::errc() || p != t.data() + t.size())
        throw InputError({file, line_label(line), field}, "not an integer: '" + text + "'",
                         "a non-negative integer");
    if (v < 0)
        throw InputError({file, line_label(line), field}, "negative value " + text, "a non-negative integer");
    return v;
}

}  // namespace maillage
