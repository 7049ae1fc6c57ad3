// `maillage serve [SCENARIO.yaml]`: the interactive what-if map on a local web page. The
// study and network are loaded once; each browser gets its own planning session.
#include <cstdio>
#include <filesystem>

#include "cli/commands.hpp"
#include "cli/common/scenario_context.hpp"
#include "planning/planning_study.hpp"
#include "scenario/scenario_parser.hpp"
#include "serve/api_server.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

namespace {

bool is_loopback(const std::string& address) {
    return address == "127.0.0.1" || address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

class ServeCommand : public Command {
public:
    std::string name() const override { return "serve"; }
    std::string description() const override {
        return "Interactive what-if map on a local web page: click to add, close or move a site (docs/SERVE_API.md)";
    }
    std::string examples() const override {
        return R"(  maillage serve
      then open http://127.0.0.1:8086/ : the Vienne default, estimated network
  maillage serve scenarios/1-2-2_auto_ecoles_solidaires.yaml --port 8090
      the scenario's study, network and baseline additions; exports extend the scenario
)";
    }
    void setup(CLI::App& app) override {
        app.add_option("scenario", scenario_, "Scenario file (YAML) giving the study, network and baseline (optional)");
        app.add_option("--port", options_.port, "Port (default 8086)")->check(CLI::Range(1, 65535));
        app.add_option("--bind", options_.bind, "Address to listen on (default 127.0.0.1; another one needs --token)");
        app.add_option("--token", options_.token, "Token every API request must carry (X-Maillage-Token or ?token=)");
        app.add_option("--geodata", geodata_, "Geodata directory (default: $MAILLAGE_GEODATA or geodata/)");
        app.add_option("--web-dir", web_dir_, "Directory of the page (index.html, app.js, app.css; default: web/)");
        add_max_memory_option(app, max_memory_gb_);
    }
    void validate() override {
        if (!is_loopback(options_.bind) && options_.token.empty())
            throw UsageError("--bind " + options_.bind +
                             ": listening beyond this machine needs --token (every request must then carry it)");
        if (!options_.token.empty() && options_.token.size() < 8)
            throw UsageError("--token: at least 8 characters");
    }
    int run() override {
        ScenarioSpec spec;
        std::string file;
        if (!scenario_.empty()) {
            spec = parse_scenario_file(scenario_);
            file = std::filesystem::absolute(scenario_).lexically_normal().string();
        } else {
            spec.title = "Vienne : carte interactive des services";
        }
        auto study = open_planning_study(spec, scenario_context(geodata_, max_memory_gb_), file);
        options_.web_dir = presets::resolve_web_dir(web_dir_);
        ApiServer server(study->base, options_);
        const int port = server.bind();
        std::printf("maillage serve: http://%s:%d/%s  (Ctrl-C to stop)\n", options_.bind.c_str(), port,
                    options_.token.empty() ? "" : ("?token=" + options_.token).c_str());
        std::fflush(stdout);
        server.listen();
        return 0;
    }

private:
    std::string scenario_, geodata_, web_dir_;
    double max_memory_gb_ = 0;  // 0: the machine's memory
    ServerOptions options_;
};

}  // namespace

std::unique_ptr<Command> make_serve_command() { return std::make_unique<ServeCommand>(); }

}  // namespace maillage::cli
