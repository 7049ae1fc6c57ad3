#pragma once
// The report as the front ends write it: read a run's outputs, build the HTML, write it,
// and print it to PDF when asked (finding Chromium is the front end's business).
#include <filesystem>
#include <optional>
#include <string>

namespace maillage::cli {

struct ReportRequest {
    std::filesystem::path run_dir;  // outputs to read
    std::filesystem::path html;     // where to write the report
    bool pdf = false;               // also html with .pdf
    std::string date;               // YYYY-MM-DD, or empty
    std::string chromium;           // --chromium, else $CHROMIUM, else chromium on the PATH
    std::string geodata;            // --geodata (for the data catalogue geodata/sources.csv)
};

// Throws UsageError for a malformed date, InputError for an unreadable run.
// Returns the PDF path when one was written.
std::optional<std::filesystem::path> write_report(const ReportRequest& request);

// Throws UsageError unless `date` is empty or a real YYYY-MM-DD date.
void check_report_date(const std::string& date);

}  // namespace maillage::cli
