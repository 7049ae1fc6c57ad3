#include "util/staged_files.hpp"

#include <mutex>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "util/errors.hpp"
#include "util/output_staging.hpp"

namespace maillage {

namespace fs = std::filesystem;

namespace {

// Replaces every occurrence of `from` in `text` by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

// Keeps the file at `target` as `keep` (same directory tree, same file system): a hard link
// costs nothing; a file system without hard links gets a copy.
std::error_code keep_previous(const fs::path& target, const fs::path& keep) {
    std::error_code ec;
    fs::create_hard_link(target, keep, ec);
    if (!ec) return ec;
    ec.clear();
    fs::copy_file(target, keep, fs::copy_options::overwrite_existing, ec);
    return ec;
}

}  // namespace

StagedFiles::StagedFiles(std::vector<fs::path> targets) {
    if (targets.empty()) throw std::invalid_argument("StagedFiles: no target");
    for (const auto& t : targets) {
        targets_.push_back(detail::clean_target(t));
        if (targets_.back().parent_path() != targets_.front().parent_path())
            throw std::invalid_argument("StagedFiles: " + t.string() + " is not beside " + targets.front().string());
    }
    for (const auto& t : targets_) {
        std::error_code ec;
        if (fs::is_directory(t, ec))
            throw OutputError(t.string() + ": is a directory, where an output file is to be written: give another name "
                                           "(or move the directory)");
    }
    staging_ = detail::sibling(targets_.front(), "staging");
    lock_ = detail::acquire_output_lock(targets_.front(), "file");
    detail::remove_stale_siblings(targets_.front(), false);
}

StagedFiles::~StagedFiles() {
    detail::forget_staging(this, staging_, committed_);
    lock_.reset();  // the last holder removes the lock file
}

std::string StagedFiles::untouched() const {
    std::string names;
    for (std::size_t i = 0; i < targets_.size(); ++i)
        names += (i == 0 ? "" : i + 1 == targets_.size() ? " and " : ", ") + targets_[i].string();
    return " (nothing was replaced: the earlier " + names + (targets_.size() == 1 ? " is" : " are") + " untouched)";
}

void StagedFiles::write_and_commit(const std::function<void(const std::vector<fs::path>&)>& fill) {
    detail::StagingRegistry& r = detail::staging_registry();
    {
        // Known before it exists: a signal from now on removes it.
        std::lock_guard<std::mutex> guard(r.mutex);
        r.uncommitted[this] = staging_;
    }
    std::error_code ec;
    fs::remove_all(staging_, ec);
    fs::create_directories(staging_, ec);
    if (ec) throw OutputError(staging_.string() + ": cannot create the directory for the new files: " + ec.message());
    std::vector<fs::path> staged;
    for (const auto& t : targets_) staged.push_back(staging_ / t.filename());
    try {
        fill(staged);
    } catch (const OutputError& e) {
        // "DIR/.NAME.staging-PID/NAME: write failed" → "DIR/NAME: write failed".
        const fs::path parent = targets_.front().parent_path();
        const std::string text = replaced(e.what(), (staging_ / "").string(), parent.empty() ? "" : (parent / "").string());
        throw OutputError(text + untouched());
    }
    commit();
}

void StagedFiles::commit() {
    // Under the registry's mutex: a signal arriving meanwhile waits for the renames to end.
    detail::StagingRegistry& r = detail::staging_registry();
    std::lock_guard<std::mutex> guard(r.mutex);
    struct Installed {
        fs::path target;
        std::optional<fs::path> previous;  // empty: there was no file before
    };
    std::vector<Installed> installed;
    // Puts back what was installed before a failure; false if a file could not be put back.
    auto roll_back = [&] {
        bool ok = true;
        for (auto it = installed.rbegin(); it != installed.rend(); ++it) {
            std::error_code ec;
            if (it->previous) fs::rename(*it->previous, it->target, ec);
            else fs::remove(it->target, ec);
            ok = ok && !ec;
        }
        return ok;
    };
    auto fail = [&](const fs::path& target, const std::string& what, const std::error_code& ec) {
        const std::string text = target.string() + ": " + what + ": " + ec.message();
        if (roll_back()) return OutputError(text + untouched());
        return OutputError(text + " (and an earlier file could not be put back: run again)");
    };
    // The first target last: the others describe it (see the header).
    for (std::size_t k = targets_.size(); k-- > 0;) {
        const fs::path& target = targets_[k];
        std::error_code ec;
        std::optional<fs::path> previous;
        // Nothing is installed after the first target, so its previous version is never put back.
        if (k > 0 && fs::exists(fs::symlink_status(target, ec))) {
            previous = staging_ / (".previous-" + target.filename().string());
            if (auto kept = keep_previous(target, *previous))
                throw fail(target, "cannot keep the earlier file aside while replacing it", kept);
        }
        fs::rename(staging_ / target.filename(), target, ec);
        if (ec) throw fail(target, "cannot move the new file into place", ec);
        installed.push_back({target, previous});
    }
    committed_ = true;
    r.uncommitted.erase(this);
    ++r.committed;
    std::error_code ec;
    fs::remove_all(staging_, ec);
}

}  // namespace maillage
