#include "util/input_file.hpp"

#include <fstream>

#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

std::string file_type_name(fs::file_type type) {
    switch (type) {
        case fs::file_type::directory: return "a directory";
        case fs::file_type::fifo: return "a named pipe";
        case fs::file_type::character: return "a character device";
        case fs::file_type::block: return "a block device";
        case fs::file_type::socket: return "a socket";
        case fs::file_type::symlink: return "a symbolic link";
        case fs::file_type::regular: return "a regular file";
        default: return "not a file";
    }
}

namespace {
// "PHRASE (DETAIL, WHAT)", the parts that are given: "not a regular file (a directory, --sites)".
std::string qualified(const std::string& phrase, const std::string& what, const std::string& detail = {}) {
    std::string inside = detail;
    if (!what.empty()) inside += (inside.empty() ? "" : ", ") + what;
    return inside.empty() ? phrase : phrase + " (" + inside + ")";
}
}  // namespace

void require_regular_file(const fs::path& path, const std::string& what) {
    const std::string name = path.string();
    if (name.empty()) throw InputError({"", "", ""}, qualified("empty file name", what));
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (st.type() == fs::file_type::not_found) throw InputError({name, "", ""}, qualified("file not found", what));
    if (ec) throw InputError({name, "", ""}, qualified("cannot be read", what) + ": " + ec.message());
    if (st.type() != fs::file_type::regular) {
        std::string message = qualified("not a regular file", what, file_type_name(st.type()));
        if (st.type() != fs::file_type::directory) message += ": it would be read without end";
        throw InputError({name, "", ""}, message, "a file");
    }
}

std::uintmax_t regular_file_size(const fs::path& path, const std::string& what) {
    require_regular_file(path, what);
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) throw InputError({path.string(), "", ""}, qualified("cannot be read", what) + ": " + ec.message());
    return size;
}

std::string read_regular_file(const fs::path& path, std::uintmax_t max_bytes, const std::string& what) {
    const std::uintmax_t size = regular_file_size(path, what);
    const std::string name = path.string();
    auto too_large = [&](std::uintmax_t bytes) {
        return InputError({name, "", ""},
                          qualified("too large", what) + ": " + std::to_string(bytes) + " bytes",
                          "at most " + std::to_string(max_bytes) + " bytes");
    };
    if (size > max_bytes) throw too_large(size);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError({name, "", ""}, qualified("cannot be opened", what));
    std::string text;
    text.reserve(static_cast<std::size_t>(size));
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
        text.append(buf, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_bytes) throw too_large(text.size());
    }
    if (in.bad()) throw InputError({name, "", ""}, qualified("read error", what));
    return text;
}

}  // namespace maillage
