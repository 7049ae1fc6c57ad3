#pragma once
// The HTTP side of `maillage serve` (cpp-httplib): the page's three assets, the study, and
// planning sessions (one per browser, by an unguessable id, expiring when unused). Every
// answer of /api/ is JSON; a refused request leaves its session unchanged; an exception in
// a handler is a 500 answer, never a crash. See docs/SERVE_API.md.
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "planning/planning_session.hpp"

namespace maillage {

struct ServerOptions {
    std::string bind = "127.0.0.1";
    int port = 8086;                     // 0: any free port (tests)
    std::string token;                   // required in /api/ requests when not empty
    std::filesystem::path web_dir;       // index.html, app.js, app.css (read once, at start)
    std::chrono::seconds session_ttl{2 * 60 * 60};
    std::size_t max_sessions = 200;
    std::size_t max_body_bytes = 64 * 1024;
    double simplify_tolerance_m = 60;    // outlines sent to the page
};

class ApiServer {
public:
    // Reads the assets (InputError naming a missing one) and prepares /api/study.
    ApiServer(const PlanningBase& base, ServerOptions options);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    // Binds the socket; returns the port. Throws OutputError when the address is taken.
    int bind();
    // Serves until stop() (from another thread or a signal handler thread).
    void listen();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace maillage
