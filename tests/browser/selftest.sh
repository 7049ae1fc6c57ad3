#!/usr/bin/env bash
# Self-test of the real-browser report checker (tests/browser/check_report.mjs):
#   - fixtures/sample_report.html, printed to PDF by headless Chromium, must pass (exit 0);
#   - fixtures/bad_report.html must fail (exit 1) and name its three faults: an external
#     request (https://example.org/x.png, blocked before any network), a console error and a
#     blank map.
# Needs chromium and poppler-utils (Debian) and npm ci at the repository root.
#   bash tests/browser/selftest.sh        (CHROMIUM=/path overrides /usr/bin/chromium)
set -uo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "${chromium}" ]]; then
    echo "selftest: Chromium not found at ${chromium}: apt-get install chromium" >&2
    exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf -- "${work}"' EXIT
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
ko() { echo "FAIL $*"; failed=$((failed + 1)); }

# 1. The sample report printed to PDF by Chromium itself, as a user would. The flags keep the
#    run offline and free of the profile in ~/.config (a fresh --user-data-dir).
pdf="${work}/sample_report.pdf"
if timeout 120 "${chromium}" --headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    '--host-resolver-rules=MAP * ~NOTFOUND' --user-data-dir="${work}/profile" \
    --no-pdf-header-footer --print-to-pdf="${pdf}" \
    "file://${here}/fixtures/sample_report.html" >"${work}/chromium.log" 2>&1 && [[ -s "${pdf}" ]]; then
    ok "chromium --print-to-pdf sample_report.html"
else
    ko "chromium --print-to-pdf sample_report.html (log below)"
    tail -n 20 "${work}/chromium.log"
fi

# 2. The good sample passes.
node "${here}/check_report.mjs" "${here}/fixtures/sample_report.html" --pdf "${pdf}" \
    --screenshots "${work}/screenshots" >"${work}/good.out" 2>&1
rc=$?
if [[ ${rc} -eq 0 ]]; then
    ok "sample_report.html passes: $(tail -n 1 "${work}/good.out")"
else
    ko "sample_report.html: exit ${rc}, expected 0:"
    sed 's/^/     /' "${work}/good.out"
fi

# 3. The bad sample fails, for each of its three faults.
node "${here}/check_report.mjs" "${here}/fixtures/bad_report.html" >"${work}/bad.out" 2>&1
rc=$?
if [[ ${rc} -eq 1 ]]; then
    ok "bad_report.html fails (exit 1)"
else
    ko "bad_report.html: exit ${rc}, expected 1:"
    sed 's/^/     /' "${work}/bad.out"
fi
expect() { # expect DESCRIPTION REGEX
    if grep -Eq -- "$2" "${work}/bad.out"; then ok "bad_report.html: $1"; else ko "bad_report.html: $1 not reported"; fi
}
expect "external request named" '^FAIL request: .*https://example\.org/x\.png'
expect "console error" '^FAIL console error: .*erreur volontaire'
expect "blank map" '^FAIL map vide: looks blank'
if ((failed)); then
    echo "--- checker output on bad_report.html:"
    cat "${work}/bad.out"
fi

echo "selftest: ${passed} passed, ${failed} failed"
((failed == 0))
