#!/usr/bin/env bash
# Regenerates the pictures of the README from the Vienne default: the report's cover and its
# France Services map page, as PNG (< 200 kB each) in docs/images/.
#
#   bash scripts/readme-pictures.sh      (after bash scripts/run-vienne.sh)
#
# Needs the main job's outputs (out/vienne/vienne_baseline), Chromium (to print the report)
# and pdftoppm (poppler-utils): scripts/setup.sh installs both.
set -euo pipefail
script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
cd -- "${repo_root}"

run_dir="out/vienne/vienne_baseline"
images="docs/images"
max_bytes=$((200 * 1024))
[[ -f "${run_dir}/scenario.json" ]] || {
    echo "readme-pictures: ${run_dir} is missing: run 'bash scripts/run-vienne.sh' first" >&2
    exit 1
}
command -v pdftoppm >/dev/null || { echo "readme-pictures: pdftoppm missing (apt-get install poppler-utils)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf -- "${work}"' EXIT
build/src/maillage report "${run_dir}" -o "${work}/rapport.html" --pdf >/dev/null
[[ -s "${work}/rapport.pdf" ]] || { echo "readme-pictures: no PDF written (is chromium installed?)" >&2; exit 1; }

# One <section class="page"> is one printed page: the map page of France Services is the
# position of its section.
map_page="$(grep -o '<section class="page[^"]*"[^>]*>' "${work}/rapport.html" | grep -n 'id="coverage-france_services"' | cut -d: -f1)"
[[ -n "${map_page}" ]] || { echo "readme-pictures: no France Services page in the report" >&2; exit 1; }

picture() { # picture PAGE NAME
    pdftoppm -png -r 56 -f "$1" -l "$1" -singlefile "${work}/rapport.pdf" "${work}/$2"
    mv -- "${work}/$2.png" "${images}/$2.png"
    local size
    size="$(stat -c %s "${images}/$2.png")"
    ((size < max_bytes)) || { echo "readme-pictures: ${images}/$2.png is ${size} bytes (limit ${max_bytes})" >&2; exit 1; }
    printf '%s (%d kB)\n' "${images}/$2.png" $((size / 1024))
}
mkdir -p -- "${images}"
picture 1 rapport-couverture
picture "${map_page}" rapport-carte-france-services
