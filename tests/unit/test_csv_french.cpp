// CSV files as French spreadsheets save them (issue 13, item 3): ';' separator, decimal comma,
// Windows-1252 text, CRLF, BOMs, UTF-16, digit groups, INSEE codes without their leading
// zero. Each is read as the plain UTF-8 comma version, with warnings saying what was detected;
// what cannot be read says what was detected and the likely cause.
#include <algorithm>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "services/catalogue.hpp"
#include "services/site_reader.hpp"
#include "support/square_communes.hpp"
#include "territory/insee_code.hpp"
#include "territory/territory_loader.hpp"
#include "util/csv_table.hpp"
#include "util/errors.hpp"

using namespace maillage;
using namespace maillage::testing;
using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

// Latin-1 / Windows-1252 bytes below 0x80 or from 0xA0 are their own code points: one UTF-16
// unit each.
std::string utf16_from_latin1(const std::string& latin1, bool little, bool bom) {
    std::string out;
    if (bom) out += little ? "\xFF\xFE" : "\xFE\xFF";
    for (char c : latin1) {
        if (little) {
            out += c;
            out += '\0';
        } else {
            out += '\0';
            out += c;
        }
    }
    return out;
}

std::vector<std::string> texts(const Diagnostics& d) {
    std::vector<std::string> out;
    for (const auto& w : d.warnings()) out.push_back(w.text());
    return out;
}

bool contains(const std::vector<std::string>& list, const std::string& fragment) {
    for (const auto& s : list)
        if (s.find(fragment) != std::string::npos) return true;
    return false;
}

std::string error_of(const std::string& bytes, char delimiter = CsvTable::kDetectDelimiter) {
    try {
        (void)CsvTable::parse(bytes, "f.csv", delimiter);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

const ServiceCatalogue& catalogue() {
    static const ServiceCatalogue c = ServiceCatalogue::load(fs::path(MAILLAGE_SOURCE_DIR) / "geodata/service_catalogue.csv");
    return c;
}

// The same three sites, as a comma-separated UTF-8 file...
const char* const kUtf8Sites =
    "id,nom,lon,lat,commune,places\n"
    "FS1,Châtellerault,0.5461,46.8174,86066,12\n"
    "FS2,Bourg-en-Bresse,5.2256,46.2052,01053,1234\n"
    "FS3,Poitiers,0.3404,46.5802,86194,\n";
// ... and as a French spreadsheet saves it ("CSV (séparateur : point-virgule)"): Windows-1252,
// ';', decimal commas, CRLF, a thousands space, and a commune code that lost its leading zero.
const char* const kFrenchSites =
    "id;nom;lon;lat;commune;places\r\n"
    "FS1;Ch\xE2tellerault;0,5461;46,8174;86066;12\r\n"
    "FS2;Bourg-en-Bresse;5,2256;46,2052;1053;1 234\r\n"
    "FS3;Poitiers;0,3404;46,5802;86194;\r\n";

void expect_same_sites(const std::vector<ServiceSite>& expected, const std::vector<ServiceSite>& got, const std::string& what) {
    ASSERT_EQ(expected.size(), got.size()) << what;
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_EQ(expected[i].id, got[i].id) << what;
        EXPECT_EQ(expected[i].name, got[i].name) << what;
        EXPECT_EQ(expected[i].position.x, got[i].position.x) << what << " " << got[i].id;
        EXPECT_EQ(expected[i].position.y, got[i].position.y) << what << " " << got[i].id;
        EXPECT_EQ(expected[i].commune_code, got[i].commune_code) << what << " " << got[i].id;
        EXPECT_EQ(expected[i].places, got[i].places) << what << " " << got[i].id;
    }
}

std::vector<ServiceSite> sites_from(const fs::path& file, const std::string& bytes, Diagnostics& d) {
    write_text(file, bytes);
    return read_sites({file, "france_services", "EPSG:4326", ""}, catalogue(), &d);
}

}  // namespace

TEST(CsvFrench, SpreadsheetSitesLoadLikeTheUtf8CommaFile) {
    fs::path dir = fresh_dir("csv_french_sites");
    Diagnostics plain_warnings;
    auto expected = sites_from(dir / "plain.csv", kUtf8Sites, plain_warnings);
    EXPECT_TRUE(plain_warnings.empty()) << texts(plain_warnings).front();
    ASSERT_EQ(expected.size(), 3u);
    EXPECT_EQ(expected[1].places, 1234.0);

    Diagnostics d;
    const fs::path file = dir / "excel_fr.csv";
    auto got = sites_from(file, kFrenchSites, d);
    expect_same_sites(expected, got, "Windows-1252 ';'");
    EXPECT_EQ(texts(d), (std::vector<std::string>{
                            file.string() + ": read as Windows-1252 (not UTF-8): accents converted (first on line 2)",
                            file.string() + ": ';' separated (French spreadsheet)",
                            file.string() + ": numbers with a decimal comma are read with a decimal point (first: "
                                            "line 2, field 'lon': '0,5461')",
                            file.string() + ": digits grouped by spaces are read as one number (first: line 3, field "
                                            "'places': '1 234' read as 1234)",
                            file.string() + ": field 'commune': 1 commune code had lost its leading zero (stored as a "
                                            "number by a spreadsheet) and was restored: on line 3, '1053' read as '01053'",
                        }));
}

TEST(CsvFrench, BomAndUtf16VariantsLoadLikeTheUtf8CommaFile) {
    fs::path dir = fresh_dir("csv_french_bom");
    Diagnostics ignored;
    auto expected = sites_from(dir / "plain.csv", kUtf8Sites, ignored);
    std::string latin1 = kFrenchSites;
    std::string utf8 = std::string(kFrenchSites);
    utf8.replace(utf8.find("\xE2"), 1, "\xC3\xA2");  // â in UTF-8
    // Excel "Texte Unicode" is UTF-16LE with a BOM and tabs.
    std::string tabs = latin1;
    std::replace(tabs.begin(), tabs.end(), ';', '\t');
    struct Variant {
        std::string name, bytes, encoding_warning, separator_warning;
    };
    const std::vector<Variant> variants = {
        {"utf8_bom", "\xEF\xBB\xBF" + utf8, "", "';' separated"},
        {"utf8_bom_lf", "\xEF\xBB\xBF" + std::string(kUtf8Sites), "", ""},
        {"utf16le_bom", utf16_from_latin1(latin1, true, true), "read as UTF-16LE text (converted to UTF-8", "';' separated"},
        {"utf16be_bom", utf16_from_latin1(latin1, false, true), "read as UTF-16BE text", "';' separated"},
        {"utf16le_no_bom", utf16_from_latin1(latin1, true, false), "read as UTF-16LE text", "';' separated"},
        {"utf16le_tabs", utf16_from_latin1(tabs, true, true), "read as UTF-16LE text", "tab separated"},
        {"cp1252_lone_cr", [&] {
             std::string s = latin1;
             for (std::size_t p; (p = s.find("\r\n")) != std::string::npos;) s.erase(p + 1, 1);
             return s;
         }(), "read as Windows-1252", "';' separated"},
    };
    for (const auto& v : variants) {
        Diagnostics d;
        auto got = sites_from(dir / (v.name + ".csv"), v.bytes, d);
        expect_same_sites(expected, got, v.name);
        auto w = texts(d);
        if (v.encoding_warning.empty()) {
            EXPECT_FALSE(contains(w, "Windows-1252") || contains(w, "UTF-16")) << v.name << ": no encoding warning expected";
        } else {
            EXPECT_TRUE(contains(w, v.encoding_warning)) << v.name;
        }
        EXPECT_EQ(contains(w, "separated"), !v.separator_warning.empty()) << v.name;
        if (!v.separator_warning.empty()) {
            EXPECT_TRUE(contains(w, v.separator_warning)) << v.name;
        }
    }
}

TEST(CsvFrench, DetectionFacts) {
    auto t = CsvTable::parse("id;nom\r\n1;Ch\xE2tellerault\r\n", "f.csv");
    EXPECT_EQ(t.delimiter(), ';');
    EXPECT_EQ(t.encoding(), "Windows-1252");
    EXPECT_EQ(t.rows().at(0).cells.at(1), "Ch\xC3\xA2tellerault");
    EXPECT_EQ(t.rows().at(0).line, 2u);
    // Comment lines before the header, quoted fields with the separator and line breaks.
    t = CsvTable::parse("# a note, with commas\nid;nom\n1;\"A; B\r\nC\"\n2;D\n", "f.csv");
    EXPECT_EQ(t.delimiter(), ';');
    EXPECT_EQ(t.rows().at(0).cells.at(1), "A; B\nC");
    EXPECT_EQ(t.rows().at(1).line, 5u);
    // A plain UTF-8 comma file: nothing to say.
    t = CsvTable::parse("id,nom\n1,Châtellerault\n", "f.csv");
    EXPECT_EQ(t.delimiter(), ',');
    EXPECT_EQ(t.encoding(), "UTF-8");
    EXPECT_TRUE(t.warnings().empty());
    // An explicit delimiter is used as given, without detection.
    t = CsvTable::parse("a|b\n1|2,5\n", "f.csv", '|');
    EXPECT_EQ(t.rows().at(0).cells, (std::vector<std::string>{"1", "2,5"}));
    t = CsvTable::parse("a;b\n1;2\n", "f.csv", ',');
    EXPECT_EQ(t.header(), (std::vector<std::string>{"a;b"}));
    // A one-column file stays one column.
    t = CsvTable::parse("code\n86001\n", "f.csv");
    EXPECT_EQ(t.header().size(), 1u);
    EXPECT_TRUE(t.warnings().empty());
}

TEST(CsvFrench, NumbersWrittenTheFrenchWay) {
    EXPECT_EQ(parse_number("46,58", "f", 2, "lat"), 46.58);
    EXPECT_EQ(parse_number("-0,5", "f", 2, "lon"), -0.5);
    EXPECT_EQ(parse_number("1 234,5", "f", 2, "x"), 1234.5);
    EXPECT_EQ(parse_number("1\xC2\xA0" "234\xC2\xA0" "567", "f", 2, "x"), 1234567.0);  // U+00A0
    EXPECT_EQ(parse_number("501\xE2\x80\xAF" "000,25", "f", 2, "x"), 501000.25);      // U+202F
    EXPECT_EQ(parse_count("1 234", "f", 2, "population"), 1234);
    EXPECT_EQ(parse_count("12\xE2\x80\xAF" "345", "f", 2, "population"), 12345);
    // Ambiguous or malformed: refused, naming the line and field.
    for (const char* bad : {"1,234,567", "1.234,5", "12 34", "1 2345", "1 234\xC2\xA0" "567", "1 234 ", " 1"}) {
        try {
            (void)parse_number(bad, "f.csv", 7, "lat");
            ADD_FAILURE() << bad << " accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("f.csv: line 7: field 'lat': not a number"), std::string::npos) << e.what();
        }
    }
    EXPECT_THROW((void)parse_count("1 234,5", "f", 2, "population"), InputError);
    EXPECT_THROW((void)parse_count("1.234", "f", 2, "population"), InputError);
}

TEST(CsvFrench, MismatchedFieldsSayWhatWasDetected) {
    // Header with ',' and rows with ';' (a file assembled from two sources).
    std::string e = error_of("id,nom,lon,lat\r\nFS1;Poitiers;0,3404;46,5802\r\n");
    EXPECT_NE(e.find("f.csv: line 2: has 3 fields separated by ',' but the header has 4 (file read as UTF-8, separator "
                     "',' found in the header): this line is separated by ';' where the header uses ',': is the file "
                     "mixing separators?"),
              std::string::npos)
        << e;
    // The other way round.
    e = error_of("id;nom;lon;lat\nFS1,Poitiers,0.34,46.58\n");
    EXPECT_NE(e.find("has 1 field but the header has 4 (file read as UTF-8, separator ';' found in the header): this "
                     "line is separated by ',' where the header uses ';'"),
              std::string::npos)
        << e;
    // Encoding is part of what was detected.
    e = error_of("id;nom\n1;Ch\xE2tellerault;x\n");
    EXPECT_NE(e.find("(file read as Windows-1252, separator ';' found in the header): a text containing ';' must be "
                     "put in double quotes"),
              std::string::npos)
        << e;
    // Decimal commas in a comma-separated file split the numbers.
    e = error_of("id,nom,lon,lat\nFS1,Poitiers,0,3404,46,5802\n");
    EXPECT_NE(e.find("has 6 fields separated by ',' but the header has 4"), std::string::npos) << e;
    EXPECT_NE(e.find("'0,3404' looks like a number with a decimal comma"), std::string::npos) << e;
    // A header with one field and an explicit separator it does not use.
    e = error_of("id,nom,lon\nFS1;Poitiers;0\n", ';');
    EXPECT_NE(e.find("has 3 fields separated by ';' but the header has 1 (file read as UTF-8, separator ';' as given): "
                     "the header uses ',' where this line uses ';': is the file mixing separators?"),
              std::string::npos)
        << e;
    e = error_of("id;nom;lon\nFS1;Poitiers\n");
    EXPECT_NE(e.find("fields are missing on this line"), std::string::npos) << e;
    // A missing column in a one-column header says how the header was split.
    try {
        auto t = CsvTable::parse("id|nom|lon|lat\n1|a|0|46\n", "f.csv");
        (void)t.require_column({"lon"});
        ADD_FAILURE();
    } catch (const InputError& err) {
        EXPECT_NE(std::string(err.what()).find("the header was read as one column separated by ','"), std::string::npos)
            << err.what();
    }
}

TEST(CsvFrench, UnreadableTextSaysWhy) {
    EXPECT_NE(error_of("\xFF\xFE\x00\x00i\x00\x00\x00"s).find("the file is UTF-32 text (expected UTF-8 text: save the "
                                                             "file again as \"CSV UTF-8\")"),
              std::string::npos);
    EXPECT_NE(error_of("id,nom\n1,\x00\x01\x02\x03\x04\x05\x06"s).find("f.csv: line 2: NUL byte"),
              std::string::npos);
    EXPECT_NE(error_of("\xFF\xFEi\x00\x00\xD8\n\x00"s).find("unpaired surrogate"), std::string::npos);
    EXPECT_NE(error_of("\xFF\xFEi\x00\n"s).find("odd number of bytes"), std::string::npos);
    // UTF-8 on one line, Windows-1252 on another: converting either way would spoil the other.
    EXPECT_NE(error_of("id,nom\n1,Châtellerault\n2,Ch\xE2teau-Larcher\n")
                  .find("f.csv: line 3: the file mixes encodings: line 2 is UTF-8 text, but byte 0xE2 here is not"),
              std::string::npos);
    EXPECT_NE(error_of("\xEF\xBB\xBFid,nom\n1,Ch\xE2teau\n").find("line 2: byte 0xE2 is not UTF-8, although the file "
                                                                  "starts with a UTF-8 BOM"),
              std::string::npos);
    EXPECT_NE(error_of("id,nom\n1,a\x81\n").find("line 2: byte 0x81 is neither UTF-8 nor Windows-1252 text"),
              std::string::npos);
    // Windows-1252 beyond Latin-1: € and œ.
    auto t = CsvTable::parse("id;nom\n1;\x80 \x9C\n", "f.csv");
    EXPECT_EQ(t.rows().at(0).cells.at(1), "\xE2\x82\xAC \xC5\x93");
    // Surrogate pairs in UTF-16 (U+1F600).
    t = CsvTable::parse("\xFF\xFEi\x00\n\x00=\xD8\x00\xDE\n\x00"s, "f.csv");
    EXPECT_EQ(t.rows().at(0).cells.at(0), "\xF0\x9F\x98\x80");
}

TEST(CsvFrench, InseeCodesWithoutTheirLeadingZero) {
    EXPECT_EQ(InseeCode::restore_leading_zero("1001")->str(), "01001");
    for (const char* no : {"86001", "101", "0100", "2A04", "1O01", ""}) EXPECT_FALSE(InseeCode::restore_leading_zero(no)) << no;

    auto t = CsvTable::parse("code_insee;population\n1001;10\n01002;20\n1003;30\n2A004;40\n", "pop.csv");
    EXPECT_EQ(restore_insee_leading_zeros(t, 0), 2u);
    EXPECT_EQ(t.rows()[0].cells[0], "01001");
    EXPECT_EQ(t.rows()[1].cells[0], "01002");
    EXPECT_EQ(t.rows()[2].cells[0], "01003");
    EXPECT_EQ(t.rows()[3].cells[0], "2A004");
    EXPECT_TRUE(contains(texts(t.warnings()), "pop.csv: field 'code_insee': 2 commune codes had lost their leading zero "
                                              "(stored as numbers by a spreadsheet) and were restored: first on line 2, "
                                              "'1001' read as '01001'"));
    // Identifiers the study knows as they are (foreign municipalities) are kept.
    auto u = CsvTable::parse("code\n1001\n", "f.csv");
    EXPECT_EQ(restore_insee_leading_zeros(u, 0, [](const std::string& c) { return c == "1001"; }), 0u);
    EXPECT_TRUE(u.warnings().empty());
}

TEST(CsvFrench, PopulationTableFromASpreadsheet) {
    fs::path dir = fresh_dir("csv_french_pop");
    write_text(dir / "communes.geojson",
               squares_geojson({{"01001", 500000, 6600000, 2000, 0}, {"01002", 502000, 6600000, 2000, 0},
                                {"01003", 504000, 6600000, 2000, 0}}));
    // The commune layer carries populations: remove them so the table's count.
    std::string communes = read_text(dir / "communes.geojson");
    for (std::size_t p; (p = communes.find("\"population\":0,")) != std::string::npos;) communes.erase(p, 15);
    write_text(dir / "communes.geojson", communes);
    write_text(dir / "population.csv", "\xEF\xBB\xBF" "code_insee;population\r\n1001;1 000\r\n1002;2\xC2\xA0" "000\r\n01003;300\r\n");
    TerritorySources src;
    src.communes = dir / "communes.geojson";
    src.population = dir / "population.csv";
    Territory t = load_territory(src);
    ASSERT_EQ(t.communes.size(), 3u);
    EXPECT_EQ(t.communes[0].population, 1000);
    EXPECT_EQ(t.communes[1].population, 2000);
    EXPECT_EQ(t.communes[2].population, 300);
    auto w = texts(t.diagnostics);
    EXPECT_TRUE(contains(w, "population.csv: ';' separated (French spreadsheet)"));
    EXPECT_TRUE(contains(w, "population.csv: field 'code_insee': 2 commune codes had lost their leading zero"));
    EXPECT_TRUE(contains(w, "digits grouped by spaces are read as one number (first: line 2, field 'population': "
                            "'1 000' read as 1000)"));
    // A code that is still malformed once repaired is refused, naming file, line and field.
    write_text(dir / "population.csv", "code_insee;population\r\n1001;1\r\n102;2\r\n");
    try {
        (void)load_territory(src);
        ADD_FAILURE();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("population.csv: line 3: field 'code_insee': malformed INSEE code '102'"),
                  std::string::npos)
            << e.what();
    }
}

TEST(CsvFrench, CorpusFileFromAFrenchSpreadsheet) {
    const fs::path file = fs::path(MAILLAGE_TEST_DATA) / "french/sites_excel_fr.csv";
    Diagnostics d;
    auto sites = read_sites({file, "france_services", "EPSG:4326", ""}, catalogue(), &d);
    ASSERT_EQ(sites.size(), 3u);
    EXPECT_EQ(sites[0].name, "Châtellerault");
    EXPECT_EQ(sites[1].commune_code, "01053");
    EXPECT_EQ(sites[1].places, 1234.0);
    auto w = texts(d);
    EXPECT_TRUE(contains(w, "read as Windows-1252 (not UTF-8)"));
    EXPECT_TRUE(contains(w, "';' separated (French spreadsheet)"));
}

TEST(CsvFrench, CoverageRunsOnAFrenchSitesFile) {
    fs::path dir = fresh_dir("csv_french_cli");
    write_text(dir / "communes.geojson", squares_geojson(three_in_a_row()));
    // Centre of commune A (501000, 6601000) in Lambert-93, with decimal commas.
    write_text(dir / "sites.csv", "id;name;x;y\r\nS1;Ch\xE2tellerault;501000,0;6601000,0\r\n");
    fs::path out = dir / "out";
    auto r = run_cli("coverage --communes " + (dir / "communes.geojson").string() + " --sites " +
                     (dir / "sites.csv").string() + " --crs EPSG:2154 --category france_services --network estimated:" +
                     MAILLAGE_TEST_DATA + "/coverage/round_parameters.json --thresholds 1,3,5 --cell-size 100 -o " +
                     out.string());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string file = (dir / "sites.csv").string();
    EXPECT_NE(r.err.find(file + ": read as Windows-1252 (not UTF-8): accents converted"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(file + ": ';' separated (French spreadsheet)"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(file + ": numbers with a decimal comma are read with a decimal point"), std::string::npos) << r.err;
    auto sites = nlohmann::json::parse(read_text(out / "sites.geojson"));
    ASSERT_EQ(sites["features"].size(), 1u);
    EXPECT_EQ(sites["features"][0]["properties"]["name"], "Châtellerault");
    auto summary = nlohmann::json::parse(read_text(out / "summary.json"));
    EXPECT_EQ(summary["departement"]["population_within_minutes"]["1"], 100.0);
    EXPECT_NE(summary.dump().find("French spreadsheet"), std::string::npos);

    // The same file with a ',' header: the error says what is wrong, and nothing is written.
    write_text(dir / "sites.csv", "id,name,x,y\r\nS1;Ch\xE2tellerault;501000,0;6601000,0\r\n");
    fs::remove_all(out);
    r = run_cli("coverage --communes " + (dir / "communes.geojson").string() + " --sites " + file +
                " --crs EPSG:2154 --category france_services --network estimated:" + MAILLAGE_TEST_DATA +
                "/coverage/round_parameters.json --thresholds 1,3,5 --cell-size 100 -o " + out.string());
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("line 2: has 3 fields separated by ','"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("is the file mixing separators?"), std::string::npos) << r.err;
}
