// Scenario files: the values read (with the `extends` merge and path resolution) and every
// refusal located at file:line:column with a message that says what to write instead.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include <gtest/gtest.h>

#include "scenario/scenario_parser.hpp"
#include "support/cli_runner.hpp"
#include "util/errors.hpp"

namespace fs = std::filesystem;
using namespace maillage;

namespace {

const std::string kData = MAILLAGE_TEST_DATA;

std::string scenario(const std::string& name) { return kData + "/scenarios/" + name; }
std::string bad(const std::string& name) { return scenario("bad/" + name); }

// The message of the InputError thrown by PARSE, or a note that nothing was thrown.
template <typename Parse>
std::string error_of(Parse parse) {
    try {
        parse();
    } catch (const InputError& e) {
        return e.what();
    }
    return "(accepted)";
}

// FILE is refused with a message starting "LOCATION: " and containing FRAGMENT.
void expect_refused(const std::string& file, const std::string& location, const std::string& fragment) {
    std::string what = error_of([&] { parse_scenario_file(file); });
    EXPECT_TRUE(what.starts_with(location + ": ")) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
}

// The same for a text named "inline.yaml".
void expect_text_refused(const std::string& text, const std::string& line_column, const std::string& fragment) {
    std::string what = error_of([&] { parse_scenario_text(text, "inline.yaml"); });
    EXPECT_TRUE(what.starts_with("inline.yaml:" + line_column + ": ")) << what;
    EXPECT_NE(what.find(fragment), std::string::npos) << what;
}

const std::string kMinimal = "title: t\nanalyses:\n  coverage: [{category: gp}]\n";

// "LINE:COLUMN" (1-based) of the NTH (0-based) occurrence of NEEDLE in TEXT.
std::string position_of(const std::string& text, const std::string& needle, int nth = 0) {
    std::size_t at = text.find(needle);
    for (int i = 0; i < nth && at != std::string::npos; ++i) at = text.find(needle, at + 1);
    if (at == std::string::npos) {
        ADD_FAILURE() << "'" << needle << "' not in:\n" << text;
        return "?";
    }
    const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
    const std::size_t column = line_start == std::string::npos || at == 0 ? at + 1 : at - line_start;
    const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    return std::to_string(line) + ":" + std::to_string(column);
}

// TEXT (named inline.yaml) is refused at the NTH occurrence of NEEDLE, with FRAGMENT.
void expect_refused_at(const std::string& text, const std::string& needle, const std::string& fragment, int nth = 0) {
    expect_text_refused(text, position_of(text, needle, nth), fragment);
}

// kMinimal with `optimise:` and ITEMS below it.
std::string with_optimise(const std::string& items) { return kMinimal + "optimise:\n" + items; }

}  // namespace

TEST(ScenarioSourceMark, Formats) {
    EXPECT_EQ((SourceMark{"s.yaml", 12, 5, ""}.str()), "s.yaml:12:5");
    EXPECT_EQ((SourceMark{"s.yaml", 0, 0, ""}.str()), "s.yaml");
}

TEST(ScenarioParser, ReadsTheBaseline) {
    const std::string file = scenario("vienne_baseline.yaml");
    ScenarioSpec s = parse_scenario_file(file);
    EXPECT_EQ(s.file, file);
    EXPECT_EQ(s.extends_chain, std::vector<std::string>{file});
    EXPECT_EQ(s.title, "Vienne : situation de référence");
    EXPECT_EQ(s.question, "Combien d'habitants à plus de 20 minutes d'une France Services ?");
    EXPECT_EQ(s.notes, std::vector<std::string>{"Données de test"});
    // Paths are relative to the scenario's directory, lexically normalised.
    EXPECT_EQ(s.study.communes, kData + "/geodata/communes.gpkg");
    EXPECT_EQ(s.study.communes_layer, "communes");
    EXPECT_EQ(s.study.population, kData + "/geodata/population.csv");
    EXPECT_EQ(s.study.bpe, "");
    EXPECT_EQ(s.study.margin_km, 20.0);
    EXPECT_TRUE(s.study.reference_services);
    EXPECT_EQ(s.network.spec, "roads:" + kData + "/geodata/roads.gpkg:troncons");
    EXPECT_EQ(s.network.profile, "car");
    EXPECT_EQ(s.network.max_snap_m, 5000.0);
    EXPECT_EQ(s.network.mapping, kData + "/geodata/mapping.json");
    EXPECT_EQ(s.demand.method, "point");
    EXPECT_EQ(s.demand.step_m, 1000.0);

    ASSERT_EQ(s.site_files.size(), 1u);
    EXPECT_EQ(s.site_files[0].path, kData + "/sites/ram.csv");
    EXPECT_EQ(s.site_files[0].category, "ram_rpe");
    EXPECT_EQ(s.site_files[0].crs, "EPSG:4326");
    EXPECT_EQ(s.site_files[0].mark.str(), file + ":19:7");

    ASSERT_EQ(s.coverage.size(), 2u);
    EXPECT_EQ(s.coverage[0].category, "france_services");
    EXPECT_EQ(s.coverage[0].thresholds_min, (std::vector<double>{10, 20, 30}));
    EXPECT_EQ(s.coverage[0].gap_threshold_min, 20.0);
    EXPECT_TRUE(s.coverage[0].catchments);
    EXPECT_FALSE(s.coverage[0].cell_size_m);
    EXPECT_EQ(s.coverage[1].thresholds_min, std::vector<double>{15});  // a single number is a list of one
    ASSERT_EQ(s.access.size(), 1u);
    EXPECT_EQ(s.access[0].max_ages, (std::vector<int>{60, 65}));
    EXPECT_EQ(s.access[0].decay, kData + "/geodata/decay.csv");
    EXPECT_TRUE(s.rates.empty());

    ASSERT_EQ(s.variants.size(), 2u);
    const Variant& lussac = s.variants[0];
    EXPECT_EQ(lussac.id, "lussac");
    EXPECT_EQ(lussac.mark.str(), file + ":27:5");
    ASSERT_EQ(lussac.changes.size(), 1u);
    const SiteChange& close = lussac.changes[0];
    EXPECT_EQ(close.kind, SiteChange::Kind::close);
    EXPECT_EQ(close.mark.str(), file + ":30:9");
    EXPECT_EQ(close.site.name, "France Services de Lussac");
    EXPECT_EQ(close.site.commune, "86140");
    EXPECT_EQ(close.site.category, "france_services");
    EXPECT_EQ(close.site.id, "");
    EXPECT_EQ(s.variants[1].title, "");
    EXPECT_EQ(s.variants[1].changes[0].max_age, 65);
}

TEST(ScenarioParser, ExtendsMergesOntoTheBase) {
    const std::string file = scenario("auto_ecoles.yaml");
    ScenarioSpec s = parse_scenario_file(file);
    EXPECT_EQ(s.extends_chain, (std::vector<std::string>{scenario("vienne_baseline.yaml"), file}));
    // Scalars: replaced when the extending file states them, inherited otherwise.
    EXPECT_EQ(s.title, "Auto-écoles solidaires : couvrir la Vienne");
    EXPECT_EQ(s.question, "Combien d'habitants à plus de 20 minutes d'une France Services ?");
    EXPECT_EQ(s.network.spec, "roads:" + kData + "/geodata/roads.gpkg:troncons");  // still relative to the base
    EXPECT_EQ(s.network.profile, kData + "/profiles/slow.json");
    EXPECT_EQ(s.network.max_snap_m, 5000.0);
    EXPECT_EQ(s.demand.method, "point");
    EXPECT_EQ(s.demand.step_m, 500.0);
    EXPECT_EQ(s.study.communes, kData + "/geodata/communes.gpkg");
    // Lists: appended, base first.
    EXPECT_EQ(s.notes, (std::vector<std::string>{"Données de test", "Les auto-écoles solidaires sont saisies à la main"}));
    ASSERT_EQ(s.site_files.size(), 2u);
    EXPECT_EQ(s.site_files[1].path, kData + "/scenarios/sites/auto_ecoles.csv");
    EXPECT_EQ(s.site_files[1].crs, "EPSG:2154");
    ASSERT_EQ(s.baseline_additions.size(), 1u);
    EXPECT_EQ(s.baseline_additions[0].kind, SiteChange::Kind::add);
    EXPECT_EQ(s.baseline_additions[0].placement.commune, "86194");  // an unquoted 86194 becomes text
    EXPECT_EQ(s.baseline_additions[0].name, "C Permis (Blaiserie)");
    EXPECT_EQ(s.baseline_additions[0].mark.str(), file + ":16:7");

    // Analyses: the same category replaces the base's one in place, a new one is appended.
    ASSERT_EQ(s.coverage.size(), 3u);
    EXPECT_EQ(s.coverage[0].category, "france_services");
    EXPECT_EQ(s.coverage[1].category, "gp");
    EXPECT_EQ(s.coverage[1].thresholds_min, (std::vector<double>{10, 20, 30, 45}));
    EXPECT_FALSE(s.coverage[1].catchments);
    EXPECT_EQ(s.coverage[1].cell_size_m, 250.0);
    EXPECT_EQ(s.coverage[1].mark.str(), file + ":19:7");
    EXPECT_EQ(s.coverage[2].category, "auto_ecole_solidaire");
    ASSERT_EQ(s.access.size(), 1u);
    ASSERT_EQ(s.rates.size(), 1u);
    EXPECT_EQ(s.rates[0].target, "75+");
    EXPECT_EQ(s.rates[0].target_population, kData + "/scenarios/pop75.csv");

    // Variants: the same id replaces the base's one in place.
    ASSERT_EQ(s.variants.size(), 3u);
    EXPECT_EQ(s.variants[0].id, "lussac");
    const Variant& retraites = s.variants[1];
    EXPECT_EQ(retraites.id, "retraites");
    EXPECT_EQ(retraites.title, "Départs à 60 ans");
    ASSERT_EQ(retraites.changes.size(), 1u);
    const SiteChange& depart = retraites.changes[0];
    EXPECT_EQ(depart.kind, SiteChange::Kind::depart);
    EXPECT_EQ(depart.share, 0.4);
    EXPECT_FALSE(depart.max_age);
    EXPECT_EQ(depart.communes, (std::vector<std::string>{"86194", "86165"}));
    EXPECT_EQ(depart.epcis, std::vector<std::string>{"248600413"});
    EXPECT_EQ(depart.territories, std::vector<std::string>{"nord"});
    EXPECT_EQ(depart.assumption, "40 % partent");

    const Variant& v = s.variants[2];
    EXPECT_EQ(v.id, "montmorillon");
    ASSERT_EQ(v.changes.size(), 7u);
    const SiteChange& add = v.changes[0];
    EXPECT_EQ(add.kind, SiteChange::Kind::add);
    EXPECT_EQ(add.id, "ae-montmo");
    EXPECT_EQ(add.category, "auto_ecole_solidaire");
    EXPECT_EQ(add.placement.commune, "86165");
    EXPECT_EQ(add.places, 12.0);
    EXPECT_EQ(add.fte, 2.0);
    EXPECT_EQ(v.changes[1].placement.lon, 0.87);
    EXPECT_EQ(v.changes[1].placement.lat, 46.43);
    EXPECT_TRUE(v.changes[1].placement.commune.empty());
    EXPECT_EQ(v.changes[2].placement.x, 520000.0);
    EXPECT_EQ(v.changes[2].placement.y, 6600000.0);
    EXPECT_EQ(v.changes[2].mark.str(), file + ":36:9");
    EXPECT_EQ(v.changes[3].kind, SiteChange::Kind::close);
    EXPECT_EQ(v.changes[3].site.id, "86194-D201-1");
    const SiteChange& move = v.changes[4];
    EXPECT_EQ(move.kind, SiteChange::Kind::move);
    EXPECT_EQ(move.site.name, "C Permis (Blaiserie)");
    EXPECT_EQ(move.site.commune, "86194");
    EXPECT_EQ(move.placement.commune, "2A004");
    EXPECT_EQ(v.changes[5].kind, SiteChange::Kind::capacity);
    EXPECT_EQ(v.changes[5].fte, 3.0);
    EXPECT_FALSE(v.changes[5].places);
    EXPECT_EQ(v.changes[6].max_age, 62);
}

TEST(ScenarioParser, RelativeScenarioPathGivesRelativePaths) {
    const fs::path file = fs::relative(scenario("nested/local.yaml"));
    ASSERT_TRUE(file.is_relative());
    const fs::path dir = file.parent_path();
    ScenarioSpec s = parse_scenario_file(file);
    EXPECT_EQ(s.study.bpe, (dir / "../../geodata/bpe.csv").lexically_normal().string());
    EXPECT_TRUE(fs::path(s.study.bpe).is_relative());
    EXPECT_EQ(s.study.communes, (dir / "../../geodata/communes.gpkg").lexically_normal().string());  // from the base
    EXPECT_EQ(s.network.spec, "osm:" + (dir / "maps/vienne.osm.pbf").lexically_normal().string());
    EXPECT_EQ(s.extends_chain.front(), (dir / "../vienne_baseline.yaml").lexically_normal().string());
    EXPECT_EQ(s.coverage.size(), 2u);
}

TEST(ScenarioParser, TextIsRelativeToTheCurrentDirectory) {
    ScenarioSpec s = parse_scenario_text(
        "title: t\nnetwork: {spec: 'estimated:default'}\nstudy: {communes: ./data/../c.gpkg}\n"
        "analyses:\n  access:\n    - {max_ages: 62}\n  rates: [{category: creche}]\n",
        "inline.yaml");
    EXPECT_EQ(s.file, "inline.yaml");
    EXPECT_EQ(s.network.spec, "estimated:default");
    EXPECT_EQ(s.study.communes, "c.gpkg");
    ASSERT_EQ(s.access.size(), 1u);
    EXPECT_EQ(s.access[0].category, "gp");
    EXPECT_EQ(s.access[0].max_ages, std::vector<int>{62});
    EXPECT_EQ(s.access[0].mark.str(), "inline.yaml:6:7");
    EXPECT_EQ(s.rates[0].category, "creche");
    EXPECT_EQ(s.extends_chain, std::vector<std::string>{"inline.yaml"});
}

// One fixture per failure mode, each with its exact position.
TEST(ScenarioParserBadFiles, SyntaxError) {
    expect_refused(bad("syntax_error.yaml"), bad("syntax_error.yaml") + ":4:41", "YAML syntax error");
}

TEST(ScenarioParserBadFiles, TabIndentation) {
    expect_refused(bad("tab_indentation.yaml"), bad("tab_indentation.yaml") + ":4:1",
                   "tab character in indentation: YAML indentation must use spaces");
}

TEST(ScenarioParserBadFiles, DuplicateKey) {
    expect_refused(bad("duplicate_key.yaml"), bad("duplicate_key.yaml") + ":6:7",
                   "analyses.coverage[0]: field 'thresholds': duplicate key (first at line 5, column 7)");
}

TEST(ScenarioParserBadFiles, UnknownKeySuggestsTheNearest) {
    expect_refused(bad("unknown_key.yaml"), bad("unknown_key.yaml") + ":5:7",
                   "analyses.coverage[0]: field 'threshold': unknown key — did you mean 'thresholds'? "
                   "(expected one of: category, thresholds, gap_threshold, catchments, cell_size_m)");
}

TEST(ScenarioParserBadFiles, WrongType) {
    expect_refused(bad("wrong_type.yaml"), bad("wrong_type.yaml") + ":4:11",
                   "demand: field 'step_m': expected a number, got 'cinq cents'");
}

TEST(ScenarioParserBadFiles, ThresholdsNotAscending) {
    expect_refused(bad("thresholds_not_ascending.yaml"), bad("thresholds_not_ascending.yaml") + ":4:56",
                   "thresholds must be strictly ascending: 20 comes after");
}

TEST(ScenarioParserBadFiles, ShareOutOfRange) {
    expect_refused(bad("bad_share.yaml"), bad("bad_share.yaml") + ":8:39",
                   "variants[0].changes[0].depart: field 'share': out of range: 1.5 (expected a fraction, 0 < share <= 1)");
}

TEST(ScenarioParserBadFiles, TwoPositions) {
    expect_refused(bad("two_positions.yaml"), bad("two_positions.yaml") + ":11:11",
                   "field 'lon': a second position: 'commune' at line 10 already places the site");
}

TEST(ScenarioParserBadFiles, CommuneCodeWithoutLeadingZero) {
    expect_refused(bad("commune_1001.yaml"), bad("commune_1001.yaml") + ":7:48",
                   "sites.add[0]: field 'commune': INSEE code 1001 has lost its leading zero: write \"01001\" (quoted)");
}

TEST(ScenarioParserBadFiles, Anchor) {
    expect_refused(bad("anchor.yaml"), bad("anchor.yaml") + ":4:7",
                   "YAML anchors and aliases (&base) are not supported in scenario files");
}

TEST(ScenarioParserBadFiles, ExtendsMissingFile) {
    expect_refused(bad("extends_missing.yaml"), bad("extends_missing.yaml") + ":2:10",
                   "field 'extends': extends a file that does not exist: " + bad("no_such_base.yaml"));
}

TEST(ScenarioParserBadFiles, ExtendsItself) {
    const std::string self = bad("extends_self.yaml");
    expect_refused(self, self + ":2:10", "extends cycle: " + self + " → " + self);
}

TEST(ScenarioParserBadFiles, ExtendsCycle) {
    // The cycle closes in cycle_b.yaml, which is where the error points.
    const std::string a = bad("cycle_a.yaml"), b = bad("cycle_b.yaml");
    expect_refused(a, b + ":4:10", "extends cycle: " + a + " → " + b + " → " + a);
}

TEST(ScenarioParserBadFiles, DuplicateVariantId) {
    expect_refused(bad("duplicate_variant.yaml"), bad("duplicate_variant.yaml") + ":8:9",
                   "variants[1]: field 'id': duplicate variant id 'fermeture' (first at line 5)");
}

TEST(ScenarioParserBadFiles, EmptyFile) {
    expect_refused(bad("empty.yaml"), bad("empty.yaml") + ":1:1", "the scenario file is empty");
}

TEST(ScenarioParserBadFiles, MissingTitle) {
    expect_refused(bad("missing_title.yaml"), bad("missing_title.yaml") + ":2:1", "field 'title': required key missing");
}

TEST(ScenarioParserBadFiles, NoAnalysis) {
    expect_refused(bad("no_analysis.yaml"), bad("no_analysis.yaml") + ":1:1", "field 'analyses': no analysis");
}

TEST(ScenarioParserBadFiles, MissingFile) {
    std::string what = error_of([] { parse_scenario_file(bad("does_not_exist.yaml")); });
    EXPECT_EQ(what, bad("does_not_exist.yaml") + ": file not found (the scenario file)");
}

// A directory, a FIFO, a device or a symbolic link loop is refused by name, never read.
TEST(ScenarioParserBadFiles, NotARegularFile) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("maillage-scenario-files-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "a_directory.yaml");
    fs::create_symlink("loop.yaml", dir / "loop.yaml");
    const std::string directory = error_of([&] { parse_scenario_file(dir / "a_directory.yaml"); });
    EXPECT_NE(directory.find("not a regular file (a directory, the scenario file)"), std::string::npos) << directory;
    const std::string device = error_of([] { parse_scenario_file("/dev/zero"); });
    EXPECT_NE(device.find("/dev/zero: not a regular file (a character device"), std::string::npos) << device;
    const std::string loop = error_of([&] { parse_scenario_file(dir / "loop.yaml"); });
    EXPECT_NE(loop.find("loop.yaml: cannot be read (the scenario file): "), std::string::npos) << loop;
    std::ofstream(dir / "extends_loop.yaml") << "title: t\nextends: loop.yaml\nanalyses:\n  coverage:\n    - {category: gp}\n";
    const std::string extends = error_of([&] { parse_scenario_file(dir / "extends_loop.yaml"); });
    EXPECT_NE(extends.find("extends_loop.yaml:2:10: field 'extends': extends "), std::string::npos) << extends;
    EXPECT_NE(extends.find("loop.yaml: cannot be read"), std::string::npos) << extends;
    fs::remove_all(dir);
}

// Smaller failure modes, as inline texts.
TEST(ScenarioParserBadText, Structure) {
    expect_text_refused("- title: t\n", "1:1", "the top level of a scenario must be a mapping");
    expect_text_refused("title: t\n---\ntitle: u\n", "2:1", "a second YAML document");
    expect_text_refused(kMinimal + "analyse: {}\n", "4:1", "field 'analyse': unknown key — did you mean 'analyses'?");
    expect_text_refused(kMinimal + "zzz: 1\n", "4:1", "field 'zzz': unknown key (expected one of: title,");
    expect_text_refused(kMinimal + "study: [a]\n", "4:8", "field 'study': expected a mapping");
    expect_text_refused(kMinimal + "notes: x\n", "4:8", "field 'notes': expected a list");
    expect_text_refused("title: t\nanalyses:\n  coverage: [{category: gp}, {category: gp}]\n", "3:41",
                        "analyses.coverage[1]: field 'category': a second coverage analysis of 'gp' (first at line 3)");
    expect_text_refused("title: !!str t\n", "1:8", "YAML tags (tag:yaml.org,2002:str) are not supported");
    expect_text_refused("title: &t x\nquestion: *t\n", "1:8", "(&t) are not supported");
}

TEST(ScenarioParserBadText, Values) {
    expect_text_refused(kMinimal + "demand: {step_m: '500'}\n", "4:18", "got the text \"500\" (remove the quotes)");
    expect_text_refused(kMinimal + "demand: {step_m: 0}\n", "4:18", "field 'step_m': must be greater than 0, got 0");
    expect_text_refused(kMinimal + "demand: {method: raster}\n", "4:18", "unknown demand method 'raster' (expected point or grid)");
    expect_text_refused(kMinimal + "title2: x\n", "4:1", "did you mean 'title'?");
    expect_text_refused("title:\nanalyses:\n  coverage: [{category: gp}]\n", "1:1", "field 'title': no value");
    expect_text_refused("title: t\nanalyses:\n  coverage: [{category: France Services}]\n", "3:25",
                        "'France Services' is not a category key");
    expect_text_refused("title: t\nanalyses:\n  coverage: [{category: gp, catchments: oui}]\n", "3:41",
                        "expected true or false, got 'oui'");
    expect_text_refused("title: t\nanalyses:\n  coverage: [{category: gp, thresholds: [10, -5]}]\n", "3:46",
                        "must be greater than 0, got -5");
    expect_text_refused("title: t\nanalyses:\n  access: [{max_ages: [60, 130]}]\n", "3:28",
                        "out of range: 130 (expected a whole number from 18 to 120)");
    expect_text_refused("title: t\nanalyses:\n  access: [{max_ages: 60.5}]\n", "3:23", "expected a whole number, got 60.5");
    expect_text_refused(kMinimal + "network: {spec: 'tomtom:x'}\n", "4:17", "unknown kind 'tomtom'");
}

TEST(ScenarioParserBadText, Changes) {
    auto variant = [](const std::string& change) {
        return kMinimal + "variants:\n  - id: v\n    changes:\n      - " + change + "\n";
    };
    // Every change below starts at line 7, column 9.
    expect_text_refused(variant("add: {name: x, commune: '86194'}"), "7:14", "field 'category': required key missing");
    expect_text_refused(variant("add: {category: gp, lon: 0.3}"), "7:29", "field 'lon': 'lon' without 'lat'");
    expect_text_refused(variant("add: {category: gp}"), "7:14", "no position: give commune");
    expect_text_refused(variant("add: {category: gp, lon: 0.3, lat: 95}"), "7:44",
                        "field 'lat': out of range: 95 (expected a latitude in degrees, -90 to 90)");
    expect_text_refused(variant("add: {category: gp, x: 520000, y: 46.5}"), "7:43", "y from 6000000 to 7200000");
    expect_text_refused(variant("add: {category: gp, commune: '1001'}"), "7:38", "write \"01001\"");
    expect_text_refused(variant("add: {category: gp, commune: '8619X'}"), "7:38", "'8619X' is not an INSEE code");
    expect_text_refused(variant("close: {category: gp}"), "7:16", "'close' needs the site's id or its name");
    expect_text_refused(variant("close: {id: a, name: b}"), "7:24", "field 'name': give the site's id or its name, not both");
    expect_text_refused(variant("move: {id: a, commune: '86194'}"), "7:15", "field 'to': required key missing");
    expect_text_refused(variant("move: {id: a, to: {commune: '86194', x: 5, y: 6}}"), "7:46", "a second position");
    expect_text_refused(variant("capacity: {id: a}"), "7:19", "'capacity' needs places, fte or both");
    expect_text_refused(variant("capacity: {id: a, places: -3}"), "7:35", "must be greater than 0");
    expect_text_refused(variant("depart: {category: gp}"), "7:17", "'depart' needs max_age");
    expect_text_refused(variant("depart: {category: gp, max_age: 60, share: 0.5}"), "7:45", "field 'share': give max_age or share, not both");
    expect_text_refused(variant("depart: {share: 0.5}"), "7:17", "field 'category': required key missing");
    expect_text_refused(variant("depart: {category: gp, max_age: 12}"), "7:41", "out of range: 12");
    expect_text_refused(variant("depart: {category: gp, share: 0.2, epcis: [2486]}"), "7:52", "is not an EPCI SIREN");
    expect_text_refused(variant("add: {category: gp, commune: '86194'}\n        close: {id: x}"), "8:9",
                        "field 'close': a change has exactly one key (add, close, move, capacity or depart): start a new");
    expect_text_refused(variant("add:\n        category: gp"), "8:9",
                        "field 'category': a change has exactly one key (add, close, move, capacity or depart): "
                        "indent the fields of 'add' under it");
    expect_text_refused(variant("ad: {category: gp}"), "7:9", "field 'ad': unknown key — did you mean 'add'?");
    expect_text_refused(variant("{}"), "7:9", "empty change");
}

TEST(ScenarioParserBadText, Variants) {
    expect_text_refused(kMinimal + "variants:\n  - id: Montmorillon\n    changes: [{close: {id: x}}]\n", "5:9",
                        "'Montmorillon' is not a valid variant id");
    expect_text_refused(kMinimal + "variants:\n  - id: v\n    changes: []\n", "6:14", "a variant needs at least one change");
    expect_text_refused(kMinimal + "variants:\n  - title: x\n    changes: [{close: {id: x}}]\n", "5:5",
                        "variants[0]: field 'id': required key missing");
}

// ---------------------------------------------------------------------------------------------
// optimise: location-allocation items.

TEST(ScenarioParserOptimise, ReadsEveryKeyAndTheDefaults) {
    const fs::path dir = maillage::testing::fresh_dir("parser_optimise") / "scenarios";
    fs::create_directories(dir);
    const std::string text =
        "title: t\n"
        "analyses:\n"
        "  coverage: [{category: gp}]\n"
        "variants:\n"
        "  - id: v\n"
        "    changes: [{close: {id: x}}]\n"
        "optimise:\n"
        "  - id: couvrir\n"
        "    title: \"Couvrir toute la Vienne\"\n"
        "    category: auto_ecole_solidaire\n"
        "    problem: lscp\n"
        "    max_minutes: 25.5\n"
        "    share: 0.9\n"
        "    curve: 12\n"
        "    existing: free\n"
        "    candidates: {file: ../candidats/points.csv, crs: \"EPSG:2154\", epcis: [\"200070043\"], territories: [TS-MONTMORILLON]}\n"
        "    solver: exact\n"
        "    time_limit_s: 5\n"
        "  - id: capacite\n"
        "    category: ram_rpe\n"
        "    problem: cmclp\n"
        "    k: 2\n"
        "    capacity: 1500\n"
        "    capacity_per_unit: 1000\n"
        "    candidates: {grid_km: 2.5, territories: [TS-MONTMORILLON]}\n"
        "  - {id: defauts, category: gp, k: 1}\n"
        "  - id: liste\n"
        "    category: gp\n"
        "    problem: pmedian\n"
        "    k: 3\n"
        "    solver: heuristic\n"
        "    candidates: {communes: [\"86165\", 86137], min_population: 1000}\n"
        "  - {id: toutes, category: gp, problem: mclp, k: 1000, candidates: {communes: all}}\n";
    const fs::path file = dir / "optimise.yaml";
    maillage::testing::write_text(file, text);
    ScenarioSpec s = parse_scenario_file(file);
    const std::string f = file.string();

    ASSERT_EQ(s.variants.size(), 1u) << "optimise items are not variants of the spec";
    ASSERT_EQ(s.optimise.size(), 5u);
    const OptimiseSpec& lscp = s.optimise[0];
    EXPECT_EQ(lscp.id, "couvrir");
    EXPECT_EQ(lscp.title, "Couvrir toute la Vienne");
    EXPECT_EQ(lscp.mark.str(), f + ":" + position_of(text, "id: couvrir"));
    EXPECT_EQ(lscp.mark.path, "optimise[0]");
    EXPECT_EQ(lscp.category, "auto_ecole_solidaire");
    EXPECT_EQ(lscp.problem, "lscp");
    EXPECT_FALSE(lscp.k);
    EXPECT_EQ(lscp.max_minutes, 25.5);
    EXPECT_EQ(lscp.share, 0.9);
    EXPECT_EQ(lscp.curve, 12);
    EXPECT_FALSE(lscp.existing_fixed);
    EXPECT_EQ(lscp.candidates.kind, "file");
    // Relative to the scenario's directory, lexically normalised, like every path.
    EXPECT_EQ(lscp.candidates.file, (dir / "../candidats/points.csv").lexically_normal().string());
    EXPECT_EQ(lscp.candidates.crs, "EPSG:2154");
    EXPECT_EQ(lscp.candidates.epcis, std::vector<std::string>{"200070043"});
    EXPECT_EQ(lscp.candidates.territories, std::vector<std::string>{"TS-MONTMORILLON"});
    EXPECT_TRUE(lscp.candidates.communes.empty());
    EXPECT_FALSE(lscp.capacity);
    EXPECT_EQ(lscp.solver, "exact");
    EXPECT_EQ(lscp.time_limit_s, 5.0);

    const OptimiseSpec& cmclp = s.optimise[1];
    EXPECT_EQ(cmclp.id, "capacite");
    EXPECT_EQ(cmclp.title, "");
    EXPECT_EQ(cmclp.problem, "cmclp");
    EXPECT_EQ(cmclp.k, 2);
    EXPECT_EQ(cmclp.capacity, 1500.0);
    EXPECT_EQ(cmclp.capacity_per_unit, 1000.0);
    EXPECT_EQ(cmclp.candidates.kind, "grid");
    EXPECT_EQ(cmclp.candidates.grid_km, 2.5);
    EXPECT_EQ(cmclp.candidates.territories, std::vector<std::string>{"TS-MONTMORILLON"});
    EXPECT_TRUE(cmclp.candidates.file.empty());

    // Defaults: mclp, 30 minutes, everyone, no curve, existing sites fixed, every commune, both solvers, 60 s.
    const OptimiseSpec& d = s.optimise[2];
    EXPECT_EQ(d.id, "defauts");
    EXPECT_EQ(d.mark.str(), f + ":" + position_of(text, "{id: defauts"));
    EXPECT_EQ(d.problem, "mclp");
    EXPECT_EQ(d.k, 1);
    EXPECT_EQ(d.max_minutes, 30.0);
    EXPECT_EQ(d.share, 1.0);
    EXPECT_EQ(d.curve, 0);
    EXPECT_TRUE(d.existing_fixed);
    EXPECT_EQ(d.candidates.kind, "communes");
    EXPECT_EQ(d.candidates.min_population, 0.0);
    EXPECT_TRUE(d.candidates.communes.empty());
    EXPECT_TRUE(d.candidates.epcis.empty());
    EXPECT_TRUE(d.candidates.territories.empty());
    EXPECT_EQ(d.candidates.crs, "EPSG:4326");
    EXPECT_FALSE(d.capacity);
    EXPECT_FALSE(d.capacity_per_unit);
    EXPECT_EQ(d.solver, "both");
    EXPECT_EQ(d.time_limit_s, 60.0);

    const OptimiseSpec& list = s.optimise[3];
    EXPECT_EQ(list.problem, "pmedian");
    EXPECT_EQ(list.k, 3);
    EXPECT_EQ(list.solver, "heuristic");
    EXPECT_EQ(list.candidates.kind, "communes");
    EXPECT_EQ(list.candidates.communes, (std::vector<std::string>{"86165", "86137"}));  // unquoted 86137 is text
    EXPECT_EQ(list.candidates.min_population, 1000.0);

    const OptimiseSpec& all = s.optimise[4];
    EXPECT_EQ(all.k, 1000);
    EXPECT_EQ(all.candidates.kind, "communes");
    EXPECT_TRUE(all.candidates.communes.empty()) << "communes: all is every commune";
    if (!::testing::Test::HasFailure()) fs::remove_all(dir.parent_path());
}

TEST(ScenarioParserOptimise, AnOptimiseItemIsEnoughAnalysis) {
    ScenarioSpec s = parse_scenario_text("title: t\noptimise:\n  - {id: a, category: gp, k: 2}\n", "inline.yaml");
    EXPECT_TRUE(s.coverage.empty());
    ASSERT_EQ(s.optimise.size(), 1u);
    EXPECT_EQ(s.optimise[0].mark.str(), "inline.yaml:3:5");
}

TEST(ScenarioParserOptimise, TheScenarioLibraryParses) {
    for (const char* name : {"1-2-2_auto_ecoles_solidaires.yaml", "1-2-2_garage_solidaire.yaml"}) {
        const fs::path file = fs::path(MAILLAGE_SOURCE_DIR) / "scenarios" / name;
        if (!fs::exists(file)) continue;
        SCOPED_TRACE(name);
        std::string what = error_of([&] { parse_scenario_file(file); });
        EXPECT_EQ(what, "(accepted)");
        if (what != "(accepted)") continue;
        ScenarioSpec s = parse_scenario_file(file);
        EXPECT_FALSE(s.optimise.empty());
        for (const auto& o : s.optimise) {
            EXPECT_GT(o.mark.line, 0) << o.id;
            EXPECT_EQ(o.k.has_value(), o.problem != "lscp") << o.id;
        }
    }
}

TEST(ScenarioParserOptimise, ExtendsReplacesTheSameIdInPlace) {
    const fs::path dir = maillage::testing::fresh_dir("parser_optimise_extends");
    maillage::testing::write_text(dir / "base.yaml",
                                  "title: base\n"
                                  "optimise:\n"
                                  "  - {id: a, category: gp, k: 1}\n"
                                  "  - {id: b, category: gp, k: 2}\n");
    maillage::testing::write_text(dir / "top.yaml",
                                  "extends: base.yaml\n"
                                  "optimise:\n"
                                  "  - {id: c, category: gp, problem: lscp}\n"
                                  "  - {id: a, category: gp, k: 5}\n");
    ScenarioSpec s = parse_scenario_file(dir / "top.yaml");
    ASSERT_EQ(s.optimise.size(), 3u);
    EXPECT_EQ(s.optimise[0].id, "a");
    EXPECT_EQ(s.optimise[0].k, 5);
    EXPECT_EQ(s.optimise[0].mark.file, (dir / "top.yaml").string());
    EXPECT_EQ(s.optimise[1].id, "b");
    EXPECT_EQ(s.optimise[2].id, "c");
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

TEST(ScenarioParserOptimise, UnknownProblem) {
    const std::string text = with_optimise("  - {id: o, category: gp, problem: lcsp, k: 1}\n");
    expect_refused_at(text, "lcsp",
                      "optimise[0]: field 'problem': unknown problem 'lcsp' (expected lscp (fewest sites to cover), "
                      "mclp (best k sites), pmedian (least mean time), cmclp (with capacities)");
}

TEST(ScenarioParserOptimise, KMissingForMclpPmedianCmclp) {
    // Refused at the item, naming the key.
    std::string text = with_optimise("  - id: o\n    category: gp\n    problem: mclp\n");
    expect_refused_at(text, "id: o", "optimise[0]: field 'k': required key missing (expected the number of new sites, e.g. k: 3)");
    text = with_optimise("  - {id: o, category: gp}\n");  // mclp is the default problem
    expect_refused_at(text, "{id: o", "field 'k': required key missing");
    text = with_optimise("  - {id: o, category: gp, problem: pmedian}\n");
    expect_refused_at(text, "{id: o", "field 'k': required key missing");
    text = with_optimise("  - {id: o, category: gp, problem: cmclp, capacity: 100}\n");
    expect_refused_at(text, "{id: o", "field 'k': required key missing");
}

TEST(ScenarioParserOptimise, KGivenForLscp) {
    const std::string text = with_optimise("  - id: o\n    category: gp\n    problem: lscp\n    k: 3\n");
    expect_refused_at(text, "k: 3", "optimise[0]: field 'k': lscp finds the number of sites itself: remove k");
}

TEST(ScenarioParserOptimise, KOutOfRange) {
    expect_refused_at(with_optimise("  - {id: o, category: gp, k: 0}\n"), "0}",
                      "field 'k': out of range: 0 (expected a whole number from 1 to 1000)");
    expect_refused_at(with_optimise("  - {id: o, category: gp, k: 2.5}\n"), "2.5", "field 'k': expected a whole number, got 2.5");
    expect_refused_at(with_optimise("  - {id: o, category: gp, k: \"3\"}\n"), "\"3\"", "got the text \"3\" (remove the quotes)");
}

TEST(ScenarioParserOptimise, ShareOnlyWithLscp) {
    std::string text = with_optimise("  - {id: o, category: gp, k: 2, share: 0.9}\n");
    expect_refused_at(text, "share", "optimise[0]: field 'share': share goes with problem: lscp");
    text = with_optimise("  - {id: o, category: gp, problem: pmedian, k: 2, share: 0.9}\n");
    expect_refused_at(text, "share", "field 'share': share goes with problem: lscp");
    text = with_optimise("  - {id: o, category: gp, problem: lscp, share: 0}\n");
    expect_refused_at(text, "0}", "field 'share': out of range: 0 (expected a fraction of the population, 0.01 to 1)");
    text = with_optimise("  - {id: o, category: gp, problem: lscp, share: 1.5}\n");
    expect_refused_at(text, "1.5", "field 'share': out of range: 1.5");
}

TEST(ScenarioParserOptimise, CapacityWithCmclpOnly) {
    std::string text = with_optimise("  - id: o\n    category: gp\n    problem: cmclp\n    k: 2\n    capacity_per_unit: 10\n");
    expect_refused_at(text, "id: o",
                      "optimise[0]: field 'capacity': required key missing (expected the inhabitants a new site can "
                      "serve, e.g. capacity: 1500)");
    text = with_optimise("  - {id: o, category: gp, k: 2, capacity: 1500}\n");
    expect_refused_at(text, "capacity", "field 'capacity': capacity goes with problem: cmclp");
    text = with_optimise("  - {id: o, category: gp, k: 2, capacity_per_unit: 10}\n");
    expect_refused_at(text, "capacity_per_unit", "field 'capacity_per_unit': capacity_per_unit goes with problem: cmclp");
    text = with_optimise("  - {id: o, category: gp, problem: cmclp, k: 2, capacity: -5}\n");
    expect_refused_at(text, "-5", "field 'capacity': must be greater than 0, got -5");
}

TEST(ScenarioParserOptimise, UnknownKeySuggestsTheNearest) {
    std::string text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    max_minute: 20\n");
    expect_refused_at(text, "max_minute",
                      "optimise[0]: field 'max_minute': unknown key — did you mean 'max_minutes'? (expected one of: id, "
                      "title, category, problem, k, max_minutes, share, curve, existing, candidates, capacity, "
                      "capacity_per_unit, solver, time_limit_s");
    text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    candidates: {gridkm: 5}\n");
    expect_refused_at(text, "gridkm", "optimise[0].candidates: field 'gridkm': unknown key — did you mean 'grid_km'? "
                                      "(expected one of: communes, min_population, epcis, territories, file, crs, grid_km");
    text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    candidates: {grid: 5}\n");
    expect_refused_at(text, "grid", "optimise[0].candidates: field 'grid': unknown key (expected one of:");
    text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    candidates: {min_pop: 5}\n");
    expect_refused_at(text, "min_pop", "field 'min_pop': unknown key");
    text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    zzz: 1\n");
    expect_refused_at(text, "zzz", "field 'zzz': unknown key (expected one of: id,");
}

TEST(ScenarioParserOptimise, CandidatesFromAFileOrAGridNotBoth) {
    std::string text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    candidates: {file: c.csv, grid_km: 5}\n");
    expect_refused_at(text, "{file",
                      "optimise[0].candidates: field 'file': give either candidate points from a file or a grid, not both");
    text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    candidates: {grid_km: 5, communes: [\"86165\"]}\n");
    expect_refused_at(text, "communes",
                      "field 'communes': a list of communes goes with commune candidates, not with a file or a grid");
    text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    candidates: {file: c.csv, min_population: 100}\n");
    expect_refused_at(text, "min_population", "field 'min_population': min_population goes with commune candidates");
}

TEST(ScenarioParserOptimise, GridKmOutOfRange) {
    for (const char* km : {"60", "0.2", "0"}) {
        SCOPED_TRACE(km);
        std::string text = with_optimise("  - id: o\n    category: gp\n    k: 2\n    candidates: {grid_km: " + std::string(km) + "}\n");
        expect_refused_at(text, std::string(km) + "}",
                          "optimise[0].candidates: field 'grid_km': out of range: " + std::string(km) +
                              " (expected kilometres, 0.5 to 50)");
    }
}

TEST(ScenarioParserOptimise, OtherValues) {
    auto item = [](const std::string& more) { return with_optimise("  - {id: o, category: gp, k: 2, " + more + "}\n"); };
    expect_refused_at(item("existing: libre"), "libre",
                      "field 'existing': unknown value 'libre' (expected fixed (existing sites stay) or free)");
    expect_refused_at(item("solver: cbc"), "cbc", "field 'solver': unknown solver 'cbc' (expected heuristic, exact or both)");
    expect_refused_at(item("max_minutes: 0.2"), "0.2", "field 'max_minutes': out of range: 0.2 (expected minutes, 0.5 to 600)");
    expect_refused_at(item("max_minutes: 601"), "601", "field 'max_minutes': out of range: 601");
    expect_refused_at(item("curve: 0"), "0}", "field 'curve': out of range: 0 (expected a whole number from 1 to 200)");
    expect_refused_at(item("time_limit_s: 0"), "0}", "field 'time_limit_s': out of range: 0");
    expect_refused_at(item("candidates: all"), "all", "field 'candidates': expected a mapping");
    expect_refused_at(item("candidates: {epcis: [2486]}"), "2486", "'2486' is not an EPCI SIREN");
    expect_refused_at(item("candidates: {communes: ['1001']}"), "'1001'", "write \"01001\"");
    expect_refused_at(item("candidates: {communes: alle}"), "alle", "field 'communes': expected a list");
    expect_refused_at(item("candidates: {min_population: -1}"), "-1", "field 'min_population': out of range: -1");
    expect_refused_at(with_optimise("  - {id: o, k: 2}\n"), "{id: o", "optimise[0]: field 'category': required key missing");
    expect_refused_at(with_optimise("  - {category: gp, k: 2}\n"), "{category", "optimise[0]: field 'id': required key missing", 1);
    expect_refused_at(with_optimise("  - {id: o, category: France Services, k: 2}\n"), "France Services",
                      "'France Services' is not a category key");
    expect_refused_at(with_optimise("  - {id: Couvrir, category: gp, k: 2}\n"), "Couvrir", "'Couvrir' is not a valid variant id");
    expect_refused_at(kMinimal + "optimise: {id: o}\n", "{id: o", "field 'optimise': expected a list");
}

TEST(ScenarioParserOptimise, ReservedIds) {
    expect_refused_at(with_optimise("  - {id: baseline, category: gp, k: 2}\n"), "baseline",
                      "optimise[0]: field 'id': 'baseline' is reserved (the output folder of the reference situation)");
    expect_refused_at(with_optimise("  - {id: optimise, category: gp, k: 2}\n"), "optimise,",
                      "optimise[0]: field 'id': 'optimise' is reserved (the output folder of the optimisations)");
    // A variant cannot be called `optimise` either: its folder would be DIR/optimise/.
    expect_refused_at(kMinimal + "variants:\n  - id: optimise\n    changes: [{close: {id: x}}]\n", "optimise\n",
                      "variants[0]: field 'id': 'optimise' is reserved");
}

TEST(ScenarioParserOptimise, DuplicateOptimiseId) {
    const std::string text = with_optimise("  - {id: a, category: gp, k: 1}\n  - {id: b, category: gp, k: 1}\n"
                                           "  - {id: a, category: gp, k: 2}\n");
    expect_refused_at(text, "a,", "optimise[2]: field 'id': duplicate optimise id 'a' (first at line 5)", 1);
}

// The optimise item becomes a variant named by its id: a variant of the same id would share its
// output folder and its place in comparison.json. Refused at the optimise item's id.
TEST(ScenarioParserOptimise, OptimiseIdEqualToAVariantId) {
    const std::string text = kMinimal +
                             "variants:\n  - id: v\n    changes: [{close: {id: x}}]\n"
                             "optimise:\n  - {id: o, category: gp, k: 1}\n  - {id: v, category: gp, k: 1}\n";
    std::string what = error_of([&] { parse_scenario_text(text, "inline.yaml"); });
    EXPECT_NE(what.find("the optimise id 'v' is also a variant id"), std::string::npos) << what;
    EXPECT_TRUE(what.starts_with("inline.yaml:" + position_of(text, "v,") + ": optimise[1]: field 'id': ")) << what;
}

TEST(ScenarioParserOptimise, OptimiseIdEqualToAVariantIdAcrossExtends) {
    const fs::path dir = maillage::testing::fresh_dir("parser_optimise_clash");
    const std::string variant = "variants:\n  - id: x\n    changes: [{close: {id: s}}]\n";
    const std::string optimise = "optimise:\n  - {id: x, category: gp, k: 1}\n";
    // The variant in the base, the optimise item in the extending file.
    maillage::testing::write_text(dir / "base_variant.yaml", kMinimal + variant);
    maillage::testing::write_text(dir / "top_optimise.yaml", "extends: base_variant.yaml\n" + optimise);
    std::string what = error_of([&] { parse_scenario_file(dir / "top_optimise.yaml"); });
    EXPECT_NE(what.find("the optimise id 'x' is also a variant id"), std::string::npos) << what;
    EXPECT_TRUE(what.starts_with((dir / "top_optimise.yaml").string() + ":3:")) << what;
    // The optimise item in the base, the variant in the extending file.
    maillage::testing::write_text(dir / "base_optimise.yaml", kMinimal + optimise);
    maillage::testing::write_text(dir / "top_variant.yaml", "extends: base_optimise.yaml\n" + variant);
    what = error_of([&] { parse_scenario_file(dir / "top_variant.yaml"); });
    EXPECT_NE(what.find("'x'"), std::string::npos) << "a variant and an optimise item both named x:\n" << what;
    EXPECT_TRUE(what.starts_with((dir / "top_variant.yaml").string() + ":3:")) << what;
    if (!::testing::Test::HasFailure()) fs::remove_all(dir);
}

// The keys of the itinerant and access problems: read, and refused where they do not belong.
TEST(ScenarioParserOptimise, ItinerantAndAccessKeys) {
    auto spec = parse_scenario_text(kMinimal +
                                        "optimise:\n"
                                        "  - {id: tour, category: france_services, problem: itinerant, k: 4, base: \"86165\",\n"
                                        "     beyond_categories: [france_services, mds], beyond_minutes: 25,\n"
                                        "     day_budget_minutes: 120, stops_per_day: 3}\n"
                                        "  - {id: gp, category: gp, problem: access, k: 2, fte: 1.5, threshold_per_100k: 80}\n",
                                    "inline.yaml");
    ASSERT_EQ(spec.optimise.size(), 2u);
    EXPECT_EQ(spec.optimise[0].base, "86165");
    EXPECT_EQ(spec.optimise[0].beyond_categories, (std::vector<std::string>{"france_services", "mds"}));
    EXPECT_EQ(*spec.optimise[0].beyond_minutes, 25);
    EXPECT_EQ(spec.optimise[0].day_budget_minutes, 120);
    EXPECT_EQ(spec.optimise[0].stops_per_day, 3);
    EXPECT_EQ(spec.optimise[1].fte, 1.5);
    EXPECT_EQ(*spec.optimise[1].threshold_per_100k, 80);
    // An itinerant tour needs its base; base goes with itinerant only, fte with access only.
    expect_text_refused(kMinimal + "optimise:\n  - {id: t, category: gp, problem: itinerant, k: 2}\n", "5:5",
                        "field 'base': required key missing");
    expect_text_refused(kMinimal + "optimise:\n  - {id: t, category: gp, problem: mclp, k: 2, base: \"86165\"}\n", "5:48",
                        "base goes with problem: itinerant");
    expect_text_refused(kMinimal + "optimise:\n  - {id: t, category: gp, problem: mclp, k: 2, fte: 1}\n", "5:48",
                        "fte goes with problem: access");
    expect_text_refused(kMinimal + "optimise:\n  - {id: t, category: gp, problem: access, k: 2, fte: 0}\n", "5:55",
                        "out of range");
}

TEST(ScenarioParserBadFiles, MarginMustBeMoreThanZeroAndAtMost200Km) {
    for (const char* margin : {"0", "-5", "250"}) {
        const std::string text = std::string("title: t\nstudy:\n  margin_km: ") + margin +
                                 "\nanalyses:\n  coverage:\n    - category: gp\n";
        try {
            (void)parse_scenario_text(text, "margin.yaml");
            ADD_FAILURE() << "margin_km " << margin << " accepted";
        } catch (const InputError& e) {
            EXPECT_NE(std::string(e.what()).find("kilometres, more than 0 and at most 200"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("margin.yaml:3"), std::string::npos) << e.what();
        }
    }
}
