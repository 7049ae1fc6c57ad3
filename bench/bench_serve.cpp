// `maillage serve` on the Vienne default (estimated network): the server-side time of one
// change (a planning session replays its changes from the baseline's incremental coverage)
// and the HTTP round trip with 20 planners at once.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

#include <benchmark/benchmark.h>
#include <httplib.h>

#include "planning/planning_study.hpp"
#include "presets/vienne_preset.hpp"
#include "serve/api_server.hpp"

using namespace maillage;
namespace fs = std::filesystem;

namespace {

const PlanningStudy& vienne() {
    static const std::unique_ptr<PlanningStudy> s = [] {
        const fs::path geodata = fs::path(MAILLAGE_SOURCE_DIR) / "geodata";
        ScenarioContext context{
            [geodata] { return StudySources{presets::vienne_territory(geodata), presets::vienne_services(geodata)}; }, geodata};
        ScenarioSpec spec;
        spec.title = "bench";
        return open_planning_study(spec, context, "");
    }();
    return *s;
}

std::vector<Point2> commune_points() {
    std::vector<Point2> out;
    for (const auto& c : vienne().workspace->territory().communes) out.push_back(c.representative);
    return out;
}

// Target (issue 11): < 5 ms per change on the server. state(): the JSON the page receives.
void BM_ServeSessionChange(benchmark::State& state) {
    const auto points = commune_points();
    PlanningSession session(vienne().base, "france_services", {}, std::nullopt);
    std::mt19937 random(7);
    const int history = static_cast<int>(state.range(0));
    for (int i = 0; i < history; ++i)
        session.apply({PlanningChange::Kind::add, "", points[random() % points.size()], ""});
    for (auto _ : state) {
        session.apply({PlanningChange::Kind::add, "", points[random() % points.size()], ""});
        benchmark::DoNotOptimize(session.state());
        state.PauseTiming();
        session.undo();
        state.ResumeTiming();
    }
}
BENCHMARK(BM_ServeSessionChange)->Arg(0)->Arg(10)->Arg(50)->Unit(benchmark::kMillisecond);

// Target (issue 11): p95 round trip < 50 ms with 20 concurrent sessions on 2 cores.
void BM_ServeRoundTrip20Sessions(benchmark::State& state) {
    ServerOptions o;
    o.port = 0;
    o.web_dir = fs::path(MAILLAGE_SOURCE_DIR) / "web";
    ApiServer server(vienne().base, o);
    const int port = server.bind();
    std::thread listener([&] { server.listen(); });
    const auto points = commune_points();
    std::vector<double> times_ms;
    std::mutex mutex;
    for (auto _ : state) {
        std::vector<std::thread> planners;
        for (int p = 0; p < 20; ++p)
            planners.emplace_back([&, p] {
                httplib::Client c("127.0.0.1", port);
                c.set_keep_alive(true);  // as browsers do
                c.set_tcp_nodelay(true);
                auto r = c.Post("/api/sessions", R"({"category":"france_services"})", "application/json");
                const std::string id = nlohmann::json::parse(r->body)["session"];
                std::mt19937 random(static_cast<unsigned>(p));
                std::vector<double> mine;
                for (int k = 0; k < 50; ++k) {
                    const Point2 at = points[random() % points.size()];
                    const std::string body = k % 2 ? std::string("{}") : nlohmann::json{{"kind", "add"}, {"x", at.x}, {"y", at.y}}.dump();
                    const auto start = std::chrono::steady_clock::now();
                    auto a = k % 2 ? c.Post(("/api/sessions/" + id + "/undo").c_str(), body, "application/json")
                                   : c.Post(("/api/sessions/" + id + "/changes").c_str(), body, "application/json");
                    mine.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
                    if (!a || a->status != 200) std::abort();
                }
                std::lock_guard lock(mutex);
                times_ms.insert(times_ms.end(), mine.begin(), mine.end());
            });
        for (auto& t : planners) t.join();
    }
    std::sort(times_ms.begin(), times_ms.end());
    state.counters["p50_ms"] = times_ms[times_ms.size() / 2];
    state.counters["p95_ms"] = times_ms[times_ms.size() * 95 / 100];
    state.counters["max_ms"] = times_ms.back();
    server.stop();
    listener.join();
}
BENCHMARK(BM_ServeRoundTrip20Sessions)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace
