#include "util/staged_directory.hpp"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <string>
#include <system_error>

#include "util/errors.hpp"
#include "util/output_staging.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {

using detail::clean_target;
using detail::sibling;

bool inside(const fs::path& dir, const fs::path& p) {
    auto [d, q] = std::mismatch(dir.begin(), dir.end(), p.begin(), p.end());
    return d == dir.end();
}

fs::path resolved(const fs::path& p) {
    std::error_code ec;
    fs::path r = fs::weakly_canonical(p, ec);
    if (ec) r = fs::absolute(p, ec).lexically_normal();
    return clean_target(r);
}

}  // namespace

void StagedDirectory::check_target(const fs::path& target) {
    const fs::path t = clean_target(target);
    std::error_code ec;
    const fs::file_status status = fs::status(t, ec);
    if (ec && status.type() != fs::file_type::not_found)
        throw OutputError(t.string() + ": cannot use as the output directory: " + ec.message());
    if (!fs::exists(status)) return;
    if (!fs::is_directory(status))
        throw OutputError(t.string() + ": exists and is not a directory (the output is a directory of files): give "
                                       "another name");
    if (fs::exists(t / kMarker, ec) || fs::is_empty(t, ec)) return;
    // Sets written before the marker existed (scenario runs of 2026-11-26 and earlier).
    if (fs::exists(t / "scenario.json", ec) && fs::exists(t / "comparison.json", ec)) return;
    throw OutputError(t.string() + ": this directory holds files maillage did not write; an output set replaces its "
                                   "directory as a whole, so give a new or empty directory (or one a previous run wrote)");
}

void StagedDirectory::check_not_over_inputs(const fs::path& target, const std::vector<fs::path>& inputs) {
    const fs::path t = resolved(target);
    for (const auto& input : inputs) {
        if (input.empty() || input.string().rfind("/vsi", 0) == 0) continue;
        const fs::path in = resolved(input);
        if (inside(t, in))
            throw OutputError(input.string() + ": this input lies in the output directory " + target.string() +
                              ", which is replaced as a whole by the new outputs: give another output directory "
                              "(or move the input out of it)");
    }
}

StagedDirectory::StagedDirectory(fs::path target) : target_(clean_target(target)), staging_(sibling(target, "staging")) {
    check_target(target_);
    lock_ = detail::acquire_output_lock(target_, "directory");
    detail::remove_stale_siblings(target_, true);
    detail::StagingRegistry& r = detail::staging_registry();
    {
        // Known before it exists: a signal from now on removes it.
        std::lock_guard<std::mutex> guard(r.mutex);
        r.uncommitted[this] = staging_;
    }
    auto fail = [&](const std::string& message) {
        std::lock_guard<std::mutex> guard(r.mutex);
        r.uncommitted.erase(this);
        std::error_code ignored;
        fs::remove_all(staging_, ignored);
        return OutputError(message);
    };
    std::error_code ec;
    fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) throw fail(staging_.string() + ": cannot create the output directory: " + ec.message());
    std::ofstream marker(staging_ / kMarker);
    marker << "written by maillage: this directory is replaced as a whole by the next run\n";
    if (!marker.flush()) throw fail((staging_ / kMarker).string() + ": cannot write");
}

StagedDirectory::~StagedDirectory() {
    detail::forget_staging(this, staging_, committed_);
    lock_.reset();  // the last holder removes the lock file
}

void StagedDirectory::commit() {
    // Under the registry's mutex: a signal arriving meanwhile waits for the swap to end, so
    // the target is either the old set or the new one.
    detail::StagingRegistry& r = detail::staging_registry();
    std::lock_guard<std::mutex> guard(r.mutex);
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
    r.uncommitted.erase(this);
    ++r.committed;
    if (had_target) fs::remove_all(old, ec);
}

void StagedDirectory::write_and_commit(const std::function<void(const fs::path&)>& fill) {
    try {
        fill(staging_);
    } catch (const OutputError& e) {
        std::string text = e.what();
        const std::string staging = staging_.string(), target = target_.string();
        for (std::size_t at = text.find(staging); at != std::string::npos; at = text.find(staging, at + target.size()))
            text.replace(at, staging.size(), target);
        throw OutputError(text + " (nothing was replaced: the earlier outputs in " + target + " are untouched)");
    }
    commit();
}

int StagedDirectory::abandon_all_before_exit() { return detail::abandon_all_staging_before_exit(); }

OutputReservation::OutputReservation(const fs::path& target) {
    const fs::path t = clean_target(target);
    StagedDirectory::check_target(t);
    lock_ = detail::acquire_output_lock(t, "directory");
}

OutputReservation::~OutputReservation() = default;

}  // namespace maillage
