#include "scenario/scenario_parser.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include "network/network_spec.hpp"
#include "util/text_distance.hpp"
#include "util/errors.hpp"
#include "util/input_file.hpp"

namespace maillage {

namespace fs = std::filesystem;

const char* to_string(SiteChange::Kind kind) {
    switch (kind) {
        case SiteChange::Kind::add: return "add";
        case SiteChange::Kind::close: return "close";
        case SiteChange::Kind::move: return "move";
        case SiteChange::Kind::capacity: return "capacity";
        case SiteChange::Kind::depart: return "depart";
    }
    return "?";
}

std::string SourceMark::str() const {
    if (line <= 0) return file;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

namespace {

// ---------------------------------------------------------------------------------------------
// The text being read: its name in messages and the directory its relative paths start from
// (empty: the current directory).
struct Source {
    std::string label;
    fs::path dir;
};

[[noreturn]] void fail_at(const Source& src, int line, int column, const std::string& path, const std::string& field,
                          const std::string& message, const std::string& expected = {}) {
    throw InputError({SourceMark{src.label, line, column}.str(), path, field}, message, expected);
}

std::string join_path(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }
std::string item_path(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string line_ref(int line, int column) {
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// ---------------------------------------------------------------------------------------------
// Step 1: the YAML text as a tree that keeps every node's position. yaml-cpp's YAML::Node keeps
// only one of two duplicate keys and resolves aliases without a trace, so the tree is built from
// the parser's events, where both are visible.

struct YamlEntry;

struct YamlNode {
    enum class Kind { null, scalar, sequence, mapping };
    Kind kind = Kind::null;
    int line = 0, column = 0;        // 1-based
    std::string text;                // scalar
    bool quoted = false;             // written in quotes (or as a block scalar): a string for sure
    std::vector<YamlNode> items;     // sequence
    std::vector<YamlEntry> entries;  // mapping, in document order
};

struct YamlEntry {
    YamlNode key;
    YamlNode value;
};

const char* describe(const YamlNode& n) {
    switch (n.kind) {
        case YamlNode::Kind::null: return "nothing";
        case YamlNode::Kind::scalar: return "a single value";
        case YamlNode::Kind::sequence: return "a list";
        case YamlNode::Kind::mapping: return "a mapping";
    }
    return "?";
}

const YamlNode* child(const YamlNode& map, std::string_view key) {
    for (const auto& e : map.entries)
        if (e.key.text == key) return &e.value;
    return nullptr;
}

// yaml-cpp reports a tab in indentation as "illegal map value" somewhere after it; say what it is.
void refuse_tab_indentation(const std::string& text, const Source& src) {
    int line = 1;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        std::string_view row(text.data() + start, end - start);
        std::size_t content = row.find_first_not_of(" \t\r");
        std::size_t tab = row.find('\t');
        if (content != std::string_view::npos && tab < content)
            fail_at(src, line, static_cast<int>(tab) + 1, "", "",
                    "tab character in indentation: YAML indentation must use spaces");
        start = end + 1;
        ++line;
    }
}

class TreeBuilder : public YAML::EventHandler {
public:
    explicit TreeBuilder(const Source& src) : src_(src) {}

    [[nodiscard]] YamlNode take_root() { return std::move(root_); }

    void OnDocumentStart(const YAML::Mark& mark) override {
        if (++documents_ > 1)
            fail(mark, "", "", "a second YAML document ('---'): a scenario file holds exactly one");
    }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        refuse_anchor(mark, anchor);
        add(leaf(YamlNode::Kind::null, mark));
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { refuse_anchor_name(mark, "*"); }
    void OnAnchor(const YAML::Mark& mark, const std::string& name) override { refuse_anchor_name(mark, "&" + name); }
    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        check(mark, tag, anchor);
        YamlNode n = leaf(YamlNode::Kind::scalar, mark);
        n.text = value;
        n.quoted = tag == "!";  // yaml-cpp tags quoted and block scalars "!", plain ones "?"
        add(std::move(n));
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        check(mark, tag, anchor);
        open(leaf(YamlNode::Kind::sequence, mark));
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        check(mark, tag, anchor);
        open(leaf(YamlNode::Kind::mapping, mark));
    }
    void OnMapEnd() override { close(); }

private:
    // A sequence or mapping being filled; a mapping alternates key, value.
    struct Frame {
        YamlNode node;
        std::optional<YamlNode> key;
        std::string path;
    };

    [[noreturn]] void fail(const YAML::Mark& mark, const std::string& path, const std::string& field,
                           const std::string& message) const {
        fail_at(src_, mark.line + 1, mark.column + 1, path, field, message);
    }
    static YamlNode leaf(YamlNode::Kind kind, const YAML::Mark& mark) {
        YamlNode n;
        n.kind = kind;
        n.line = mark.line + 1;
        n.column = mark.column + 1;
        return n;
    }

    // Anchors would let one part of the file silently change another; `extends` is explicit.
    void refuse_anchor_name(const YAML::Mark& mark, const std::string& token) const {
        fail(mark, next_child_path(), "",
             "YAML anchors and aliases (" + token +
                 ") are not supported in scenario files: write the values out, or put the shared part in "
                 "a base file and use 'extends'");
    }
    void refuse_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) const {
        if (anchor != YAML::NullAnchor) refuse_anchor_name(mark, "&");
    }
    void check(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor) const {
        refuse_anchor(mark, anchor);
        if (tag != "?" && tag != "!" && !tag.empty())
            fail(mark, next_child_path(), "",
                 "YAML tags (" + tag + ") are not supported in scenario files: write plain values, quote texts");
    }

    // The path of the node about to be added, for messages about what it contains.
    std::string next_child_path() const {
        if (stack_.empty()) return "";
        const Frame& f = stack_.back();
        if (f.node.kind == YamlNode::Kind::sequence) return item_path(f.path, f.node.items.size());
        return f.key ? join_path(f.path, f.key->text) : f.path;
    }

    void open(YamlNode node) {
        if (!stack_.empty() && stack_.back().node.kind == YamlNode::Kind::mapping && !stack_.back().key)
            fail_at(src_, node.line, node.column, stack_.back().path, "",
                    "a key must be a plain word, not a list or mapping");
        std::string path = next_child_path();
        stack_.push_back({std::move(node), std::nullopt, std::move(path)});
    }

    void close() {
        YamlNode node = std::move(stack_.back().node);
        stack_.pop_back();
        add(std::move(node));
    }

    void add(YamlNode node) {
        if (stack_.empty()) {
            root_ = std::move(node);
            return;
        }
        Frame& f = stack_.back();
        if (f.node.kind == YamlNode::Kind::sequence) {
            f.node.items.push_back(std::move(node));
        } else if (!f.key) {
            add_key(f, std::move(node));
        } else {
            // yaml-cpp marks an empty value at the next token (often the next line): point at its key.
            if (node.kind == YamlNode::Kind::null) {
                node.line = f.key->line;
                node.column = f.key->column;
            }
            f.node.entries.push_back({std::move(*f.key), std::move(node)});
            f.key.reset();
        }
    }

    // yaml-cpp accepts duplicate keys and keeps one silently: a planner would never know which.
    void add_key(Frame& f, YamlNode key) {
        if (key.kind != YamlNode::Kind::scalar || key.text.empty())
            fail_at(src_, key.line, key.column, f.path, "", "a key must be a plain word");
        for (const auto& e : f.node.entries)
            if (e.key.text == key.text)
                fail_at(src_, key.line, key.column, f.path, key.text,
                        "duplicate key (first at " + line_ref(e.key.line, e.key.column) +
                            "): YAML would silently keep only one of them");
        f.key = std::move(key);
    }

    const Source& src_;
    std::vector<Frame> stack_;
    YamlNode root_;
    int documents_ = 0;
};

// The whole text as a tree whose root is a mapping.
YamlNode read_tree(const std::string& text, const Source& src) {
    refuse_tab_indentation(text, src);
    std::istringstream in(text);
    TreeBuilder builder(src);
    bool any = false;
    try {
        YAML::Parser parser(in);
        any = parser.HandleNextDocument(builder);
        if (any) parser.HandleNextDocument(builder);  // a second document fails in OnDocumentStart
    } catch (const YAML::Exception& e) {
        fail_at(src, e.mark.line + 1, e.mark.column + 1, "", "", "YAML syntax error: " + e.msg);
    }
    YamlNode root = builder.take_root();
    if (!any || root.kind == YamlNode::Kind::null)
        fail_at(src, 1, 1, "", "", "the scenario file is empty",
                "a mapping with at least 'title' and 'analyses'; see docs/SCENARIOS.md");
    if (root.kind != YamlNode::Kind::mapping)
        fail_at(src, root.line, root.column, "", "",
                std::string("the top level of a scenario must be a mapping of keys (title:, analyses:, ...), not ") +
                    describe(root));
    return root;
}

// ---------------------------------------------------------------------------------------------
// Step 2: reading the tree against the schema.

// The valid key a typo most likely meant: close enough to be the same word, never a guess.
std::string nearest_key(const std::string& key, const std::vector<std::string_view>& allowed) {
    return nearest_word(key, allowed);
}

std::string join(const std::vector<std::string_view>& words, const std::string& separator) {
    std::string out;
    for (auto w : words) {
        if (!out.empty()) out += separator;
        out += w;
    }
    return out;
}

// One `key: value` of a mapping, with what error messages need.
struct Field {
    const Source& src;
    std::string path;  // of the mapping holding the key
    const YamlNode& key;
    const YamlNode& value;

    [[nodiscard]] const std::string& name() const { return key.text; }
    [[nodiscard]] std::string value_path() const { return join_path(path, key.text); }
    // The same field pointing at one item of its list, so messages give the item's position.
    [[nodiscard]] Field item(const YamlNode& node) const { return {src, path, key, node}; }
    [[noreturn]] void fail(const std::string& message, const std::string& expected = {}) const {
        fail_at(src, value.line, value.column, path, key.text, message, expected);
    }
    [[noreturn]] void fail_key(const std::string& message, const std::string& expected = {}) const {
        fail_at(src, key.line, key.column, path, key.text, message, expected);
    }
};

// A YAML mapping read against the keys the schema allows at that place.
class MapView {
public:
    MapView(const Source& src, const YamlNode& node, std::string path, std::vector<std::string_view> allowed)
        : src_(src), node_(node), path_(std::move(path)) {
        for (const auto& e : node.entries) {
            if (std::find(allowed.begin(), allowed.end(), e.key.text) != allowed.end()) continue;
            std::string guess = nearest_key(e.key.text, allowed);
            fail_at(src, e.key.line, e.key.column, path_, e.key.text,
                    guess.empty() ? "unknown key" : "unknown key — did you mean '" + guess + "'?",
                    "one of: " + join(allowed, ", "));
        }
    }

    [[nodiscard]] std::optional<Field> get(std::string_view key) const {
        for (const auto& e : node_.entries)
            if (e.key.text == key) return Field{src_, path_, e.key, e.value};
        return std::nullopt;
    }
    [[nodiscard]] Field require(std::string_view key) const {
        if (auto f = get(key)) return *f;
        fail(std::string(key), "required key missing");
    }
    [[noreturn]] void fail(const std::string& field, const std::string& message,
                           const std::string& expected = {}) const {
        fail_at(src_, node_.line, node_.column, path_, field, message, expected);
    }
    [[nodiscard]] SourceMark mark() const { return {src_.label, node_.line, node_.column, path_}; }

private:
    const Source& src_;
    const YamlNode& node_;
    std::string path_;
};

// The value of F as a mapping (an empty value reads as an empty mapping).
MapView as_map(const Field& f, std::vector<std::string_view> allowed) {
    if (f.value.kind != YamlNode::Kind::mapping && f.value.kind != YamlNode::Kind::null)
        f.fail(std::string("expected a mapping (indented key: value lines or {key: value}), got ") + describe(f.value));
    return MapView(f.src, f.value, f.value_path(), std::move(allowed));
}

// The items of F's list (an empty value reads as an empty list).
const std::vector<YamlNode>& as_list(const Field& f) {
    static const std::vector<YamlNode> none;
    if (f.value.kind == YamlNode::Kind::null) return none;
    if (f.value.kind != YamlNode::Kind::sequence)
        f.fail(std::string("expected a list ('- ' lines or [a, b]), got ") + describe(f.value));
    return f.value.items;
}

// Item I of F's list, which must be a mapping.
MapView item_map(const Field& f, std::size_t i, std::vector<std::string_view> allowed) {
    const YamlNode& node = f.value.items[i];
    std::string path = item_path(f.value_path(), i);
    if (node.kind != YamlNode::Kind::mapping)
        fail_at(f.src, node.line, node.column, path, "",
                std::string("expected a mapping (key: value), got ") + describe(node));
    return MapView(f.src, node, path, std::move(allowed));
}

const YamlNode& scalar_of(const Field& f, const std::string& what) {
    if (f.value.kind == YamlNode::Kind::null) f.fail("no value", what);
    if (f.value.kind != YamlNode::Kind::scalar) f.fail("expected " + what + ", got " + describe(f.value));
    return f.value;
}

// Plain numbers and words are accepted as text (a title may be "2030").
std::string as_string(const Field& f) {
    const std::string& text = scalar_of(f, "a text").text;
    if (text.empty()) f.fail("empty text");
    return text;
}

double as_number(const Field& f) {
    const YamlNode& n = scalar_of(f, "a number");
    std::string_view text = n.text;
    if (text.starts_with('+')) text.remove_prefix(1);
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    bool number = ec == std::errc() && end == text.data() + text.size() && std::isfinite(v);
    if (!number) f.fail("expected a number, got '" + n.text + "'");
    // "30" in quotes is a text in YAML: refused so that every tool reading the file agrees.
    if (n.quoted) f.fail("expected a number, got the text \"" + n.text + "\" (remove the quotes)");
    return v;
}

double as_positive(const Field& f) {
    double v = as_number(f);
    if (v <= 0) f.fail("must be greater than 0, got " + f.value.text);
    return v;
}

double as_in_range(const Field& f, double lo, double hi, const std::string& what) {
    double v = as_number(f);
    if (v < lo || v > hi) f.fail("out of range: " + f.value.text, what);
    return v;
}

int as_integer_in(const Field& f, int lo, int hi) {
    double v = as_number(f);
    if (v != std::floor(v)) f.fail("expected a whole number, got " + f.value.text);
    if (v < lo || v > hi)
        f.fail("out of range: " + f.value.text, "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    return static_cast<int>(v);
}

bool as_bool(const Field& f) {
    const YamlNode& n = scalar_of(f, "true or false");
    const std::string t = ascii_lower(n.text);
    if (!n.quoted && t == "true") return true;
    if (!n.quoted && t == "false") return false;
    f.fail("expected true or false, got '" + n.text + "'");
}

std::string resolve_path(const fs::path& dir, const std::string& path) {
    fs::path p(path);
    if (p.is_absolute() || dir.empty()) return p.lexically_normal().string();
    return (dir / p).lexically_normal().string();
}

// A file named in the scenario: relative to the scenario file's directory.
std::string as_path(const Field& f) { return resolve_path(f.src.dir, as_string(f)); }

// Category keys are identifiers (geodata/service_catalogue.csv); a label written instead is caught here.
std::string as_category(const Field& f) {
    std::string text = as_string(f);
    bool ok = std::all_of(text.begin(), text.end(),
                          [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
    if (!ok)
        f.fail("'" + text + "' is not a category key",
               "a key of geodata/service_catalogue.csv such as france_services, gp, auto_ecole_solidaire");
    return text;
}

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// INSEE codes are texts of 5 characters; YAML reads an unquoted 01001 as the number 1001 in most
// tools, so a short number is refused with the padded code to write instead.
std::string as_insee(const Field& f) {
    const YamlNode& n = scalar_of(f, "an INSEE code");
    const std::string& t = n.text;
    const std::string expected = "5 characters: digits, or 2A/2B and 3 digits, e.g. \"86194\"";
    if (all_digits(t) && t.size() < 5) {
        std::string padded = std::string(5 - t.size(), '0') + t;
        f.fail(n.quoted ? "INSEE code \"" + t + "\" is too short: write \"" + padded + "\""
                        : "INSEE code " + t + " has lost its leading zero: write \"" + padded + "\" (quoted)",
               expected);
    }
    bool corsica = t.size() == 5 && (t.starts_with("2A") || t.starts_with("2B")) && all_digits(t.substr(2));
    if (!((t.size() == 5 && all_digits(t)) || corsica)) f.fail("'" + t + "' is not an INSEE code", expected);
    return t;
}

std::vector<std::string> as_string_list(const Field& f, std::string (*read)(const Field&)) {
    std::vector<std::string> out;
    for (const auto& item : as_list(f)) out.push_back(read(f.item(item)));
    return out;
}

std::string as_siren(const Field& f) {
    std::string t = as_string(f);
    if (t.size() != 9 || !all_digits(t)) f.fail("'" + t + "' is not an EPCI SIREN", "9 digits, e.g. \"248600413\"");
    return t;
}

// A list of numbers, or one number for a list of one.
std::vector<const YamlNode*> number_items(const Field& f) {
    std::vector<const YamlNode*> out;
    if (f.value.kind == YamlNode::Kind::scalar) {
        out.push_back(&f.value);
        return out;
    }
    for (const auto& item : as_list(f)) out.push_back(&item);
    return out;
}

std::vector<double> as_thresholds(const Field& f) {
    std::vector<double> out;
    for (const YamlNode* item : number_items(f)) {
        Field one = f.item(*item);
        double v = as_positive(one);
        if (!out.empty() && v <= out.back())
            one.fail("thresholds must be strictly ascending: " + item->text + " comes after a larger or equal one",
                     "minutes in ascending order, e.g. [10, 20, 30]");
        out.push_back(v);
    }
    return out;
}

std::vector<int> as_ages(const Field& f) {
    std::vector<int> out;
    for (const YamlNode* item : number_items(f)) {
        Field one = f.item(*item);
        int age = as_integer_in(one, 18, 120);
        if (std::find(out.begin(), out.end(), age) != out.end()) one.fail("age " + item->text + " is listed twice");
        out.push_back(age);
    }
    return out;
}

// The one syntax of --network; the file part is relative to the scenario like every path.
std::string as_network_spec(const Field& f) {
    std::string text = as_string(f);
    NetworkSpec parsed;
    try {
        parsed = NetworkSpec::parse(text);
    } catch (const UsageError& e) {
        f.fail(e.what());
    }
    if (parsed.path.empty()) return text;  // estimated:default
    std::string out = text.substr(0, text.find(':')) + ":" + resolve_path(f.src.dir, parsed.path.string());
    if (!parsed.layer.empty()) out += ":" + parsed.layer;
    return out;
}

// A profile is a name (car, bicycle, foot) or a JSON file, told apart as load_profile does.
std::string as_profile(const Field& f) {
    std::string text = as_string(f);
    bool is_path = text.find('/') != std::string::npos || text.ends_with(".json");
    return is_path ? resolve_path(f.src.dir, text) : text;
}

// ---------------------------------------------------------------------------------------------
// Sites and changes

// Two keys that only make sense together (lon + lat, x + y).
void require_pair(const std::optional<Field>& a, const std::optional<Field>& b, const char* a_name,
                  const char* b_name) {
    if (a && !b) a->fail_key(std::string("'") + a_name + "' without '" + b_name + "'");
    if (b && !a) b->fail_key(std::string("'") + b_name + "' without '" + a_name + "'");
}

bool before(const Field& a, const Field& b) {
    return a.key.line != b.key.line ? a.key.line < b.key.line : a.key.column < b.key.column;
}

// Exactly one of commune, lon + lat, x + y: a site is in one place.
SitePlacement read_placement(const MapView& m) {
    auto commune = m.get("commune"), lon = m.get("lon"), lat = m.get("lat"), x = m.get("x"), y = m.get("y");
    require_pair(lon, lat, "lon", "lat");
    require_pair(x, y, "x", "y");
    std::vector<const Field*> given;  // the first key of each way of placing the site
    for (const auto* f : {&commune, &lon, &x})
        if (*f) given.push_back(&**f);
    if (given.empty())
        m.fail("", "no position: give commune: \"86194\", lon: + lat: (WGS84) or x: + y: (Lambert-93)");
    if (given.size() > 1) {
        std::sort(given.begin(), given.end(), [](const Field* a, const Field* b) { return before(*a, *b); });
        given[1]->fail_key("a second position: '" + given[0]->name() + "' at line " +
                           std::to_string(given[0]->key.line) +
                           " already places the site — give only one of commune, lon + lat or x + y");
    }
    SitePlacement p;
    if (commune) p.commune = as_insee(*commune);
    if (lon) {
        p.lon = as_in_range(*lon, -180, 180, "a longitude in degrees, -180 to 180");
        p.lat = as_in_range(*lat, -90, 90, "a latitude in degrees, -90 to 90");
    }
    if (x) {
        p.x = as_in_range(*x, 0, 1'300'000, "Lambert-93 metres within France, x from 0 to 1300000");
        p.y = as_in_range(*y, 6'000'000, 7'200'000, "Lambert-93 metres within France, y from 6000000 to 7200000");
    }
    return p;
}

SiteChange read_add(const MapView& m) {
    SiteChange c;
    c.kind = SiteChange::Kind::add;
    c.mark = m.mark();
    c.category = as_category(m.require("category"));
    if (auto f = m.get("id")) c.id = as_string(*f);
    if (auto f = m.get("name")) c.name = as_string(*f);
    c.placement = read_placement(m);
    if (auto f = m.get("places")) c.places = as_positive(*f);
    if (auto f = m.get("fte")) c.fte = as_positive(*f);
    return c;
}

const std::vector<std::string_view> kAddKeys = {"category", "name", "id", "commune", "lon", "lat", "x", "y", "places", "fte"};

// The site a close/move/capacity acts on: by id, or by name (+ commune when names repeat).
SiteSelector read_selector(const MapView& m, const std::string& kind) {
    auto id = m.get("id"), name = m.get("name");
    if (!id && !name)
        m.fail("", "'" + kind + "' needs the site's id or its name (+ commune when several sites share the name)");
    if (id && name) (before(*id, *name) ? *name : *id).fail_key("give the site's id or its name, not both");
    SiteSelector s;
    if (id) s.id = as_string(*id);
    if (name) s.name = as_string(*name);
    if (auto f = m.get("commune")) s.commune = as_insee(*f);
    if (auto f = m.get("category")) s.category = as_category(*f);
    return s;
}

SiteChange read_close(const MapView& m) {
    SiteChange c;
    c.kind = SiteChange::Kind::close;
    c.site = read_selector(m, "close");
    c.category = c.site.category;
    return c;
}

SiteChange read_move(const MapView& m) {
    SiteChange c;
    c.kind = SiteChange::Kind::move;
    c.site = read_selector(m, "move");
    c.category = c.site.category;
    MapView to = as_map(m.require("to"), {"commune", "lon", "lat", "x", "y"});
    c.placement = read_placement(to);
    return c;
}

SiteChange read_capacity(const MapView& m) {
    SiteChange c;
    c.kind = SiteChange::Kind::capacity;
    c.site = read_selector(m, "capacity");
    c.category = c.site.category;
    if (auto f = m.get("places")) c.places = as_positive(*f);
    if (auto f = m.get("fte")) c.fte = as_positive(*f);
    if (!c.places && !c.fte) m.fail("", "'capacity' needs places, fte or both");
    return c;
}

SiteChange read_depart(const MapView& m) {
    SiteChange c;
    c.kind = SiteChange::Kind::depart;
    c.category = as_category(m.require("category"));
    auto max_age = m.get("max_age"), share = m.get("share");
    if (!max_age && !share)
        m.fail("", "'depart' needs max_age (a retirement age) or share (the fraction of the supply that leaves)");
    if (max_age && share) (before(*max_age, *share) ? *share : *max_age).fail_key("give max_age or share, not both");
    if (max_age) c.max_age = as_integer_in(*max_age, 18, 120);
    if (share) {
        double v = as_number(*share);
        if (v <= 0 || v > 1) share->fail("out of range: " + share->value.text, "a fraction, 0 < share <= 1");
        c.share = v;
    }
    if (auto f = m.get("communes")) c.communes = as_string_list(*f, as_insee);
    if (auto f = m.get("epcis")) c.epcis = as_string_list(*f, as_siren);
    if (auto f = m.get("territories")) c.territories = as_string_list(*f, as_string);
    if (auto f = m.get("assumption")) c.assumption = as_string(*f);
    return c;
}

const std::vector<std::string_view> kChangeKinds = {"add", "close", "move", "capacity", "depart"};

bool is_change_kind(const std::string& key) {
    return std::find(kChangeKinds.begin(), kChangeKinds.end(), key) != kChangeKinds.end();
}

// `- KIND: {fields}`: one key naming the kind of change, its fields below it.
SiteChange read_change(const Field& list, std::size_t i) {
    const YamlNode& node = list.value.items[i];
    std::string path = item_path(list.value_path(), i);
    if (node.kind == YamlNode::Kind::mapping && node.entries.size() > 1 && is_change_kind(node.entries[0].key.text)) {
        // The usual slip: the fields of `add:` written at its level instead of indented under it.
        const YamlEntry& first = node.entries[0];
        const YamlEntry& second = node.entries[1];
        std::string hint = first.value.kind == YamlNode::Kind::null
                               ? "indent the fields of '" + first.key.text + "' under it"
                               : "start a new '- ' item for each change";
        fail_at(list.src, second.key.line, second.key.column, path, second.key.text,
                "a change has exactly one key (add, close, move, capacity or depart): " + hint);
    }
    MapView item = item_map(list, i, kChangeKinds);
    if (node.entries.empty()) item.fail("", "empty change", "one of add, close, move, capacity, depart");
    const Field kind = *item.get(node.entries[0].key.text);
    SiteChange c;
    if (kind.name() == "add") c = read_add(as_map(kind, kAddKeys));
    if (kind.name() == "close") c = read_close(as_map(kind, {"id", "name", "commune", "category"}));
    if (kind.name() == "move") c = read_move(as_map(kind, {"id", "name", "commune", "category", "to"}));
    if (kind.name() == "capacity")
        c = read_capacity(as_map(kind, {"id", "name", "commune", "category", "places", "fte"}));
    if (kind.name() == "depart")
        c = read_depart(as_map(kind, {"category", "max_age", "share", "communes", "epcis", "territories", "assumption"}));
    c.mark = item.mark();
    return c;
}

bool valid_variant_id(const std::string& id) {
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

std::string as_variant_id(const Field& id) {
    std::string text = as_string(id);
    if (!valid_variant_id(text))
        id.fail("'" + text + "' is not a valid variant id (it names the output folder)",
                "lowercase letters, digits, '_' and '-', e.g. montmorillon_2030");
    // Output folders of every run: a variant of that name would be written over them.
    if (text == "baseline" || text == "optimise")
        id.fail("'" + text + "' is reserved (the output folder of the " +
                    (text == "baseline" ? std::string("reference situation") : std::string("optimisations")) + ")",
                "another id");
    return text;
}

Variant read_variant(const Field& list, std::size_t i) {
    MapView m = item_map(list, i, {"id", "title", "changes"});
    Variant v;
    v.mark = m.mark();
    v.id = as_variant_id(m.require("id"));
    if (auto f = m.get("title")) v.title = as_string(*f);
    Field changes = m.require("changes");
    if (as_list(changes).empty()) changes.fail("a variant needs at least one change");
    for (std::size_t c = 0; c < changes.value.items.size(); ++c) v.changes.push_back(read_change(changes, c));
    return v;
}

// The node written for KEY in list item I, or the item itself when the key is left to its default.
const YamlNode& key_node(const Field& list, std::size_t i, std::string_view key) {
    const YamlNode& item = list.value.items[i];
    const YamlNode* node = child(item, key);
    return node ? *node : item;
}

// Within one file, a second item with the same key is a mistake; across `extends` it replaces.
void refuse_repeat(const Field& list, std::size_t i, std::size_t j, std::string_view key, const std::string& what) {
    const YamlNode& first = key_node(list, j, key);
    const YamlNode& again = key_node(list, i, key);
    fail_at(list.src, again.line, again.column, item_path(list.value_path(), i), std::string(key),
            what + " (first at line " + std::to_string(first.line) + ")");
}

std::vector<Variant> read_variants(const Field& f) {
    std::vector<Variant> out;
    const auto& items = as_list(f);
    for (std::size_t i = 0; i < items.size(); ++i) {
        Variant v = read_variant(f, i);
        for (std::size_t j = 0; j < out.size(); ++j)
            if (out[j].id == v.id) refuse_repeat(f, i, j, "id", "duplicate variant id '" + v.id + "'");
        out.push_back(std::move(v));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Analyses

CoverageAnalysisSpec read_coverage(const Field& list, std::size_t i) {
    MapView m = item_map(list, i, {"category", "thresholds", "gap_threshold", "catchments", "cell_size_m"});
    CoverageAnalysisSpec a;
    a.mark = m.mark();
    a.category = as_category(m.require("category"));
    if (auto f = m.get("thresholds")) a.thresholds_min = as_thresholds(*f);
    if (auto f = m.get("gap_threshold")) a.gap_threshold_min = as_positive(*f);
    if (auto f = m.get("catchments")) a.catchments = as_bool(*f);
    if (auto f = m.get("cell_size_m")) a.cell_size_m = as_positive(*f);
    return a;
}

AccessAnalysisSpec read_access(const Field& list, std::size_t i) {
    MapView m = item_map(list, i, {"category", "max_ages", "decay", "demand_weights"});
    AccessAnalysisSpec a;
    a.mark = m.mark();
    if (auto f = m.get("category")) a.category = as_category(*f);
    if (auto f = m.get("max_ages")) a.max_ages = as_ages(*f);
    if (auto f = m.get("decay")) a.decay = as_path(*f);
    if (auto f = m.get("demand_weights")) a.demand_weights = as_path(*f);
    return a;
}

RateAnalysisSpec read_rate(const Field& list, std::size_t i) {
    MapView m = item_map(list, i, {"category", "target", "target_population"});
    RateAnalysisSpec a;
    a.mark = m.mark();
    a.category = as_category(m.require("category"));
    if (auto f = m.get("target")) a.target = as_string(*f);
    if (auto f = m.get("target_population")) a.target_population = as_path(*f);
    return a;
}

// The analyses of one kind in one file: one per category (outputs are named by category).
template <typename Analysis>
std::vector<Analysis> read_analyses(const Field& f, Analysis (*read)(const Field&, std::size_t), const std::string& kind) {
    std::vector<Analysis> out;
    const auto& items = as_list(f);
    for (std::size_t i = 0; i < items.size(); ++i) {
        Analysis a = read(f, i);
        for (std::size_t j = 0; j < out.size(); ++j)
            if (out[j].category == a.category)
                refuse_repeat(f, i, j, "category", "a second " + kind + " analysis of '" + a.category + "'");
        out.push_back(std::move(a));
    }
    return out;
}

// An item of the extending file replaces the base's item with the same key, in place; others are appended.
template <typename T, typename Key>
void merge_by_key(std::vector<T>& base, std::vector<T> added, Key key) {
    for (auto& item : added) {
        auto same = std::find_if(base.begin(), base.end(), [&](const T& b) { return key(b) == key(item); });
        if (same != base.end()) *same = std::move(item);
        else base.push_back(std::move(item));
    }
}

// ---------------------------------------------------------------------------------------------
// Sections of the top level. Every reader overwrites only what the file states, so reading a file
// on top of its base's spec is the `extends` merge.

void read_study(const Field& f, StudySpec& s) {
    MapView m = as_map(f, {"communes", "communes_layer", "population", "territories", "bpe", "margin_km",
                           "reference_services", "neighbour_communes", "neighbour_population"});
    if (auto v = m.get("communes")) s.communes = as_path(*v);
    if (auto v = m.get("communes_layer")) s.communes_layer = as_string(*v);
    if (auto v = m.get("population")) s.population = as_path(*v);
    if (auto v = m.get("territories")) s.territories = as_path(*v);
    if (auto v = m.get("bpe")) s.bpe = as_path(*v);
    if (auto v = m.get("neighbour_communes"))  // a file or a list of files
        s.neighbour_communes = v->value.kind == YamlNode::Kind::sequence ? as_string_list(*v, as_path)
                                                                          : std::vector<std::string>{as_path(*v)};
    if (auto v = m.get("neighbour_population"))  // a file or a list of files
        s.neighbour_population = v->value.kind == YamlNode::Kind::sequence ? as_string_list(*v, as_path)
                                                                            : std::vector<std::string>{as_path(*v)};
    if (auto v = m.get("margin_km")) {
        // No margin at all would drop every service across the border without a word: > 0.
        s.margin_km = as_in_range(*v, 0, 200, "kilometres, more than 0 and at most 200");
        if (s.margin_km <= 0) v->fail("out of range: " + v->value.text, "kilometres, more than 0 and at most 200");
    }
    if (auto v = m.get("reference_services")) s.reference_services = as_bool(*v);
}

void read_network(const Field& f, NetworkSpecText& n) {
    MapView m = as_map(f, {"spec", "profile", "max_snap_m", "mapping"});
    if (auto v = m.get("spec")) n.spec = as_network_spec(*v);
    if (auto v = m.get("profile")) n.profile = as_profile(*v);
    if (auto v = m.get("max_snap_m")) n.max_snap_m = as_positive(*v);
    if (auto v = m.get("mapping")) n.mapping = as_path(*v);
}

void read_demand(const Field& f, DemandSpec& d) {
    MapView m = as_map(f, {"method", "step_m"});
    if (auto v = m.get("method")) {
        d.method = as_string(*v);
        if (d.method != "point" && d.method != "grid") v->fail("unknown demand method '" + d.method + "'", "point or grid");
    }
    if (auto v = m.get("step_m")) d.step_m = as_positive(*v);
}

SiteFileSpec read_site_file(const Field& list, std::size_t i) {
    MapView m = item_map(list, i, {"path", "category", "crs"});
    SiteFileSpec s;
    s.mark = m.mark();
    s.path = as_path(m.require("path"));
    s.category = as_category(m.require("category"));
    if (auto v = m.get("crs")) s.crs = as_string(*v);
    return s;
}

void read_sites(const Field& f, ScenarioSpec& spec) {
    MapView m = as_map(f, {"files", "add"});
    if (auto files = m.get("files"))
        for (std::size_t i = 0; i < as_list(*files).size(); ++i) spec.site_files.push_back(read_site_file(*files, i));
    if (auto add = m.get("add"))
        for (std::size_t i = 0; i < as_list(*add).size(); ++i)
            spec.baseline_additions.push_back(read_add(item_map(*add, i, kAddKeys)));
}

void read_analyses_section(const Field& f, ScenarioSpec& spec) {
    MapView m = as_map(f, {"coverage", "access", "rates"});
    auto category = [](const auto& a) { return a.category; };
    if (auto v = m.get("coverage")) merge_by_key(spec.coverage, read_analyses(*v, read_coverage, "coverage"), category);
    if (auto v = m.get("access")) merge_by_key(spec.access, read_analyses(*v, read_access, "access"), category);
    if (auto v = m.get("rates")) merge_by_key(spec.rates, read_analyses(*v, read_rate, "rates"), category);
}

CandidatesSpec read_candidates(const Field& f) {
    MapView m = as_map(f, {"communes", "min_population", "epcis", "territories", "file", "crs", "grid_km"});
    CandidatesSpec c;
    const bool file = m.get("file").has_value(), grid = m.get("grid_km").has_value();
    if (file && grid) m.fail("file", "give either candidate points from a file or a grid, not both");
    if (file) {
        c.kind = "file";
        c.file = as_path(*m.get("file"));
        if (auto v = m.get("crs")) c.crs = as_string(*v);
    } else if (grid) {
        c.kind = "grid";
        c.grid_km = as_in_range(*m.get("grid_km"), 0.5, 50, "kilometres, 0.5 to 50");
    }
    if (auto v = m.get("communes")) {
        if (c.kind != "communes") v->fail_key("a list of communes goes with commune candidates, not with a file or a grid");
        // `communes: all` or a list of INSEE codes.
        if (v->value.kind == YamlNode::Kind::scalar && v->value.text == "all") {
        } else {
            c.communes = as_string_list(*v, as_insee);
        }
    }
    if (auto v = m.get("min_population")) {
        if (c.kind != "communes") v->fail_key("min_population goes with commune candidates");
        c.min_population = as_in_range(*v, 0, 1e7, "a number of inhabitants");
    }
    if (auto v = m.get("epcis")) c.epcis = as_string_list(*v, as_siren);
    if (auto v = m.get("territories")) c.territories = as_string_list(*v, as_string);
    return c;
}

OptimiseSpec read_optimise(const Field& list, std::size_t i) {
    MapView m = item_map(list, i, {"id", "title", "category", "problem", "k", "max_minutes", "share", "curve",
                                   "existing", "candidates", "capacity", "capacity_per_unit", "solver",
                                   "time_limit_s", "write_problem", "base", "beyond_categories",
                                   "beyond_minutes", "day_budget_minutes", "stops_per_day", "fte",
                                   "threshold_per_100k"});
    OptimiseSpec o;
    o.mark = m.mark();
    o.id = as_variant_id(m.require("id"));
    if (auto v = m.get("title")) o.title = as_string(*v);
    o.category = as_category(m.require("category"));
    if (auto v = m.get("problem")) {
        o.problem = as_string(*v);
        if (o.problem != "lscp" && o.problem != "mclp" && o.problem != "pmedian" && o.problem != "cmclp" &&
            o.problem != "itinerant" && o.problem != "access")
            v->fail("unknown problem '" + o.problem + "'",
                    "lscp (fewest sites to cover), mclp (best k sites), pmedian (least mean time), cmclp (with "
                    "capacities), itinerant (stops of a tour), access (where new practitioners raise the access index most)");
    }
    if (auto v = m.get("k")) o.k = as_integer_in(*v, 1, 1000);
    if (o.problem != "lscp" && !o.k) m.fail("k", "required key missing", "the number of new sites, e.g. k: 3");
    if (o.problem == "lscp" && o.k) m.get("k")->fail_key("lscp finds the number of sites itself: remove k");
    if (auto v = m.get("max_minutes")) o.max_minutes = as_in_range(*v, 0.5, 600, "minutes, 0.5 to 600");
    if (auto v = m.get("share")) {
        if (o.problem != "lscp") v->fail_key("share goes with problem: lscp");
        o.share = as_in_range(*v, 0.01, 1.0, "a fraction of the population, 0.01 to 1");
    }
    if (auto v = m.get("curve")) o.curve = as_integer_in(*v, 1, 200);
    if (auto v = m.get("existing")) {
        std::string e = as_string(*v);
        if (e != "fixed" && e != "free") v->fail("unknown value '" + e + "'", "fixed (existing sites stay) or free");
        o.existing_fixed = e == "fixed";
    }
    if (auto v = m.get("candidates")) o.candidates = read_candidates(*v);
    if (auto v = m.get("capacity")) {
        if (o.problem != "cmclp") v->fail_key("capacity goes with problem: cmclp");
        o.capacity = as_positive(*v);
    }
    if (auto v = m.get("capacity_per_unit")) {
        if (o.problem != "cmclp") v->fail_key("capacity_per_unit goes with problem: cmclp");
        o.capacity_per_unit = as_positive(*v);
    }
    if (o.problem == "cmclp" && !o.capacity)
        m.fail("capacity", "required key missing", "the inhabitants a new site can serve, e.g. capacity: 1500");
    if (auto v = m.get("solver")) {
        o.solver = as_string(*v);
        if (o.solver != "heuristic" && o.solver != "exact" && o.solver != "both")
            v->fail("unknown solver '" + o.solver + "'", "heuristic, exact or both");
    }
    if (auto v = m.get("time_limit_s")) o.time_limit_s = as_in_range(*v, 0.01, 86400, "seconds, up to 86400");
    if (auto v = m.get("write_problem")) o.write_problem = as_bool(*v);
    const bool itinerant = o.problem == "itinerant";
    for (const char* key : {"base", "beyond_categories", "beyond_minutes", "day_budget_minutes", "stops_per_day"})
        if (auto v = m.get(key); v && !itinerant) v->fail_key(std::string(key) + " goes with problem: itinerant");
    if (itinerant) {
        o.base = as_insee(m.require("base"));
        if (o.k && *o.k > 60) m.get("k")->fail("an itinerant tour has at most 60 stops, got " + std::to_string(*o.k));
    }
    if (auto v = m.get("beyond_categories")) o.beyond_categories = as_string_list(*v, as_category);
    if (auto v = m.get("beyond_minutes")) o.beyond_minutes = as_in_range(*v, 0.5, 600, "minutes, 0.5 to 600");
    if (auto v = m.get("day_budget_minutes")) o.day_budget_minutes = as_in_range(*v, 10, 1440, "minutes, 10 to 1440");
    if (auto v = m.get("stops_per_day")) o.stops_per_day = as_integer_in(*v, 1, 20);
    for (const char* key : {"fte", "threshold_per_100k"})
        if (auto v = m.get(key); v && o.problem != "access") v->fail_key(std::string(key) + " goes with problem: access");
    if (auto v = m.get("fte")) o.fte = as_in_range(*v, 0.1, 100, "full-time equivalents, 0.1 to 100");
    if (auto v = m.get("threshold_per_100k")) o.threshold_per_100k = as_positive(*v);
    return o;
}

void apply_document(const MapView& top, ScenarioSpec& spec) {
    if (auto f = top.get("title")) spec.title = as_string(*f);
    if (auto f = top.get("question")) spec.question = as_string(*f);
    if (auto f = top.get("notes"))
        for (auto& note : as_string_list(*f, as_string)) spec.notes.push_back(std::move(note));
    if (auto f = top.get("study")) read_study(*f, spec.study);
    if (auto f = top.get("network")) read_network(*f, spec.network);
    if (auto f = top.get("demand")) read_demand(*f, spec.demand);
    if (auto f = top.get("sites")) read_sites(*f, spec);
    if (auto f = top.get("analyses")) read_analyses_section(*f, spec);
    if (auto f = top.get("variants")) merge_by_key(spec.variants, read_variants(*f), [](const Variant& v) { return v.id; });
    if (auto f = top.get("optimise")) {
        std::vector<OptimiseSpec> items;
        for (std::size_t i = 0; i < as_list(*f).size(); ++i) {
            OptimiseSpec o = read_optimise(*f, i);
            for (std::size_t j = 0; j < items.size(); ++j)
                if (items[j].id == o.id) refuse_repeat(*f, i, j, "id", "duplicate optimise id '" + o.id + "'");
            for (const auto& v : spec.variants)
                if (v.id == o.id) {
                    const YamlNode& id = key_node(*f, i, "id");
                    fail_at(f->src, id.line, id.column, item_path(f->value_path(), i), "id",
                            "the optimise id '" + o.id + "' is also a variant id (line " + std::to_string(v.mark.line) +
                                "): both would write DIR/" + o.id + "/",
                            "another id");
                }
            items.push_back(std::move(o));
        }
        merge_by_key(spec.optimise, std::move(items), [](const OptimiseSpec& o) { return o.id; });
    }
}

// What a finished scenario needs, checked after the merge (a base may provide it).
void check_complete(const MapView& top, const ScenarioSpec& spec) {
    if (spec.title.empty()) top.fail("title", "required key missing");
    // Across `extends` too: a variant and an optimisation of the same id would share DIR/ID/.
    // (An optimise item meeting an earlier variant is refused where it is read; what is left
    // is a variant of an extending file meeting an optimise item of its base: said at the variant.)
    for (const auto& o : spec.optimise)
        for (const auto& v : spec.variants)
            if (v.id == o.id)
                throw InputError({v.mark.str(), v.mark.path, "id"},
                                 "the variant id '" + v.id + "' is also the id of the optimise item at " + o.mark.str() +
                                     ": both would write DIR/" + v.id + "/",
                                 "another id");
    if (spec.coverage.empty() && spec.access.empty() && spec.rates.empty() && spec.optimise.empty()) {
        if (auto f = top.get("analyses")) f->fail_key("no analysis", "at least one of analyses.coverage, .access, .rates");
        top.fail("analyses", "no analysis: a scenario computes at least one",
                 "at least one of analyses.coverage, .access, .rates");
    }
}

// ---------------------------------------------------------------------------------------------
// Files and `extends`

const std::vector<std::string_view> kTopKeys = {"title", "question", "extends", "notes", "study", "network",
                                                "demand", "sites", "analyses", "variants", "optimise"};

// A scenario is a few kilobytes of YAML: 16 MiB is far beyond any real one, and bounds what a
// wrong path (a log, /dev/zero) could make the parser read.
constexpr std::uintmax_t kMaxScenarioBytes = std::uintmax_t{16} << 20;

// Regular file required (a FIFO, a device, a directory are refused by name), filesystem errors
// (a symbolic link loop) as InputError naming the file, size bounded.
std::string read_text_file(const fs::path& file) {
    return read_regular_file(file, kMaxScenarioBytes, "the scenario file");
}

// The files being read, outermost first, to name a cycle.
struct ChainLink {
    fs::path canonical;
    std::string label;
};

ScenarioSpec parse_layer(const std::string& text, const Source& src, std::vector<ChainLink>& chain, bool outermost);

// One name per file however it is reached (a/../b.yaml, symbolic links), to recognise a cycle.
fs::path canonical_or_self(const fs::path& path) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(path, ec);
    return ec ? path.lexically_normal() : canonical;
}

ScenarioSpec parse_base(const Field& extends, std::vector<ChainLink>& chain) {
    std::string path = as_path(extends);
    std::error_code ec;
    if (fs::status(path, ec).type() == fs::file_type::not_found)
        extends.fail("extends a file that does not exist: " + path);
    std::string text;
    try {
        text = read_regular_file(path, kMaxScenarioBytes);
    } catch (const InputError& e) {
        extends.fail("extends " + path + ": " + e.message(), e.expected());
    }
    fs::path canonical = canonical_or_self(path);
    for (const auto& link : chain) {
        if (link.canonical != canonical) continue;
        std::string cycle;
        for (const auto& l : chain) cycle += l.label + " → ";
        extends.fail("extends cycle: " + cycle + path);
    }
    chain.push_back({canonical, path});
    ScenarioSpec base = parse_layer(text, Source{path, fs::path(path).parent_path()}, chain, false);
    chain.pop_back();
    return base;
}

ScenarioSpec parse_layer(const std::string& text, const Source& src, std::vector<ChainLink>& chain, bool outermost) {
    YamlNode root = read_tree(text, src);
    MapView top(src, root, "", kTopKeys);
    ScenarioSpec spec;
    if (auto f = top.get("extends")) spec = parse_base(*f, chain);
    apply_document(top, spec);
    spec.extends_chain.push_back(src.label);
    if (outermost) check_complete(top, spec);
    return spec;
}

ScenarioSpec parse_outermost(const std::string& text, const Source& src) {
    std::vector<ChainLink> chain{{canonical_or_self(src.label), src.label}};
    ScenarioSpec spec = parse_layer(text, src, chain, true);
    spec.file = src.label;
    return spec;
}

}  // namespace

ScenarioSpec parse_scenario_file(const fs::path& file) {
    return parse_outermost(read_text_file(file), Source{file.string(), file.parent_path()});
}

ScenarioSpec parse_scenario_text(const std::string& text, const std::string& file_label) {
    return parse_outermost(text, Source{file_label, fs::path()});
}

}  // namespace maillage
