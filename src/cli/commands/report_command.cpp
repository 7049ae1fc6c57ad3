// `maillage report DIR -o rapport.html [--pdf]`: the report for elected officials, from the
// outputs of a run (no recomputation): one self-contained French HTML file, and its PDF.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/common/report_writer.hpp"

namespace maillage::cli {

namespace {

class ReportCommand : public Command {
public:
    std::string name() const override { return "report"; }
    std::string description() const override {
        return "Write the report of a run (one self-contained French HTML file, optionally its PDF)";
    }
    std::string examples() const override {
        return R"(  maillage report out/vienne_baseline -o out/rapport.html
      the report of `maillage run scenarios/vienne_baseline.yaml -o out/vienne_baseline`
  maillage report out/ae --pdf --date 2026-11-26
      out/ae/rapport.html and out/ae/rapport.pdf (printed by headless Chromium)
)";
    }
    void setup(CLI::App& app) override {
        app.add_option("dir", request_.run_dir, "Output directory of maillage run, coverage, access or optimise")->required();
        app.add_option("-o,--output", output_, "Report file (default: DIR/rapport.html)");
        app.add_flag("--pdf", request_.pdf, "Also print it to PDF (same name, .pdf) with headless Chromium");
        app.add_option("--date", request_.date, "Edition date printed on the cover, YYYY-MM-DD (default: none)");
        app.add_option("--chromium", request_.chromium, "Chromium executable (default: $CHROMIUM, else chromium on the PATH)");
        app.add_option("--geodata", request_.geodata, "Geodata directory, for the data catalogue (default: $MAILLAGE_GEODATA or geodata/)");
    }
    void validate() override { check_report_date(request_.date); }
    int run() override {
        request_.html = output_.empty() ? request_.run_dir / "rapport.html" : std::filesystem::path(output_);
        const auto pdf = write_report(request_);
        std::printf("report: %s\n", request_.html.string().c_str());
        if (pdf) std::printf("pdf:    %s\n", pdf->string().c_str());
        return 0;
    }

private:
    ReportRequest request_;
    std::string output_;
};

}  // namespace

std::unique_ptr<Command> make_report_command() { return std::make_unique<ReportCommand>(); }

}  // namespace maillage::cli
