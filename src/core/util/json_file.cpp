#include "util/json_file.hpp"

#include <fstream>

#include "util/errors.hpp"

namespace maillage {

nlohmann::json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw InputError({path.string(), "", ""}, "cannot open file");
    // These files nest a few levels. Deeper ones are refused while parsing: a value nested
    // 60 000 deep (120 kB) would overflow the stack wherever it is printed (dump() in error
    // messages) or copied, recursively. Found by fuzz/.
    constexpr int kMaxDepth = 64;
    const auto limit_depth = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > kMaxDepth)
            throw InputError({path.string(), "", ""}, "JSON nested more than " + std::to_string(kMaxDepth) + " levels deep",
                             "a configuration file of a few levels");
        return true;
    };
    try {
        return nlohmann::json::parse(in, limit_depth);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError({path.string(), "byte " + std::to_string(e.byte), ""}, "invalid JSON", "a JSON document");
    } catch (const nlohmann::json::out_of_range&) {
        // The only one the parser throws: a number beyond a double (1e999). Found by fuzz/.
        throw InputError({path.string(), "", ""}, "invalid JSON: a number is too large", "numbers within ±1.8e308");
    }
}

void check_keys(const nlohmann::json& object, std::initializer_list<const char*> allowed, const std::string& file,
                const std::string& pointer) {
    if (!object.is_object()) throw InputError({file, pointer.empty() ? "/" : pointer, ""}, "not a JSON object");
    for (const auto& [key, value] : object.items()) {
        bool known = false;
        for (const char* a : allowed) known = known || key == a;
        if (!known) {
            std::string list;
            for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            throw InputError({file, pointer + "/" + key, key}, "unknown key", "one of " + list);
        }
    }
}

double json_number(const nlohmann::json& object, const char* key, const std::string& file, const std::string& pointer,
                   bool positive) {
    auto it = object.find(key);
    if (it == object.end()) throw InputError({file, pointer + "/" + key, key}, "missing key", "a number");
    if (!it->is_number()) throw InputError({file, pointer + "/" + key, key}, "not a number: " + it->dump(), "a number");
    double v = it->get<double>();
    if (positive && !(v > 0)) throw InputError({file, pointer + "/" + key, key}, "must be positive, got " + it->dump(), "a number > 0");
    if (!positive && v < 0) throw InputError({file, pointer + "/" + key, key}, "must not be negative, got " + it->dump(), "a number >= 0");
    return v;
}

}  // namespace maillage
