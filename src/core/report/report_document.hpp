#pragma once
// The report for elected officials: one self-contained French HTML document (inline CSS and
// SVG, no request of any kind) built from the outputs of a run, printable on A4. Every
// figure is read from the run's files (summary.json, comparison.json, the layers); nothing
// is recomputed. Deterministic: the same outputs and options give the same bytes.
#include <filesystem>
#include <string>

#include "report/run_outputs.hpp"

namespace maillage::report {

struct ReportOptions {
    // Edition date "YYYY-MM-DD" printed on the cover; empty: none (the data vintages are
    // printed instead). Never read from the clock, so the report is reproducible.
    std::string date;
    // The project's data catalogue (geodata/sources.csv: path, dataset, publisher, licence,
    // vintage, ..., sha256): inputs of the provenance are matched by sha256 to give their
    // dataset, vintage and licence. Empty: the methodology page lists paths and sha256 only.
    std::filesystem::path sources_catalogue;
    // GEOS simplification of the outlines (metres): below a pixel on a territory page.
    double simplify_tolerance_m = 60.0;
};

// Throws InputError when the run cannot be reported (no commune layer at all, say).
std::string build_report_html(const RunOutputs& run, const ReportOptions& options);

}  // namespace maillage::report
