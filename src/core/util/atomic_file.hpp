#pragma once
// Outputs are written to a temporary sibling and renamed into place, so a failed
// run never leaves a half-written file behind.
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>

namespace maillage {

// Writes `path` through `fill`; on any exception the temporary is removed and the
// previous content of `path` (if any) is untouched. Throws OutputError on I/O failure.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& fill);

// For writers that need a path (GDAL drivers): hands out a temporary path in the
// same directory; commit() renames it over the target, the destructor removes it
// if commit() was never reached.
class AtomicPath {
public:
    explicit AtomicPath(std::filesystem::path target);
    ~AtomicPath();
    AtomicPath(const AtomicPath&) = delete;
    AtomicPath& operator=(const AtomicPath&) = delete;

    [[nodiscard]] const std::filesystem::path& temporary() const { return temporary_; }
    [[nodiscard]] const std::filesystem::path& target() const { return target_; }
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path temporary_;
    bool committed_ = false;
};

}  // namespace maillage
