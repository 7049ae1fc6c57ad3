#include "serve/api_server.hpp"

#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <sstream>

#include <httplib.h>

#include "report/map_geometry.hpp"
#include "report/svg_map.hpp"
#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kWorkers = 48;

struct SessionEntry {
    std::mutex mutex;  // one request at a time per session
    std::unique_ptr<PlanningSession> session;
    Clock::time_point last_used;
};

std::string read_asset(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw InputError({path.string(), "", ""}, "missing web asset", "web/index.html, web/app.js and web/app.css");
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

std::string new_session_id() {
    static std::mutex mutex;
    static std::random_device device;
    std::lock_guard lock(mutex);
    std::ostringstream os;
    for (int i = 0; i < 4; ++i) {
        char buf[9];
        std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(device()));
        os << buf;
    }
    return os.str();
}

void json_answer(httplib::Response& res, int status, const nlohmann::ordered_json& body) {
    res.status = status;
    res.set_content(body.dump(), "application/json; charset=utf-8");
}

void error_answer(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    json_answer(res, status, {{"error", code}, {"message", message}});
}

void refused_answer(httplib::Response& res, const RequestRefused& e) {
    switch (e.reason()) {
        case RequestRefused::Reason::bad_request: error_answer(res, 400, "bad_request", e.what()); break;
        case RequestRefused::Reason::not_found: error_answer(res, 404, "not_found", e.what()); break;
        case RequestRefused::Reason::outside: error_answer(res, 422, "outside", e.what()); break;
        case RequestRefused::Reason::unknown_category: error_answer(res, 422, "unknown_category", e.what()); break;
    }
}

// The body as a JSON object, or a 400 naming what is wrong.
nlohmann::json body_object(const httplib::Request& req) {
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(req.body.empty() ? std::string("{}") : req.body);
    } catch (const nlohmann::json::parse_error& e) {
        throw RequestRefused(RequestRefused::Reason::bad_request,
                             "the body is not JSON (byte " + std::to_string(e.byte) + ")");
    }
    if (!j.is_object()) throw RequestRefused(RequestRefused::Reason::bad_request, "the body must be a JSON object");
    return j;
}

double number_field(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        throw RequestRefused(RequestRefused::Reason::bad_request, std::string("'") + key + "' must be a number");
    return it->get<double>();
}

std::string string_field(const nlohmann::json& j, const char* key, bool required) {
    auto it = j.find(key);
    if (it == j.end()) {
        if (required) throw RequestRefused(RequestRefused::Reason::bad_request, std::string("'") + key + "' is required");
        return {};
    }
    if (!it->is_string()) throw RequestRefused(RequestRefused::Reason::bad_request, std::string("'") + key + "' must be a string");
    std::string s = it->get<std::string>();
    if (s.size() > 200) throw RequestRefused(RequestRefused::Reason::bad_request, std::string("'") + key + "' is too long");
    return s;
}

PlanningChange change_of(const nlohmann::json& j) {
    const std::string kind = string_field(j, "kind", true);
    PlanningChange c;
    if (kind == "add") {
        c.kind = PlanningChange::Kind::add;
        c.at = Point2{number_field(j, "x"), number_field(j, "y")};
        c.name = string_field(j, "name", false);
    } else if (kind == "close") {
        c.kind = PlanningChange::Kind::close;
        c.site_id = string_field(j, "site_id", true);
    } else if (kind == "move") {
        c.kind = PlanningChange::Kind::move;
        c.site_id = string_field(j, "site_id", true);
        c.at = Point2{number_field(j, "x"), number_field(j, "y")};
    } else {
        throw RequestRefused(RequestRefused::Reason::bad_request, "unknown kind '" + kind + "': expected add, close or move");
    }
    return c;
}

nlohmann::ordered_json study_json(const PlanningBase& base, double tolerance) {
    const Workspace& ws = *base.workspace;
    const Territory& t = ws.territory();
    std::vector<report::MapGeometry::Input> inputs;
    for (const auto& c : t.communes)
        inputs.push_back({c.code.str(), c.name, c.epci_id, c.territory_id,
                          c.population ? static_cast<double>(*c.population) : 0.0, c.geometry.get()});
    const report::MapGeometry g = report::MapGeometry::build(inputs, tolerance);
    nlohmann::ordered_json j;
    j["title"] = base.title.empty() ? "Carte interactive" : base.title;
    const bool estimated = ws.network().info().source == TravelTimeSource::estimated;
    j["travel_time_source"] = to_string(ws.network().info().source);
    j["travel_time_warning"] = estimated ? "Temps de trajet estimés (aucun réseau routier fourni) : des ordres de grandeur, "
                                           "à ±25 % pour 8 trajets sur 10."
                                         : "";
    j["box"] = {{"min_x", g.box().min_x}, {"min_y", g.box().min_y}, {"max_x", g.box().max_x}, {"max_y", g.box().max_y}};
    j["unit_m"] = 10;
    j["geometry_svg"] = report::svg_geometry_defs(g);
    nlohmann::ordered_json communes = nlohmann::ordered_json::array();
    for (const auto& c : t.communes) {
        const int i = g.find(c.code.str());
        const auto& shape = g.communes()[static_cast<std::size_t>(i)];
        communes.push_back({{"code", c.code.str()},
                            {"name", c.name},
                            {"population", c.population ? nlohmann::ordered_json(*c.population) : nullptr},
                            {"epci", c.epci_id},
                            {"territory", c.territory_id},
                            {"label", {{"x", std::round(shape.label_point.x)}, {"y", std::round(shape.label_point.y)}}}});
    }
    j["communes"] = communes;
    nlohmann::ordered_json epcis = nlohmann::ordered_json::array(), territories = nlohmann::ordered_json::array();
    for (const auto& a : t.epcis) epcis.push_back({{"id", a.id}, {"name", a.name}});
    for (const auto& a : t.territories) territories.push_back({{"id", a.id}, {"name", a.name}});
    j["epcis"] = epcis;
    j["territories"] = territories;
    std::vector<std::pair<long long, std::string>> by_pop;
    for (const auto& c : t.communes) by_pop.emplace_back(-c.population.value_or(0), c.code.str());
    std::sort(by_pop.begin(), by_pop.end());
    nlohmann::ordered_json towns = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < by_pop.size() && i < 8; ++i) towns.push_back(by_pop[i].second);
    j["towns"] = towns;
    nlohmann::ordered_json categories = nlohmann::ordered_json::array();
    for (const auto& c : ws.catalogue().categories()) {
        auto it = base.baseline.find(c.key);
        CoverageParameters p{c.key, {}, std::nullopt, false, {}};
        const auto resolved = resolve(p, ws);
        categories.push_back({{"key", c.key},
                              {"label", c.label_fr},
                              {"sites", it == base.baseline.end() ? 0 : it->second.size()},
                              {"bands_minutes", resolved.bands_minutes},
                              {"gap_threshold_minutes", resolved.gap_threshold_minutes}});
    }
    j["categories"] = categories;
    return j;
}

}  // namespace

struct ApiServer::Impl {
    const PlanningBase& base;
    ServerOptions options;
    httplib::Server server;
    std::string index_html, app_js, app_css;
    std::string study;  // /api/study, built once
    std::mutex sessions_mutex;
    std::map<std::string, std::shared_ptr<SessionEntry>> sessions;
    int port = 0;

    Impl(const PlanningBase& b, ServerOptions o) : base(b), options(std::move(o)) {}

    bool token_ok(const httplib::Request& req) const {
        if (options.token.empty()) return true;
        if (req.get_header_value("X-Maillage-Token") == options.token) return true;
        return req.has_param("token") && req.get_param_value("token") == options.token;
    }

    void purge_expired() {
        const auto now = Clock::now();
        for (auto it = sessions.begin(); it != sessions.end();) {
            if (now - it->second->last_used > options.session_ttl) it = sessions.erase(it);
            else ++it;
        }
    }

    std::shared_ptr<SessionEntry> find(const std::string& id) {
        std::lock_guard lock(sessions_mutex);
        auto it = sessions.find(id);
        if (it == sessions.end()) throw RequestRefused(RequestRefused::Reason::not_found, "no session '" + id + "' (expired?)");
        it->second->last_used = Clock::now();
        return it->second;
    }

    nlohmann::ordered_json state_of(const std::string& id, const PlanningSession& s) const {
        nlohmann::ordered_json j;
        j["session"] = id;
        const nlohmann::ordered_json state = s.state();
        for (const auto& [k, v] : state.items()) j[k] = v;
        return j;
    }

    // Runs `work` on the session of the request's path, under its lock.
    template <typename Work>
    void with_session(const httplib::Request& req, httplib::Response& res, Work work) {
        const std::string id = req.matches[1];
        auto entry = find(id);
        std::lock_guard lock(entry->mutex);
        work(id, *entry->session, res);
    }

    void routes() {
        server.set_payload_max_length(options.max_body_bytes);
        // A browser keeps several connections alive and cpp-httplib gives each its own worker
        // while it lives: with the default pool (about 8 workers) a meeting's laptops queue
        // behind each other for seconds. Enough workers for every kept-alive connection of
        // 20 planners, and connections recycled rather than held.
        server.new_task_queue = [] { return new httplib::ThreadPool(kWorkers); };
        server.set_keep_alive_max_count(1000);
        // Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm
        // holds the body until the client's delayed ACK (40 ms) on a kept-alive connection.
        server.set_tcp_nodelay(true);
        server.set_keep_alive_timeout(2);
        server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
            if (req.path.rfind("/api/", 0) == 0 && !token_ok(req)) {
                error_answer(res, 401, "token", "a valid token is required (X-Maillage-Token header or ?token=)");
                return httplib::Server::HandlerResponse::Handled;
            }
            return httplib::Server::HandlerResponse::Unhandled;
        });
        server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
            try {
                if (ep) std::rethrow_exception(ep);
            } catch (const RequestRefused& e) {
                refused_answer(res, e);
                return;
            } catch (const std::exception& e) {
                error_answer(res, 500, "internal", e.what());
                return;
            } catch (...) {
            }
            error_answer(res, 500, "internal", "unexpected error");
        });
        server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return;
            if (res.status == 413) error_answer(res, 413, "too_large", "the request body is larger than allowed");
            else if (res.status == 404) error_answer(res, 404, "not_found", "no such path: " + req.path);
            else error_answer(res, res.status, "bad_request", "request refused");
        });
        server.Get("/", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(index_html, "text/html; charset=utf-8");
        });
        server.Get("/app.js", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(app_js, "text/javascript; charset=utf-8");
        });
        server.Get("/app.css", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(app_css, "text/css; charset=utf-8");
        });
        server.Get("/api/study", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(study, "application/json; charset=utf-8");
        });
        server.Post("/api/sessions", [this](const httplib::Request& req, httplib::Response& res) {
            const auto body = body_object(req);
            const std::string category = string_field(body, "category", true);
            std::vector<double> thresholds;
            if (body.contains("thresholds")) {
                if (!body["thresholds"].is_array() || body["thresholds"].size() > 12)
                    throw RequestRefused(RequestRefused::Reason::bad_request, "'thresholds' must be a list of at most 12 numbers");
                for (const auto& t : body["thresholds"]) {
                    if (!t.is_number()) throw RequestRefused(RequestRefused::Reason::bad_request, "'thresholds' must hold numbers");
                    thresholds.push_back(t.get<double>());
                }
            }
            std::optional<double> gap;
            if (body.contains("gap_threshold")) gap = number_field(body, "gap_threshold");
            auto entry = std::make_shared<SessionEntry>();
            entry->session = std::make_unique<PlanningSession>(base, category, thresholds, gap);
            entry->last_used = Clock::now();
            const std::string id = new_session_id();
            {
                std::lock_guard lock(sessions_mutex);
                purge_expired();
                if (sessions.size() >= options.max_sessions) {
                    error_answer(res, 429, "too_many_sessions", "too many open sessions: try again later");
                    return;
                }
                sessions[id] = entry;
            }
            json_answer(res, 201, state_of(id, *entry->session));
        });
        const std::string session = "/api/sessions/([0-9a-f]{32})";
        server.Get(session, [this](const httplib::Request& req, httplib::Response& res) {
            with_session(req, res, [this](const std::string& id, PlanningSession& s, httplib::Response& r) {
                json_answer(r, 200, state_of(id, s));
            });
        });
        server.Delete(session, [this](const httplib::Request& req, httplib::Response& res) {
            const std::string id = req.matches[1];
            std::lock_guard lock(sessions_mutex);
            if (!sessions.erase(id)) throw RequestRefused(RequestRefused::Reason::not_found, "no session '" + id + "'");
            res.status = 204;
        });
        server.Post(session + "/changes", [this](const httplib::Request& req, httplib::Response& res) {
            const PlanningChange change = change_of(body_object(req));
            with_session(req, res, [&](const std::string& id, PlanningSession& s, httplib::Response& r) {
                s.apply(change);
                json_answer(r, 200, state_of(id, s));
            });
        });
        server.Post(session + "/undo", [this](const httplib::Request& req, httplib::Response& res) {
            with_session(req, res, [this](const std::string& id, PlanningSession& s, httplib::Response& r) {
                s.undo();
                json_answer(r, 200, state_of(id, s));
            });
        });
        server.Post(session + "/redo", [this](const httplib::Request& req, httplib::Response& res) {
            with_session(req, res, [this](const std::string& id, PlanningSession& s, httplib::Response& r) {
                s.redo();
                json_answer(r, 200, state_of(id, s));
            });
        });
        server.Get(session + "/export.yaml", [this](const httplib::Request& req, httplib::Response& res) {
            with_session(req, res, [](const std::string&, PlanningSession& s, httplib::Response& r) {
                r.set_header("Content-Disposition", "attachment; filename=\"session.yaml\"");
                r.set_content(s.export_yaml(), "text/yaml; charset=utf-8");
            });
        });
        server.Get(session + "/export.geojson", [this](const httplib::Request& req, httplib::Response& res) {
            with_session(req, res, [](const std::string&, PlanningSession& s, httplib::Response& r) {
                r.set_header("Content-Disposition", "attachment; filename=\"session.geojson\"");
                r.set_content(s.export_geojson(), "application/geo+json; charset=utf-8");
            });
        });
    }
};

ApiServer::ApiServer(const PlanningBase& base, ServerOptions options) : impl_(std::make_unique<Impl>(base, std::move(options))) {
    impl_->index_html = read_asset(impl_->options.web_dir / "index.html");
    impl_->app_js = read_asset(impl_->options.web_dir / "app.js");
    impl_->app_css = read_asset(impl_->options.web_dir / "app.css");
    impl_->study = study_json(base, impl_->options.simplify_tolerance_m).dump();
    impl_->routes();
}

ApiServer::~ApiServer() { stop(); }

int ApiServer::bind() {
    if (impl_->options.port == 0) {
        impl_->port = impl_->server.bind_to_any_port(impl_->options.bind);
    } else {
        impl_->port = impl_->server.bind_to_port(impl_->options.bind, impl_->options.port) ? impl_->options.port : -1;
    }
    if (impl_->port < 0)
        throw OutputError("cannot listen on " + impl_->options.bind + ":" + std::to_string(impl_->options.port) +
                          " (address in use, or not an address of this machine?)");
    return impl_->port;
}

void ApiServer::listen() { impl_->server.listen_after_bind(); }

void ApiServer::stop() {
    if (impl_ && impl_->server.is_running()) impl_->server.stop();
}

}  // namespace maillage
