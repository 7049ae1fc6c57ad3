// `maillage check FILE`: reads a scenario file and says what it asks for, writing nothing —
// the quick loop while a planner edits the YAML. It also loads the study (not the network)
// and applies every change to it: an unknown site, commune or category is found here, at its
// file:line:column (InputError, exit 3). --syntax-only skips the study.
#include <cstdio>
#include <map>
#include <string>

#include "cli/commands.hpp"
#include "cli/common/scenario_context.hpp"
#include "scenario/scenario_parser.hpp"

namespace maillage::cli {

namespace {


std::string join_categories(const std::vector<std::string>& categories) {
    std::string out;
    for (const auto& c : categories) out += (out.empty() ? "" : ", ") + c;
    return out.empty() ? "-" : out;
}

template <typename Analysis>
std::vector<std::string> categories_of(const std::vector<Analysis>& analyses) {
    std::vector<std::string> out;
    for (const auto& a : analyses) out.push_back(a.category);
    return out;
}

// "2 add, 1 close", in the order of the Kind enum.
std::string change_counts(const std::vector<SiteChange>& changes) {
    std::map<SiteChange::Kind, int> counts;
    for (const auto& c : changes) ++counts[c.kind];
    std::string out;
    for (const auto& [kind, n] : counts) out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + to_string(kind);
    return out;
}

void print_summary(const ScenarioSpec& s) {
    std::size_t changes = 0;
    for (const auto& v : s.variants) changes += v.changes.size();
    std::printf("%s: ok\n", s.file.c_str());
    std::printf("title: %s\n", s.title.c_str());
    if (s.extends_chain.size() > 1) {
        std::string chain;
        for (const auto& f : s.extends_chain) chain += (chain.empty() ? "" : " -> ") + f;
        std::printf("extends: %s\n", chain.c_str());
    }
    std::printf("network: %s (%s)\n", s.network.spec.c_str(), s.network.profile.c_str());
    std::printf("analyses: coverage [%s], access [%s], rates [%s]\n", join_categories(categories_of(s.coverage)).c_str(),
                join_categories(categories_of(s.access)).c_str(), join_categories(categories_of(s.rates)).c_str());
    std::printf("baseline: %zu site file(s), %zu added site(s)\n", s.site_files.size(), s.baseline_additions.size());
    std::printf("variants: %zu, changes: %zu\n", s.variants.size(), changes);
    for (const auto& v : s.variants)
        std::printf("  %s: %s (%s)\n", v.id.c_str(), v.title.empty() ? "-" : v.title.c_str(),
                    change_counts(v.changes).c_str());
    if (!s.optimise.empty()) std::printf("optimisations: %zu\n", s.optimise.size());
    for (const auto& o : s.optimise)
        std::printf("  %s: %s of %s, %s, candidates: %s\n", o.id.c_str(), o.problem.c_str(), o.category.c_str(),
                    o.problem == "lscp" ? ("everyone within " + std::to_string(static_cast<int>(o.max_minutes)) + " min").c_str()
                                        : ("k = " + std::to_string(o.k.value_or(0))).c_str(),
                    o.candidates.kind.c_str());
}

class CheckCommand : public Command {
public:
    std::string name() const override { return "check"; }
    std::string examples() const override {
        return R"(  maillage check scenarios/1-9-2_medecins.yaml
      syntax, keys, values, then every change against the Vienne study; writes nothing
)";
    }
    std::string description() const override {
        return "Check a scenario file (syntax, keys, values) and summarise it; writes nothing";
    }
    void setup(CLI::App& app) override {
        app.add_option("file", file_, "Scenario file (YAML, see docs/SCENARIOS.md)")->required();
        app.add_flag("--syntax-only", syntax_only_, "Check the file alone, without loading the study");
        app.add_option("--geodata", geodata_, "Geodata directory (default: $MAILLAGE_GEODATA or the source tree's geodata/)");
    }
    int run() override {
        ScenarioSpec spec = parse_scenario_file(file_);
        if (!syntax_only_) resolve_scenario(spec, scenario_context(geodata_));
        print_summary(spec);
        if (!syntax_only_) std::printf("every change applies to the study\n");
        return 0;
    }

private:
    std::string file_, geodata_;
    bool syntax_only_ = false;
};

}  // namespace

std::unique_ptr<Command> make_check_command() { return std::make_unique<CheckCommand>(); }

}  // namespace maillage::cli
