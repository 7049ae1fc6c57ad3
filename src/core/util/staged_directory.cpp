#include "util/staged_directory.hpp"

#include <system_error>
#include <unistd.h>

#include "util/errors.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {
fs::path sibling(const fs::path& target, const char* what) {
    fs::path clean = target.lexically_normal();
    if (clean.filename().empty()) clean = clean.parent_path();
    return clean.parent_path() / ("." + clean.filename().string() + "." + what + "-" + std::to_string(::getpid()));
}
}  // namespace

StagedDirectory::StagedDirectory(fs::path target)
    : target_(target.lexically_normal()), staging_(sibling(target, "staging")) {
    if (target_.filename().empty()) target_ = target_.parent_path();
    std::error_code ec;
    if (fs::exists(target_, ec) && !fs::is_directory(target_, ec))
        throw OutputError(target_.string() + ": exists and is not a directory");
    fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) throw OutputError(staging_.string() + ": cannot create the output directory: " + ec.message());
}

StagedDirectory::~StagedDirectory() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(staging_, ec);
}

void StagedDirectory::commit() {
    std::error_code ec;
    fs::path old = sibling(target_, "previous");
    fs::remove_all(old, ec);
    const bool had_target = fs::exists(target_, ec);
    if (had_target) {
        fs::rename(target_, old, ec);
        if (ec) throw OutputError(target_.string() + ": cannot move the previous outputs aside: " + ec.message());
    }
    fs::rename(staging_, target_, ec);
    if (ec) {
        std::error_code restore;
        if (had_target) fs::rename(old, target_, restore);
        throw OutputError(target_.string() + ": cannot move the new outputs into place: " + ec.message());
    }
    committed_ = true;
    if (had_target) fs::remove_all(old, ec);
}

}  // namespace maillage
