// Scenario files: the values read (with the `extends` merge and path resolution) and every
// refusal located at file:line:column with a message that says what to write instead.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "scenario/scenario_parser.hpp"
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

}  // namespace

TEST(ScenarioSourceMark, Formats) {
    EXPECT_EQ((SourceMark{"s.yaml", 12, 5}.str()), "s.yaml:12:5");
    EXPECT_EQ((SourceMark{"s.yaml", 0, 0}.str()), "s.yaml");
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
    EXPECT_EQ(what, bad("does_not_exist.yaml") + ": cannot open the scenario file");
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
