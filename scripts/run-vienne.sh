#!/usr/bin/env bash
# The main job on the Vienne default data: the README's second command.
#
#   bash scripts/run-vienne.sh            run every step, in order
#   bash scripts/run-vienne.sh STEP...    run only these steps (see --list)
#   bash scripts/run-vienne.sh --list     list the steps
#
# Needs the build (build/src/maillage) and the data cache (geodata/cache/), both made by
# `bash scripts/setup.sh`. Writes into out/vienne/ (git-ignored); every file there is
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

# The Schéma's action sheets as scenarios (every other file of scenarios/), each into
# out/vienne/scenarios/NAME/ with its comparison of variants.
step_scenarios() {
    local f name
    for f in scenarios/*.yaml; do
        name="$(basename -- "${f}" .yaml)"
        [[ "${name}" == vienne_baseline ]] && continue
        printf -- '--- %s\n' "${f}"
        run_maillage run "${f}" -o "${out_dir}/scenarios/${name}"
    done
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
printf 'run-vienne: done; outputs in %s\n' "${out_dir#"${repo_root}"/}"
