#include "cli/common/report_writer.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "presets/vienne_preset.hpp"
#include "report/pdf_printer.hpp"
#include "report/report_document.hpp"
#include "report/run_outputs.hpp"
#include "util/atomic_file.hpp"
#include "util/errors.hpp"

namespace maillage::cli {

namespace fs = std::filesystem;

namespace {

std::optional<fs::path> find_chromium(const std::string& option) {
    if (!option.empty()) return fs::path(option);
    if (const char* env = std::getenv("CHROMIUM"); env && *env) return fs::path(env);
    const char* path = std::getenv("PATH");
    if (!path) return std::nullopt;
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');)
        for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
            const fs::path candidate = fs::path(dir) / name;
            std::error_code ec;
            if (fs::is_regular_file(candidate, ec)) return candidate;
        }
    return std::nullopt;
}

}  // namespace

void check_report_date(const std::string& date) {
    if (date.empty()) return;
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    if (date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 ||
        !std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)).ok())
        throw UsageError("--date " + date + ": expected a date as YYYY-MM-DD, e.g. 2026-11-26");
}

std::optional<fs::path> write_report(const ReportRequest& r) {
    check_report_date(r.date);
    report::RunOutputs run = report::read_run_outputs(r.run_dir);
    report::ReportOptions options;
    options.date = r.date;
    const fs::path catalogue = presets::resolve_geodata_dir(r.geodata) / "sources.csv";
    if (fs::is_regular_file(catalogue)) options.sources_catalogue = catalogue;
    const std::string html = report::build_report_html(run, options);
    write_file_atomically(r.html, [&](std::ostream& os) { os << html; });
    if (!r.pdf) return std::nullopt;
    const fs::path pdf = fs::path(r.html).replace_extension(".pdf");
    const auto chromium = find_chromium(r.chromium);
    if (!chromium) {
        std::fprintf(stderr,
                     "warning: no PDF written: Chromium was not found (install it with `apt-get install chromium`, or give "
                     "--chromium PATH); the HTML report is written: %s\n",
                     r.html.string().c_str());
        return std::nullopt;
    }
    report::print_pdf(*chromium, r.html, pdf);
    return pdf;
}

}  // namespace maillage::cli
