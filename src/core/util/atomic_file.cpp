#include "util/atomic_file.hpp"

#include <fstream>
#include <system_error>
#include <unistd.h>

#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {
fs::path temporary_sibling(const fs::path& target) {
    // The temporary keeps the target's extension last so format-sniffing writers
    // (GDAL) pick the right driver.
    std::string name = "." + target.stem().string() + ".tmp" + std::to_string(::getpid()) +
                       target.extension().string();
    return target.parent_path() / name;
}
}  // namespace

AtomicPath::AtomicPath(fs::path target) : target_(std::move(target)), temporary_(temporary_sibling(target_)) {
    if (!target_.parent_path().empty()) {
        std::error_code ec;
        fs::create_directories(target_.parent_path(), ec);
        if (ec) throw OutputError(target_.parent_path().string() + ": cannot create directory: " + ec.message());
    }
    std::error_code ec;
    fs::remove(temporary_, ec);
}

AtomicPath::~AtomicPath() {
    if (!committed_) {
        std::error_code ec;
        fs::remove(temporary_, ec);
    }
}

void AtomicPath::commit() {
    std::error_code ec;
    fs::rename(temporary_, target_, ec);
    if (ec) throw OutputError(target_.string() + ": cannot move output into place: " + ec.message());
    committed_ = true;
}

void write_file_atomically(const fs::path& path, const std::function<void(std::ostream&)>& fill) {
    AtomicPath out(path);
    {
        std::ofstream stream(out.temporary(), std::ios::binary | std::ios::trunc);
        if (!stream) throw OutputError(path.string() + ": cannot open for writing");
        fill(stream);
        stream.flush();
        if (!stream) throw OutputError(path.string() + ": write failed");
    }
    out.commit();
}

}  // namespace maillage
