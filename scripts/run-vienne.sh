#!/usr/bin/env bash
# The main job on the Vienne default data: the README's second command.
#
#   bash scripts/run-vienne.sh            run every step, in order
#   bash scripts/run-vienne.sh STEP...    run only these steps (see --list)
#   bash scripts/run-vienne.sh --list     list the steps
#
# Sets itself up first: scripts/setup.sh installs what is missing (packages, build, data
# cache) and redoes nothing that is up to date (MAILLAGE_NO_SETUP=1 skips that step). Writes into out/vienne/ (git-ignored); every file there is
# written to a temporary sibling first and renamed into place, so a failed step leaves the
# previous result (or nothing) rather than a half-written file.
#
# Adding a step: write a function step_NAME that writes its outputs under "${out_dir}"
# (through `publish` or the CLI's own atomic writers) and add NAME to `steps` below.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
cd -- "${repo_root}"

maillage="${repo_root}/build/src/maillage"
cache_dir="${repo_root}/geodata/cache"
out_dir="${repo_root}/out/vienne"

# The steps of the main job, in order. Without an OSM extract of Vienne, travel times come
# from the estimated network: every output says travel_time_source "estimated".
steps=(
    info
    baseline
    report
    scenarios
)

die() {
    printf 'run-vienne: error: %s\n' "$*" >&2
    exit 1
}

# publish TMP DEST: moves a finished temporary file into place (same directory: atomic).
publish() {
    chmod 0644 -- "$1"
    mv -f -- "$1" "$2"
    printf '    wrote %s\n' "${2#"${repo_root}"/}"
}

# Temporary files of the running step, removed on any exit.
declare -a tmp_files=()
cleanup() {
    local f
    for f in "${tmp_files[@]}"; do
        [[ -e "${f}" ]] && rm -f -- "${f}"
    done
    return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

new_tmp() { # new_tmp DEST: sets `tmp` to a new temporary path beside DEST (no subshell, so
    # that the cleanup list is kept)
    tmp="$(mktemp "$(dirname -- "$1")/.$(basename -- "$1").XXXXXX.tmp")" ||
        die "cannot create a temporary file beside $1"
    tmp_files+=("${tmp}")
}

# Runs the CLI; explains the exit codes of README.md ("Exit codes") when it fails.
run_maillage() {
    local rc=0
    "${maillage}" "$@" || rc=$?
    case "${rc}" in
        0) return 0 ;;
        2) die "maillage $1: usage error (exit 2): the command line in scripts/run-vienne.sh does not match the CLI (see 'build/src/maillage $1 --help')" ;;
        3) die "maillage $1: invalid input (exit 3): see the message above (file, feature, field); check the cache with 'bash scripts/fetch-geodata.sh --check'" ;;
        4) die "maillage $1: an output could not be written (exit 4) under ${out_dir}" ;;
        *) die "maillage $1: failed with exit code ${rc}" ;;
    esac
}

# --- steps ----------------------------------------------------------------------------------

# What the default data holds: the JSON to out/vienne/info.json, the text summary to stdout.
step_info() {
    local dest="${out_dir}/info.json" tmp
    new_tmp "${dest}"
    run_maillage info --json-file "${tmp}"
    [[ -s "${tmp}" ]] || die "maillage info wrote no JSON (expected it in ${tmp})"
    if command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "${tmp}" >/dev/null 2>&1 || die "maillage info wrote invalid JSON"
    fi
    publish "${tmp}" "${dest}"
}

# The main job's content, scenarios/vienne_baseline.yaml: coverage of every category with
# default data, the GP access index, elderly-housing rates -> out/vienne/vienne_baseline/
# (replaced as a whole by `maillage run`, never half-written).
step_baseline() {
    run_maillage run scenarios/vienne_baseline.yaml -o "${out_dir}/vienne_baseline"
}

# The report for elected officials from the baseline's outputs: out/vienne/rapport.html
# (self-contained, French) and rapport.pdf (printed by headless Chromium when it is there).
step_report() {
    run_maillage report "${out_dir}/vienne_baseline" -o "${out_dir}/rapport.html" --pdf
}

# The Schéma's action sheets as scenarios (every other file of scenarios/), each into
# out/vienne/scenarios/NAME/ with its comparison of variants and its report (rapport.html).
step_scenarios() {
    local f name
    for f in scenarios/*.yaml; do
        name="$(basename -- "${f}" .yaml)"
        [[ "${name}" == vienne_baseline ]] && continue
        printf -- '--- %s\n' "${f}"
        run_maillage run "${f}" -o "${out_dir}/scenarios/${name}" --report
    done
}

# out/vienne/README.txt: every output with one line each.
write_index() {
    local dest="${out_dir}/README.txt" tmp
    new_tmp "${dest}"
    {
        printf 'maillage — outputs of the main job on the Vienne default data (scripts/run-vienne.sh)\n\n'
        printf 'Travel times: %s\n\n' "$(travel_time_source)"
        printf '%-58s %s\n' "rapport.html" "OPEN FIRST: the report (French, for elected officials: maps, key figures, one page per territory)"
        printf '%-58s %s\n' "rapport.pdf" "the same report printed on A4 (when Chromium is installed)"
        printf '%-58s %s\n' "info.json" "what the study holds: communes, population, services, the travel network"
        printf '%-58s %s\n' "vienne_baseline/scenario.json" "what was run: scenario, network, notes, warnings, provenance"
        printf '%-58s %s\n' "vienne_baseline/baseline/coverage/CATEGORY/coverage.gpkg" "for QGIS: communes coloured by time (styled), sites, catchments, covered / not covered areas"
        printf '%-58s %s\n' "vienne_baseline/baseline/coverage/CATEGORY/summary.json" "population within each band per département, territory, EPCI; gap clusters; warnings"
        printf '%-58s %s\n' "vienne_baseline/baseline/coverage/CATEGORY/gaps.csv" "communes beyond the gap threshold, ranked by person-minutes (spreadsheet)"
        printf '%-58s %s\n' "vienne_baseline/baseline/coverage/CATEGORY/*.geojson" "the same layers as GeoJSON (communes, catchments, covered, not_covered)"
        printf '%-58s %s\n' "vienne_baseline/baseline/coverage/CATEGORY/sites.geojson" "the sites used, one point each (id, name, commune, capacity, attached to the network)"
        printf '%-58s %s\n' "vienne_baseline/baseline/coverage/CATEGORY/*.qml" "QGIS styles (report's time classes and colours), applied automatically in QGIS"
        printf '%-58s %s\n' "vienne_baseline/baseline/access/gp/" "APL-style GP access index per commune (now, and if GPs over 60 / 65 retire)"
        printf '%-58s %s\n' "vienne_baseline/baseline/rates/hebergement_personnes_agees/" "elderly-housing establishments per 1 000 inhabitants per EPCI and territory"
        printf '%-58s %s\n' "scenarios/NAME/comparison.csv" "an action sheet's variants against today: per area, per band, effect of each change"
        printf '%-58s %s\n' "scenarios/NAME/rapport.html" "an action sheet's report: before / after maps, what each change brings"
        printf '%-58s %s\n' "scenarios/NAME/VARIANT/" "the same files as the baseline, for one variant"
        printf '\nCategories: '
        ls -1 "${out_dir}/vienne_baseline/baseline/coverage" | tr '\n' ' '
        printf '\nScenarios: '
        ls -1 "${out_dir}/scenarios" | tr '\n' ' '
        printf '\n'
    } >"${tmp}"
    publish "${tmp}" "${dest}"
}

travel_time_source() {
    sed -n 's/.*"travel_time_source": "\([a-z]*\)".*/\1/p' "${out_dir}/vienne_baseline/comparison.json" | head -1
}

# The end of the job says what it found and where to look.
explain() {
    local cov="${out_dir}/vienne_baseline/baseline/coverage" c
    printf '\n==> what the main job found (population of Vienne within the gap threshold of each service)\n'
    for c in "${cov}"/*/; do
        c="$(basename -- "${c}")"
        if command -v python3 >/dev/null 2>&1; then
            python3 - "${cov}/${c}/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
d = s["departement"]
gap = s["gap_threshold_minutes"]
key = "%g" % gap
within = d["population_within_minutes"].get(key)
if within is None:
    within = d["population"] - d["population_beyond_last_band"]
share = 100.0 * within / d["population"] if d["population"] else 0.0
print("    %-28s %5.1f %% within %g min (%d sites; %d communes beyond)" % (
    s["category"], share, gap, s["sites"], s["gaps"]["communes"]))
PY
        fi
    done
    printf '\n    outputs: %s/ (one line per file in %s/README.txt)\n' "${out_dir#"${repo_root}"/}" "${out_dir#"${repo_root}"/}"
    printf '    open first: %s/rapport.html in a browser (or rapport.pdf, when Chromium is installed)\n' "${out_dir#"${repo_root}"/}"
    printf '    in QGIS:    %s/vienne_baseline/baseline/coverage/CATEGORY/coverage.gpkg (styled layers)\n' "${out_dir#"${repo_root}"/}"
    printf '    what-if scenarios of the action sheets: %s/scenarios/*/rapport.html and comparison.csv\n' "${out_dir#"${repo_root}"/}"
    if [[ "$(travel_time_source)" == estimated ]]; then
        printf '\n    *** WARNING: travel times are ESTIMATED (no road network of Vienne was given). ***\n'
        printf '    *** Use them as orders of magnitude; give an OSM extract in the scenario (network.spec) for routed times. ***\n'
    fi
}

# --- main --------------------------------------------------------------------------------------
selected=()
while (($# > 0)); do
    case "$1" in
        --list)
            printf '%s\n' "${steps[@]}"
            exit 0
            ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
            exit 0
            ;;
        -*)
            printf 'run-vienne: error: unknown option %s (see --help)\n' "$1" >&2
            exit 2
            ;;
        *)
            if ! declare -F "step_$1" >/dev/null; then
                printf 'run-vienne: error: unknown step %s (steps: %s)\n' "$1" "${steps[*]}" >&2
                exit 2
            fi
            selected+=("$1")
            ;;
    esac
    shift
done
((${#selected[@]} > 0)) || selected=("${steps[@]}")

if [[ "${MAILLAGE_NO_SETUP:-0}" != 1 ]]; then
    printf '==> set-up (scripts/setup.sh): only what is missing or out of date\n'
    setup_log="$(mktemp)"
    tmp_files+=("${setup_log}")
    if ! bash "${script_dir}/setup.sh" >"${setup_log}" 2>&1; then
        cat -- "${setup_log}" >&2
        die "the set-up failed (messages above)"
    fi
    grep -E '^(==>|    (installing|built|all ))' "${setup_log}" | sed 's/^/    /' || true
fi
[[ -x "${maillage}" ]] ||
    die "${maillage#"${repo_root}"/} is missing: build maillage first with 'bash scripts/setup.sh'"
[[ -d "${cache_dir}" ]] ||
    die "the data cache geodata/cache/ is missing: fill it with 'bash scripts/setup.sh' (or 'bash scripts/fetch-geodata.sh')"
bash "${script_dir}/fetch-geodata.sh" --check --quiet ||
    die "the data cache geodata/cache/ is incomplete or altered (files named above): run 'bash scripts/setup.sh' (or 'bash scripts/fetch-geodata.sh')"

mkdir -p -- "${out_dir}" || die "cannot create ${out_dir}"
for s in "${selected[@]}"; do
    printf '==> %s\n' "${s}"
    "step_${s}"
done
write_index
explain
