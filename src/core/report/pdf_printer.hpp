#pragma once
// Prints an HTML report to PDF with headless Chromium (the browser's own print engine gives
// the A4 pages, page breaks and page numbers of the print stylesheet). The caller says which
// Chromium to run: the library does not search the PATH.
#include <chrono>
#include <filesystem>

namespace maillage::report {

// Writes `pdf` from `html` (all or nothing: a temporary file renamed into place). Throws
// OutputError when Chromium fails, times out or writes no PDF.
void print_pdf(const std::filesystem::path& chromium, const std::filesystem::path& html, const std::filesystem::path& pdf,
               std::chrono::seconds timeout = std::chrono::seconds(180));

}  // namespace maillage::report
