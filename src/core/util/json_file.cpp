#include "util/json_file.hpp"

#include <fstream>

#include "util/errors.hpp"

namespace maillage {

nlohmann::json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw InputError({path.string(), "", ""}, "cannot open file");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError({path.string(), "byte " + std::to_string(e.byte), ""}, "invalid JSON", "a JSON document");
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
