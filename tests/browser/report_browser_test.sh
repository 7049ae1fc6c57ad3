#!/usr/bin/env bash
# The report in a real browser, as ctest runs it: `maillage run SCENARIO --pdf` on a real
# scenario of the Vienne default, then check_report.mjs opens rapport.html in headless
# Chromium (no request, no console error, maps and charts not blank, valid HTML) and checks
# rapport.pdf (page count = printed pages of the HTML, key figures in its text).
#
#   bash tests/browser/report_browser_test.sh MAILLAGE_BINARY REPO_ROOT [SCENARIO]
#
# Exit: 0 passed, 1 a check failed, 2 missing tool (Chromium, poppler-utils, npm packages).
set -euo pipefail
maillage="$1"
repo_root="$2"
scenario="${3:-scenarios/1-1-1_acces_aux_droits.yaml}"
work="$(mktemp -d)"
trap 'rm -rf -- "${work}"' EXIT
cd -- "${repo_root}"
"${maillage}" run "${scenario}" -o "${work}/out" --pdf --date 2026-11-26 >"${work}/run.log" 2>&1 || {
    cat "${work}/run.log" >&2
    echo "report_browser_test: maillage run failed" >&2
    exit 1
}
[[ -s "${work}/out/rapport.pdf" ]] || {
    cat "${work}/run.log" >&2
    echo "report_browser_test: no rapport.pdf (is chromium installed? bash scripts/setup.sh installs it)" >&2
    exit 2
}
node tests/browser/check_report.mjs "${work}/out/rapport.html" --pdf "${work}/out/rapport.pdf"
