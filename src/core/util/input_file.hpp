#pragma once
// One checked way to open an input file by path: it must be a regular file (a FIFO, a device or
// a socket would be read without end, a directory is not a file), filesystem errors (a symbolic
// link loop, a permission) become InputError naming the file, and what is read is bounded.
#include <cstdint>
#include <filesystem>
#include <string>

namespace maillage {

// Throws InputError naming `path` unless it is a regular file (following symbolic links):
// "file not found", "not a regular file (a directory)", "not a regular file (a pipe)", ...,
// or the filesystem's own message ("too many levels of symbolic links"). `what` qualifies the
// message, e.g. "the scenario file" or "extends" (may be empty).
void require_regular_file(const std::filesystem::path& path, const std::string& what = {});

// require_regular_file, then its size in bytes (InputError naming `path` if it cannot be read):
// for readers that open the file themselves (libosmium) and want its size for progress.
std::uintmax_t regular_file_size(const std::filesystem::path& path, const std::string& what = {});

// require_regular_file, then the whole file; throws InputError if it holds more than
// `max_bytes` bytes (checked while reading too, should the file grow).
std::string read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                              const std::string& what = {});

// The kind of a non-regular file, for messages: "a directory", "a pipe (FIFO)", "a device", ...
std::string file_type_name(std::filesystem::file_type type);

}  // namespace maillage
