// QGIS styles of the coverage layers (output/qml_style.hpp): well-formed XML (read back with
// expat), the classes, labels and colours of output/time_classes.hpp, rules that put every time
// in exactly the class time_class_index gives; and the GeoPackage's `layer_styles` table.
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <memory>
#include <optional>

#include <expat.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include "geo/ogr_ptr.hpp"
#include "output/gpkg_writer.hpp"
#include "output/qml_style.hpp"
#include "output/time_classes.hpp"
#include "support/square_communes.hpp"
#include "util/errors.hpp"

using namespace maillage;
using namespace maillage::testing;
namespace fs = std::filesystem;

namespace {

// A minimal DOM read with expat.
struct Element {
    std::string name;
    std::map<std::string, std::string> attributes;
    std::string text;
    std::vector<std::unique_ptr<Element>> children;
    Element* parent = nullptr;

    [[nodiscard]] std::string attr(const std::string& key) const {
        auto it = attributes.find(key);
        return it == attributes.end() ? std::string() : it->second;
    }
    [[nodiscard]] std::vector<const Element*> all(const std::string& tag) const {
        std::vector<const Element*> out;
        for (const auto& c : children) {
            if (c->name == tag) out.push_back(c.get());
            auto deeper = c->all(tag);
            out.insert(out.end(), deeper.begin(), deeper.end());
        }
        return out;
    }
    [[nodiscard]] const Element* child(const std::string& tag) const {
        for (const auto& c : children)
            if (c->name == tag) return c.get();
        return nullptr;
    }
    // <Option name="KEY" value="..."/> below this element.
    [[nodiscard]] std::string option(const std::string& key) const {
        for (const Element* o : all("Option"))
            if (o->attr("name") == key) return o->attr("value");
        return "";
    }
};

struct Parse {
    std::unique_ptr<Element> root;
    Element* current = nullptr;
    std::string error;
};

// Null if the text is not well-formed XML (error in `error`).
std::unique_ptr<Element> parse_xml(const std::string& text, std::string* error = nullptr) {
    Parse p;
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, &p);
    XML_SetElementHandler(
        parser,
        [](void* data, const XML_Char* name, const XML_Char** atts) {
            auto* p = static_cast<Parse*>(data);
            auto e = std::make_unique<Element>();
            e->name = name;
            for (int i = 0; atts[i]; i += 2) e->attributes[atts[i]] = atts[i + 1];
            e->parent = p->current;
            Element* raw = e.get();
            if (p->current) p->current->children.push_back(std::move(e));
            else p->root = std::move(e);
            p->current = raw;
        },
        [](void* data, const XML_Char*) {
            auto* p = static_cast<Parse*>(data);
            p->current = p->current->parent;
        });
    XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* s, int len) {
        auto* p = static_cast<Parse*>(data);
        if (p->current) p->current->text.append(s, static_cast<std::size_t>(len));
    });
    const bool ok = XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_OK;
    if (!ok && error)
        *error = std::string(XML_ErrorString(XML_GetErrorCode(parser))) + " at line " +
                 std::to_string(XML_GetCurrentLineNumber(parser));
    XML_ParserFree(parser);
    return ok ? std::move(p.root) : nullptr;
}

std::unique_ptr<Element> must_parse(const std::string& text) {
    std::string error;
    auto root = parse_xml(text, &error);
    EXPECT_TRUE(root) << error << "\n" << text;
    return root;
}

// Evaluates the few QGIS expressions the styles use, on one field: `"f" <= a`, `"f" > a`,
// `"f" > a AND "f" <= b`, `"f" IS NULL` (nullopt = NULL). Fails the test on anything else.
bool matches(const std::string& filter, const std::string& field, std::optional<double> value) {
    const std::string f = "\"" + field + "\"";
    if (filter == f + " IS NULL") return !value;
    bool all = true;
    std::size_t start = 0;
    while (start < filter.size()) {
        std::size_t end = filter.find(" AND ", start);
        std::string term = filter.substr(start, end == std::string::npos ? std::string::npos : end - start);
        start = end == std::string::npos ? filter.size() : end + 5;
        if (term.rfind(f + " ", 0) != 0) {
            ADD_FAILURE() << "unexpected term " << term;
            return false;
        }
        std::string rest = term.substr(f.size() + 1);
        auto space = rest.find(' ');
        std::string op = rest.substr(0, space);
        double bound = std::stod(rest.substr(space + 1));
        if (!value) return false;  // NULL compared to a number is NULL: no match
        if (op == "<=") all = all && *value <= bound;
        else if (op == ">") all = all && *value > bound;
        else {
            ADD_FAILURE() << "unexpected operator " << op;
            return false;
        }
    }
    return all;
}

const Element* symbol_named(const Element& root, const std::string& name) {
    for (const Element* s : root.all("symbol"))
        if (s->attr("name") == name) return s;
    return nullptr;
}

const std::vector<double> kBands = {10, 20, 30, 45};

}  // namespace

TEST(QmlStyle, ExpatRejectsBrokenXmlSoParsingMeansSomething) {
    EXPECT_TRUE(parse_xml("<qgis><a/></qgis>"));
    EXPECT_FALSE(parse_xml("<qgis><a></qgis>"));
    EXPECT_FALSE(parse_xml("<qgis label=\"a < b\"/>"));
    EXPECT_EQ(xml_escape("\"a\" < b & c > 'd'"), "&quot;a&quot; &lt; b &amp; c &gt; &apos;d&apos;");
    EXPECT_EQ(qgis_colour("#ffffb2"), "255,255,178,255");
    EXPECT_EQ(qgis_colour("#BD0026", 128), "189,0,38,128");
    EXPECT_THROW(qgis_colour("ffffb2"), std::invalid_argument);
}

TEST(QmlStyle, CommunesHaveExactlyTheReportClassesColoursAndLabels) {
    const auto classes = time_classes(kBands);
    ASSERT_EQ(classes.size(), 6u);
    const std::string qml = coverage_communes_qml(kBands);
    EXPECT_EQ(qml, coverage_communes_qml(kBands)) << "deterministic";
    auto root = must_parse(qml);
    ASSERT_TRUE(root);
    EXPECT_EQ(root->name, "qgis");
    EXPECT_TRUE(root->attr("version").starts_with("3.28")) << root->attr("version");
    const Element* renderer = root->child("renderer-v2");
    ASSERT_TRUE(renderer);
    EXPECT_EQ(renderer->attr("type"), "RuleRenderer");
    auto rules = renderer->all("rule");
    ASSERT_EQ(rules.size(), classes.size());
    std::set<std::string> keys;
    for (std::size_t i = 0; i < classes.size(); ++i) {
        SCOPED_TRACE(classes[i].label);
        EXPECT_EQ(rules[i]->attr("label"), classes[i].label);
        keys.insert(rules[i]->attr("key"));
        const Element* symbol = symbol_named(*root, rules[i]->attr("symbol"));
        ASSERT_TRUE(symbol);
        EXPECT_EQ(symbol->attr("type"), "fill");
        EXPECT_EQ(symbol->attr("alpha"), "1");
        EXPECT_EQ(symbol->option("color"), qgis_colour(classes[i].colour));
        EXPECT_EQ(symbol->option("outline_color"), "128,128,128,255");  // thin grey outline
        EXPECT_EQ(symbol->option("outline_width"), "0.1");
    }
    EXPECT_EQ(keys.size(), classes.size()) << "rule keys are unique";
    // The labels and colours of the report, spelled out once.
    EXPECT_EQ(rules[0]->attr("label"), "moins de 10 min");
    EXPECT_EQ(rules[1]->attr("label"), "10 à 20 min");
    EXPECT_EQ(rules[4]->attr("label"), "plus de 45 min");
    EXPECT_EQ(rules[5]->attr("label"), "inaccessible");
    EXPECT_EQ(rules[1]->attr("filter"), "\"mean_minutes\" > 10 AND \"mean_minutes\" <= 20");
    EXPECT_EQ(rules[5]->attr("filter"), "\"mean_minutes\" IS NULL");
    EXPECT_EQ(symbol_named(*root, rules[5]->attr("symbol"))->option("color"), "150,150,150,255");

    // Every time falls in exactly one rule: the class time_class_index gives (a bound belongs
    // to the class below it); no reachable site → "inaccessible".
    for (double m : {0.0, 3.0, 10.0, 10.1, 19.9, 20.0, 25.0, 30.0, 44.9, 45.0, 45.1, 120.0}) {
        std::size_t hits = 0, hit = 0;
        for (std::size_t r = 0; r < rules.size(); ++r)
            if (matches(rules[r]->attr("filter"), "mean_minutes", m)) ++hits, hit = r;
        EXPECT_EQ(hits, 1u) << m;
        EXPECT_EQ(hit, time_class_index(classes, m, true)) << m;
    }
    std::size_t null_hits = 0;
    for (const Element* r : rules) null_hits += matches(r->attr("filter"), "mean_minutes", std::nullopt);
    EXPECT_EQ(null_hits, 1u);
    EXPECT_TRUE(matches(rules.back()->attr("filter"), "mean_minutes", std::nullopt));
    EXPECT_EQ(root->child("layerGeometryType")->text, "2");
}

TEST(QmlStyle, CatchmentsUseTheColourOfTheirBandLargestFirst) {
    const auto classes = time_classes(kBands);
    auto root = must_parse(catchments_qml(kBands));
    ASSERT_TRUE(root);
    const Element* renderer = root->child("renderer-v2");
    ASSERT_TRUE(renderer);
    EXPECT_EQ(renderer->attr("type"), "RuleRenderer");
    EXPECT_EQ(renderer->attr("symbollevels"), "1");
    EXPECT_EQ(renderer->attr("enableorderby"), "1");
    const Element* order = renderer->child("orderby");
    ASSERT_TRUE(order);
    ASSERT_TRUE(order->child("orderByClause"));
    EXPECT_EQ(order->child("orderByClause")->text, "\"band_minutes\"");
    EXPECT_EQ(order->child("orderByClause")->attr("asc"), "0");  // largest band drawn first
    auto rules = renderer->all("rule");
    ASSERT_EQ(rules.size(), kBands.size());
    int previous_pass = -1;
    for (std::size_t r = 0; r < rules.size(); ++r) {
        // Rule order: 45, 30, 20, 10.
        const std::size_t b = kBands.size() - 1 - r;
        SCOPED_TRACE(kBands[b]);
        EXPECT_EQ(rules[r]->attr("label"), classes[b].label);
        const Element* symbol = symbol_named(*root, rules[r]->attr("symbol"));
        ASSERT_TRUE(symbol);
        EXPECT_EQ(symbol->option("color"), qgis_colour(classes[b].colour));
        EXPECT_LT(std::stod(symbol->attr("alpha")), 1.0);  // semi-transparent
        EXPECT_GT(std::stod(symbol->attr("alpha")), 0.0);
        const Element* layer = symbol->child("layer");
        ASSERT_TRUE(layer);
        const int pass = std::stoi(layer->attr("pass"));
        EXPECT_GT(pass, previous_pass) << "a nearer band is drawn after (over) a farther one";
        previous_pass = pass;
    }
    // A catchment of band b (band_minutes = b) is drawn by exactly one rule: band b's colour.
    for (std::size_t b = 0; b < kBands.size(); ++b) {
        std::size_t hits = 0;
        std::string colour;
        for (const Element* r : rules)
            if (matches(r->attr("filter"), "band_minutes", kBands[b])) {
                ++hits;
                colour = symbol_named(*root, r->attr("symbol"))->option("color");
            }
        EXPECT_EQ(hits, 1u) << kBands[b];
        EXPECT_EQ(colour, qgis_colour(classes[b].colour)) << kBands[b];
    }
    // Half-minute bands (7.5) keep their class too.
    auto half = must_parse(catchments_qml({7.5, 15}));
    ASSERT_TRUE(half);
    auto half_rules = half->child("renderer-v2")->all("rule");
    ASSERT_EQ(half_rules.size(), 2u);
    EXPECT_EQ(half_rules[1]->attr("filter"), "\"band_minutes\" <= 7.5");
    EXPECT_EQ(half_rules[1]->attr("label"), "moins de 7,5 min");
}

TEST(QmlStyle, SitesAreDarkMarkersWithWhiteOutlineAndNoLabel) {
    auto root = must_parse(sites_qml());
    ASSERT_TRUE(root);
    EXPECT_EQ(root->attr("labelsEnabled"), "0");
    EXPECT_TRUE(root->all("labeling").empty());
    const Element* renderer = root->child("renderer-v2");
    ASSERT_TRUE(renderer);
    EXPECT_EQ(renderer->attr("type"), "singleSymbol");
    auto symbols = root->all("symbol");
    ASSERT_EQ(symbols.size(), 1u);
    EXPECT_EQ(symbols[0]->attr("type"), "marker");
    EXPECT_EQ(symbols[0]->child("layer")->attr("class"), "SimpleMarker");
    EXPECT_EQ(symbols[0]->option("outline_color"), "255,255,255,255");
    int r = 0, g = 0, b = 0;
    ASSERT_EQ(std::sscanf(symbols[0]->option("color").c_str(), "%d,%d,%d", &r, &g, &b), 3);
    EXPECT_LT(r + g + b, 3 * 64) << "dark";
    EXPECT_EQ(root->child("layerGeometryType")->text, "0");
}

// ---------------------------------------------------------------------------------------------
// The styles inside the GeoPackage, on a real `maillage coverage` run.

namespace {

struct StyledRun {
    fs::path dir, out;
    explicit StyledRun(const std::string& name) : dir(fresh_dir(name)), out(dir / "out") {
        write_text(dir / "communes.geojson", squares_geojson(three_in_a_row()));
        write_text(dir / "sites.csv", "id,name,x,y\nS1,Site A,501000,6601000\n");
    }
    CliResult run(const fs::path& to, const std::string& extra = "") const {
        return run_cli("coverage --communes " + (dir / "communes.geojson").string() + " --sites " +
                       (dir / "sites.csv").string() + " --crs EPSG:2154 --category france_services --network estimated:" +
                       MAILLAGE_TEST_DATA + "/coverage/round_parameters.json --thresholds 1,3,5 --cell-size 100 -o " +
                       to.string() + " " + extra);
    }
};

DatasetPtr open_vector(const fs::path& p) {
    ensure_gdal_initialised();
    return DatasetPtr(static_cast<GDALDataset*>(GDALOpenEx(p.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr)));
}

}  // namespace

TEST(GpkgLayerStyles, OneDefaultRowPerStyledLayerEqualToTheQmlFiles) {
    StyledRun f("gpkg_styles");
    auto r = f.run(f.out);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    DatasetPtr ds = open_vector(f.out / "coverage.gpkg");
    ASSERT_TRUE(ds);
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    ASSERT_TRUE(styles) << "QGIS finds the table through GDAL: it must be a registered layer";
    EXPECT_EQ(styles->GetGeomType(), wkbNone);
    std::map<std::string, std::string> by_layer;
    styles->ResetReading();
    while (OGRFeatureUniquePtr row{styles->GetNextFeature()}) {
        const std::string layer = row->GetFieldAsString("f_table_name");
        EXPECT_FALSE(by_layer.count(layer)) << "one row per layer: " << layer;
        by_layer[layer] = row->GetFieldAsString("styleQML");
        EXPECT_EQ(row->GetFieldAsInteger("useAsDefault"), 1) << layer;
        EXPECT_STREQ(row->GetFieldAsString("f_table_schema"), "") << layer;
        OGRLayer* target = ds->GetLayerByName(layer.c_str());
        ASSERT_TRUE(target) << layer;
        EXPECT_EQ(std::string(row->GetFieldAsString("f_geometry_column")), target->GetGeometryColumn()) << layer;
    }
    EXPECT_EQ(by_layer.size(), 3u);
    for (const char* layer : {"coverage_communes", "catchments", "sites"}) {
        ASSERT_TRUE(by_layer.count(layer)) << layer;
        const fs::path qml = f.out / (std::string(layer) + ".qml");
        ASSERT_TRUE(fs::is_regular_file(qml)) << qml;
        EXPECT_EQ(by_layer[layer], read_text(qml)) << layer;
        EXPECT_TRUE(parse_xml(by_layer[layer])) << layer;
    }
    // The styles follow the run's bands.
    EXPECT_EQ(by_layer["coverage_communes"], coverage_communes_qml({1, 3, 5}));
    EXPECT_EQ(by_layer["catchments"], catchments_qml({1, 3, 5}));

    // The query QGIS's OGR provider runs to load a layer's default style finds it.
    styles->SetAttributeFilter(
        "f_table_schema='' AND f_table_name='coverage_communes' AND f_geometry_column='geom' "
        "ORDER BY CASE WHEN useAsDefault THEN 1 ELSE 2 END,update_time DESC");
    OGRFeatureUniquePtr found{styles->GetNextFeature()};
    ASSERT_TRUE(found);
    EXPECT_EQ(std::string(found->GetFieldAsString("styleQML")), by_layer["coverage_communes"]);
    styles->SetAttributeFilter(nullptr);

    // Registered as an attribute table, the others as features.
    OGRLayer* contents = ds->ExecuteSQL("SELECT table_name, data_type FROM gpkg_contents ORDER BY table_name", nullptr, nullptr);
    ASSERT_TRUE(contents);
    std::map<std::string, std::string> types;
    while (OGRFeatureUniquePtr row{contents->GetNextFeature()}) types[row->GetFieldAsString(0)] = row->GetFieldAsString(1);
    ds->ReleaseResultSet(contents);
    EXPECT_EQ(types["layer_styles"], "attributes");
    EXPECT_EQ(types["sites"], "features");
    if (!HasFailure()) fs::remove_all(f.dir);
}

TEST(GpkgLayerStyles, TwoRunsGiveByteIdenticalFiles) {
    StyledRun f("gpkg_styles_det");
    ASSERT_EQ(f.run(f.out).exit_code, 0);
    ASSERT_EQ(f.run(f.dir / "again").exit_code, 0);
    std::size_t compared = 0;
    for (const auto& e : fs::directory_iterator(f.out)) {
        EXPECT_EQ(read_text(e.path()), read_text(f.dir / "again" / e.path().filename())) << e.path().filename();
        ++compared;
    }
    EXPECT_GE(compared, 12u);
    if (!HasFailure()) fs::remove_all(f.dir);
}

TEST(GpkgLayerStyles, AStyleForAnAbsentLayerIsAnOutputErrorAndWritesNothing) {
    fs::path dir = fresh_dir("gpkg_styles_bad");
    FeatureLayer layer{"sites", {}};
    Feature feature;
    feature.geometry.reset(new OGRPoint(501000, 6601000));
    feature.properties["site_id"] = "S1";
    layer.features.push_back(std::move(feature));
    EXPECT_THROW(write_gpkg(dir / "a.gpkg", {&layer}, {{"k", 1}}, {{"catchments", sites_qml(), ""}}), OutputError);
    EXPECT_FALSE(fs::exists(dir / "a.gpkg"));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), {}), 0) << "no temporary left behind";
    // Without styles: no layer_styles table at all; a layer of points is declared as points.
    write_gpkg(dir / "b.gpkg", {&layer}, {{"k", 1}});
    DatasetPtr ds = open_vector(dir / "b.gpkg");
    ASSERT_TRUE(ds);
    EXPECT_EQ(ds->GetLayerByName("layer_styles"), nullptr);
    ASSERT_TRUE(ds->GetLayerByName("sites"));
    EXPECT_EQ(ds->GetLayerByName("sites")->GetGeomType(), wkbPoint);
    if (!HasFailure()) fs::remove_all(dir);
}
