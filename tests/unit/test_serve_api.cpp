// `maillage serve`'s API through a real HTTP client (cpp-httplib) against the server in
// process, on the Vienne default: a session's figures equal those of `maillage run` on its
// exported scenario; bad requests get the documented status and JSON error and leave the
// session unchanged; the token is enforced; 20 concurrent sessions stay consistent.
#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "planning/planning_study.hpp"
#include "presets/vienne_preset.hpp"
#include "scenario/scenario_parser.hpp"
#include "serve/api_server.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

ScenarioContext vienne_context() {
    const fs::path geodata = fs::path(MAILLAGE_SOURCE_DIR) / "geodata";
    return {[geodata] { return StudySources{presets::vienne_territory(geodata), presets::vienne_services(geodata)}; },
            geodata};
}

const PlanningStudy& study() {
    static const std::unique_ptr<PlanningStudy> s = [] {
        ScenarioSpec spec;
        spec.title = "Vienne : carte interactive des services";
        return open_planning_study(spec, vienne_context(), "");
    }();
    return *s;
}

// A server on a free port for the test's lifetime.
class RunningServer {
public:
    explicit RunningServer(std::string token = {}) {
        ServerOptions o;
        o.port = 0;
        o.token = std::move(token);
        o.web_dir = fs::path(MAILLAGE_SOURCE_DIR) / "web";
        server_ = std::make_unique<ApiServer>(study().base, o);
        port_ = server_->bind();
        thread_ = std::thread([this] { server_->listen(); });
    }
    ~RunningServer() {
        server_->stop();
        thread_.join();
    }
    [[nodiscard]] httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(60, 0);
        c.set_keep_alive(true);  // as browsers do
        return c;
    }

private:
    std::unique_ptr<ApiServer> server_;
    int port_ = 0;
    std::thread thread_;
};

nlohmann::json post(httplib::Client& c, const std::string& path, const nlohmann::json& body, int expected_status) {
    auto r = c.Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, expected_status) << path << " " << r->body;
    return r->body.empty() ? nlohmann::json() : nlohmann::json::parse(r->body);
}

nlohmann::json get(httplib::Client& c, const std::string& path, int expected_status = 200) {
    auto r = c.Get(path.c_str());
    EXPECT_TRUE(r) << path;
    if (!r) return {};
    EXPECT_EQ(r->status, expected_status) << path << " " << r->body;
    return nlohmann::json::parse(r->body);
}

// The label point (inside the commune) of the commune farthest from any site.
std::pair<double, double> farthest_commune(const nlohmann::json& study_json, const nlohmann::json& state) {
    std::size_t best = 0;
    double worst = -1;
    for (std::size_t i = 0; i < state["communes"]["minutes"].size(); ++i) {
        const auto& m = state["communes"]["minutes"][i];
        if (m.is_number() && m.get<double>() > worst) {
            worst = m.get<double>();
            best = i;
        }
    }
    const auto& label = study_json["communes"][best]["label"];
    return {label["x"].get<double>(), label["y"].get<double>()};
}

}  // namespace

TEST(ServeApi, SessionFiguresEqualTheRunOfItsExport) {
    RunningServer server;
    auto c = server.client();
    const auto study_json = get(c, "/api/study");
    ASSERT_EQ(study_json["communes"].size(), 265u);
    auto state = post(c, "/api/sessions", {{"category", "france_services"}}, 201);
    const std::string id = state["session"];
    // The baseline of vienne_baseline (France Services beyond 20 min). 9 878 before the estimate's
    // margin nodes and containing-commune rule (issue 12; docs/ESTIMATE.md, what it changes).
    EXPECT_EQ(state["figures"]["departement"]["beyond_gap"], 6129.0);
    const auto [x, y] = farthest_commune(study_json, state);
    state = post(c, "/api/sessions/" + id + "/changes", {{"kind", "add"}, {"x", x}, {"y", y}}, 200);
    EXPECT_LT(state["last_change"]["beyond_gap_delta"].get<double>(), 0.0);
    state = post(c, "/api/sessions/" + id + "/changes", {{"kind", "close"}, {"site_id", "2104"}}, 200);
    state = post(c, "/api/sessions/" + id + "/changes", {{"kind", "move"}, {"site_id", "2525"}, {"x", x + 3000}, {"y", y - 4000}}, 200);
    ASSERT_EQ(state["changes"].size(), 3u);

    auto yaml = c.Get(("/api/sessions/" + id + "/export.yaml").c_str());
    ASSERT_TRUE(yaml);
    const fs::path file = fs::temp_directory_path() / ("maillage_serve_export_" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(file) << yaml->body;
    const ScenarioOutcome run = run_scenario(parse_scenario_file(file.string()), vienne_context());
    const auto comparison = scenario_comparison(run);
    const auto& cov = comparison["variants"][0]["coverage"][0];
    const auto& dep = state["figures"]["departement"];
    EXPECT_EQ(cov["departement"]["population_beyond_gap"]["variant"].get<double>(), dep["beyond_gap"].get<double>());
    for (const auto& [band, value] : dep["within_minutes"].items())
        EXPECT_EQ(cov["departement"]["population_within_minutes"][band]["variant"].get<double>(), value.get<double>()) << band;
    ASSERT_EQ(cov["territories"].size(), state["figures"]["territories"].size());
    for (std::size_t t = 0; t < cov["territories"].size(); ++t)
        for (const auto& [band, value] : state["figures"]["territories"][t]["within_minutes"].items())
            EXPECT_EQ(cov["territories"][t]["population_within_minutes"][band]["variant"].get<double>(), value.get<double>());
    fs::remove(file);

    // Undo three times: the baseline again, exactly; redo brings the change back.
    for (int i = 0; i < 3; ++i) state = post(c, "/api/sessions/" + id + "/undo", nlohmann::json::object(), 200);
    EXPECT_EQ(state["figures"]["departement"]["beyond_gap"], 6129.0);
    EXPECT_EQ(state["figures"]["departement"]["within_minutes"], state["figures"]["departement"]["baseline"]["within_minutes"]);
    EXPECT_FALSE(state["can_undo"].get<bool>());
    state = post(c, "/api/sessions/" + id + "/redo", nlohmann::json::object(), 200);
    EXPECT_EQ(state["changes"].size(), 1u);
    EXPECT_EQ(state["sites"].size(), 63u);
}

TEST(ServeApi, BadRequestsAreRefusedAndLeaveTheSessionUnchanged) {
    RunningServer server;
    auto c = server.client();
    auto state = post(c, "/api/sessions", {{"category", "gp"}}, 201);
    const std::string id = state["session"];
    const std::string changes = "/api/sessions/" + id + "/changes";
    const auto before = get(c, "/api/sessions/" + id);

    auto expect_error = [&](httplib::Result r, int status, const std::string& code) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, status) << r->body;
        const auto j = nlohmann::json::parse(r->body);
        EXPECT_EQ(j["error"], code) << r->body;
        EXPECT_FALSE(j["message"].get<std::string>().empty());
    };
    expect_error(c.Post(changes.c_str(), "{not json", "application/json"), 400, "bad_request");
    expect_error(c.Post(changes.c_str(), R"({"kind":"teleport"})", "application/json"), 400, "bad_request");
    expect_error(c.Post(changes.c_str(), R"({"kind":"add","x":"here"})", "application/json"), 400, "bad_request");
    expect_error(c.Post(changes.c_str(), R"({"kind":"add","x":0,"y":0})", "application/json"), 422, "outside");
    expect_error(c.Post(changes.c_str(), R"({"kind":"close","site_id":"no-such-site"})", "application/json"), 404, "not_found");
    expect_error(c.Post(changes.c_str(), std::string(70 * 1024, ' '), "application/json"), 413, "too_large");
    expect_error(c.Post("/api/sessions", R"({"category":"gps"})", "application/json"), 422, "unknown_category");
    expect_error(c.Post("/api/sessions/0123456789abcdef0123456789abcdef/undo", "{}", "application/json"), 404, "not_found");
    expect_error(c.Post(("/api/sessions/" + id + "/undo").c_str(), "{}", "application/json"), 400, "bad_request");
    expect_error(c.Get("/api/nothing"), 404, "not_found");
    expect_error(c.Get("/../etc/passwd"), 404, "not_found");
    const auto after = get(c, "/api/sessions/" + id);
    EXPECT_EQ(before, after);
}

TEST(ServeApi, TokenIsRequiredWhenSet) {
    RunningServer server("s3cr3t-token");
    auto c = server.client();
    auto r = c.Get("/api/study");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "token");
    r = c.Get("/api/study", {{"X-Maillage-Token", "wrong"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    r = c.Get("/api/study", {{"X-Maillage-Token", "s3cr3t-token"}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    r = c.Get("/api/study?token=s3cr3t-token");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    // The page itself loads without the token (it reads it from its own URL).
    r = c.Get("/");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
}

// 20 planners at once, 50 changes each: every answer is 200, and each session ends with the
// sites its own changes give (no session sees another's changes).
TEST(ServeApi, TwentyConcurrentSessionsStayIndependent) {
    RunningServer server;
    auto c0 = server.client();
    const auto study_json = get(c0, "/api/study");
    const std::size_t communes = study_json["communes"].size();
    std::atomic<int> failures{0};
    std::mutex first_failure_mutex;
    std::string first_failure;
    auto failed = [&](const std::string& what) {
        ++failures;
        std::lock_guard lock(first_failure_mutex);
        if (first_failure.empty()) first_failure = what;
    };
    std::vector<std::thread> planners;
    for (int p = 0; p < 20; ++p)
        planners.emplace_back([&, p] {
            auto c = server.client();
            auto r = c.Post("/api/sessions", R"({"category":"france_services"})", "application/json");
            if (!r || r->status != 201) {
                failed(r ? r->body : "no answer: " + httplib::to_string(r.error()));
                return;
            }
            auto state = nlohmann::json::parse(r->body);
            const std::string id = state["session"];
            const std::size_t baseline_sites = state["sites"].size();
            std::mt19937 random(static_cast<unsigned>(p));
            int open_added = 0;  // counted from the requests, checked against the server's state
            for (int k = 0; k < 50; ++k) {
                std::string body;
                std::string last_added;
                for (const auto& site : state["sites"])
                    if (site["added"].get<bool>()) last_added = site["id"];
                if (k % 3 == 2 && !last_added.empty()) {
                    body = nlohmann::json{{"kind", "close"}, {"site_id", last_added}}.dump();
                } else {
                    const auto& label = study_json["communes"][random() % communes]["label"];
                    body = nlohmann::json{{"kind", "add"}, {"x", label["x"]}, {"y", label["y"]}}.dump();
                }
                auto a = c.Post(("/api/sessions/" + id + "/changes").c_str(), body, "application/json");
                if (!a || a->status != 200) {
                    failed(body + " -> " + (a ? a->body : "no answer: " + httplib::to_string(a.error())));
                    continue;
                }
                state = nlohmann::json::parse(a->body);
                if (body.find("close") != std::string::npos) --open_added;
                else ++open_added;
            }
            if (state["sites"].size() != baseline_sites + static_cast<std::size_t>(open_added))
                failed("session " + id + ": " + std::to_string(state["sites"].size()) + " open sites, expected " +
                       std::to_string(baseline_sites + static_cast<std::size_t>(open_added)));
        });
    for (auto& t : planners) t.join();
    EXPECT_EQ(failures.load(), 0) << first_failure;
    EXPECT_EQ(get(c0, "/api/study")["communes"].size(), communes);  // still serving
}
