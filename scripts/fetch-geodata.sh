#!/usr/bin/env bash
# Fills the git-ignored data cache geodata/cache/ with the datasets listed in
# geodata/sources.csv, and checks the sha256 of every file.
#
#   bash scripts/fetch-geodata.sh            copy from the mirror (or download), verify
#   bash scripts/fetch-geodata.sh --check    only verify the cache, change nothing
#   bash scripts/fetch-geodata.sh --download ignore the mirror, download from the publishers
#
# Where the files come from:
#   * the mirror directory $GEODATA_MIRROR (default: <repo>/../shared/geodata), same
#     relative paths as in the cache;
#   * when there is no mirror directory (or with --download), the official address of
#     each row (column `url`) with curl. Rows of kind `derived` were produced from a
#     published dataset (filtered, dissolved, pivoted...) and cannot be downloaded as-is:
#     the script says so and fails for them.
#   * rows of kind `built` are tables this script derives itself when neither the cache nor
#     the mirror holds them, from a published npm package pinned below by version and
#     sha256 (fetched with npm, which reuses its own cache when offline) and files of the
#     cache. They are optional: when one cannot be built (no node / npm, no access to the
#     npm registry) a warning says what is lost and the exit status is unchanged; a
#     package or a result with the wrong sha256 is an error.
#
# Environment (all optional):
#   GEODATA_MIRROR    mirror directory (an explicitly given one must exist)
#   GEODATA_CACHE     cache directory (default: <repo>/geodata/cache; the tests and the
#                     CLI expect the default)
#   GEODATA_MANIFEST  manifest (default: <repo>/geodata/sources.csv)
#
# Exit status: 0 all files present with the right sha256 (an optional `built` file may be
# missing, with a warning), 1 a file is missing, wrong or could not be obtained (each one is
# named), 2 usage error or unreadable manifest.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"

manifest="${GEODATA_MANIFEST:-${repo_root}/geodata/sources.csv}"
cache_dir="${GEODATA_CACHE:-${repo_root}/geodata/cache}"
default_mirror="${repo_root}/../shared/geodata"

mode=fetch
quiet=0

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
}

die_usage() {
    echo "fetch-geodata: error: $*" >&2
    echo "Run 'bash scripts/fetch-geodata.sh --help' for usage." >&2
    exit 2
}

while (($# > 0)); do
    case "$1" in
        --check) mode=check ;;
        --download) mode=download ;;
        -q | --quiet) quiet=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *) die_usage "unknown argument '$1'" ;;
    esac
    shift
done

say() { ((quiet)) || printf '%s\n' "$*"; }
warn() { printf 'fetch-geodata: warning: %s\n' "$*" >&2; }

# --- the mirror -----------------------------------------------------------------------
mirror=""
if [[ "${mode}" != download ]]; then
    if [[ -n "${GEODATA_MIRROR:-}" ]]; then
        if [[ ! -d "${GEODATA_MIRROR}" ]]; then
            die_usage "GEODATA_MIRROR='${GEODATA_MIRROR}' is not a directory (unset it to use ${default_mirror} or to download from the publishers)"
        fi
        mirror="$(cd -- "${GEODATA_MIRROR}" && pwd)"
    elif [[ -d "${default_mirror}" ]]; then
        mirror="$(cd -- "${default_mirror}" && pwd)"
    fi
fi

# --- tools ----------------------------------------------------------------------------
command -v sha256sum >/dev/null 2>&1 || {
    echo "fetch-geodata: error: sha256sum (coreutils) is required" >&2
    exit 1
}

sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# --- temporary files: removed on any exit -------------------------------------------------
current_tmp=""
current_tmp_dir=""  # where a `built` file's package is unpacked
cleanup() {
    if [[ -n "${current_tmp}" && -e "${current_tmp}" ]]; then
        rm -f -- "${current_tmp}"
    fi
    if [[ -n "${current_tmp_dir}" && -d "${current_tmp_dir}" ]]; then
        rm -rf -- "${current_tmp_dir}"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- read the manifest ----------------------------------------------------------------------
[[ -r "${manifest}" ]] || die_usage "cannot read the manifest ${manifest}"

expected_header="path,dataset,publisher,licence,vintage,kind,url,sha256,notes"
IFS= read -r header <"${manifest}" || true
header="${header%$'\r'}"
[[ "${header}" == "${expected_header}" ]] ||
    die_usage "${manifest}: line 1: header is '${header}', expected '${expected_header}'"

declare -a rel_paths=() kinds=() urls=() hashes=() notes=()
line_no=0
while IFS= read -r line || [[ -n "${line}" ]]; do
    line_no=$((line_no + 1))
    ((line_no == 1)) && continue
    line="${line%$'\r'}"
    [[ -z "${line}" || "${line}" == \#* ]] && continue
    # The trailing comma keeps an empty last field (bash drops one trailing delimiter).
    IFS=',' read -r -a f <<<"${line},"
    if ((${#f[@]} != 9)); then
        die_usage "${manifest}: line ${line_no}: ${#f[@]} fields, expected 9 (fields must not contain commas)"
    fi
    p="${f[0]}" k="${f[5]}" u="${f[6]}" h="${f[7]}"
    if [[ -z "${p}" || "${p}" == /* || "${p}" == *..* || "${p}" == *\\* ]]; then
        die_usage "${manifest}: line ${line_no}: field 'path': '${p}' is not a relative path inside the cache"
    fi
    if [[ "${k}" != download && "${k}" != derived && "${k}" != built ]]; then
        die_usage "${manifest}: line ${line_no}: field 'kind': '${k}' (expected 'download', 'derived' or 'built')"
    fi
    if [[ ! "${h}" =~ ^[0-9a-f]{64}$ ]]; then
        die_usage "${manifest}: line ${line_no}: field 'sha256': '${h}' is not 64 lowercase hex digits"
    fi
    if [[ ! "${u}" =~ ^(https?|file):// ]]; then
        die_usage "${manifest}: line ${line_no}: field 'url': '${u}' is not an http(s):// or file:// address"
    fi
    rel_paths+=("${p}")
    kinds+=("${k}")
    urls+=("${u}")
    hashes+=("${h}")
    notes+=("${f[8]}")
done <"${manifest}"

((${#rel_paths[@]} > 0)) || die_usage "${manifest}: no dataset rows"

# --- announce -------------------------------------------------------------------------
case "${mode}" in
    check) say "Checking ${#rel_paths[@]} files in ${cache_dir} against ${manifest}" ;;
    *)
        if [[ -n "${mirror}" ]]; then
            say "Filling ${cache_dir} from the mirror ${mirror} (${#rel_paths[@]} files)"
        else
            say "No mirror directory (looked for ${GEODATA_MIRROR:-${default_mirror}}); downloading from the publishers' addresses into ${cache_dir}"
        fi
        ;;
esac

# --- one file ---------------------------------------------------------------------------
declare -a failures=()
fail() { # fail REL MESSAGE
    failures+=("$1: $2")
    printf 'fetch-geodata: error: %s: %s\n' "$1" "$2" >&2
}

# Verifies the temporary copy, then moves it into place; removes it when it is wrong.
install_verified() { # install_verified TMP DEST REL EXPECTED ORIGIN
    local tmp="$1" dest="$2" rel="$3" expected="$4" origin="$5" actual
    actual="$(sha256_of "${tmp}")"
    if [[ "${actual}" != "${expected}" ]]; then
        rm -f -- "${tmp}"
        current_tmp=""
        fail "${rel}" "sha256 mismatch for the copy from ${origin}: got ${actual}, expected ${expected}; the bad copy was removed"
        return 1
    fi
    chmod 0644 -- "${tmp}"
    mv -f -- "${tmp}" "${dest}"
    current_tmp=""
    say "  ok       ${rel} (${origin})"
}

declare -a to_build=() not_built=()

fetch_one() { # fetch_one INDEX
    local i="$1"
    local rel="${rel_paths[i]}" kind="${kinds[i]}" url="${urls[i]}" expected="${hashes[i]}"
    local dest="${cache_dir}/${rel}" actual

    if [[ -f "${dest}" ]]; then
        actual="$(sha256_of "${dest}")"
        if [[ "${actual}" == "${expected}" ]]; then
            say "  cached   ${rel}"
            return 0
        fi
        if [[ "${mode}" == check ]]; then
            fail "${rel}" "sha256 mismatch in the cache: got ${actual}, expected ${expected} (run scripts/fetch-geodata.sh to replace it)"
            return 1
        fi
        warn "${rel}: cached copy has sha256 ${actual}, expected ${expected}: fetching it again"
    elif [[ "${mode}" == check && "${kind}" == built ]]; then
        not_built+=("${rel}")
        warn "${rel}: not built yet (optional; run scripts/fetch-geodata.sh): $(built_file_purpose "${rel}")"
        return 0
    elif [[ "${mode}" == check ]]; then
        fail "${rel}" "missing from ${cache_dir} (run scripts/fetch-geodata.sh)"
        return 1
    fi

    mkdir -p -- "$(dirname -- "${dest}")"
    current_tmp="$(mktemp "$(dirname -- "${dest}")/.$(basename -- "${dest}").XXXXXX.tmp")"

    if [[ -n "${mirror}" && -f "${mirror}/${rel}" ]]; then
        if ! cp -- "${mirror}/${rel}" "${current_tmp}"; then
            fail "${rel}" "could not copy ${mirror}/${rel}"
            return 1
        fi
        install_verified "${current_tmp}" "${dest}" "${rel}" "${expected}" "mirror ${mirror}/${rel}"
        return
    fi

    if [[ "${kind}" == built ]]; then
        # Built once every other file is in place: a built file derives from some of them.
        rm -f -- "${current_tmp}"
        current_tmp=""
        to_build+=("${i}")
        return 0
    fi
    if [[ -n "${mirror}" ]]; then
        warn "${rel}: not in the mirror ${mirror}; trying its official address"
    fi
    if [[ "${kind}" == derived ]]; then
        rm -f -- "${current_tmp}"
        current_tmp=""
        fail "${rel}" "is a derived file (${notes[i]}; derived from ${url}): it cannot be downloaded as-is. Copy it from a mirror of the project's reference data (GEODATA_MIRROR=/path/to/geodata bash scripts/fetch-geodata.sh) or produce it as described in geodata/README.md"
        return 1
    fi
    if ! command -v curl >/dev/null 2>&1; then
        rm -f -- "${current_tmp}"
        current_tmp=""
        fail "${rel}" "curl is not installed (needed to download ${url}; run scripts/setup.sh)"
        return 1
    fi
    say "  download ${rel} <- ${url}"
    if ! curl --fail --location --silent --show-error --retry 3 --connect-timeout 30 \
        --output "${current_tmp}" -- "${url}"; then
        rm -f -- "${current_tmp}"
        current_tmp=""
        fail "${rel}" "download failed from ${url}"
        return 1
    fi
    install_verified "${current_tmp}" "${dest}" "${rel}" "${expected}" "${url}"
}

# --- files this script builds --------------------------------------------------------------
# The population of every commune of the 20 km buffer layer (Vienne and its neighbours): the
# access index counts the inhabitants of neighbouring communes, who compete for the same
# practitioners (issue 12). From the npm package the cache's 2026 commune list and populations
# already come from, at the same version (so the same population vintage as the study's
# communes), pinned by the sha256 of its tarball: npm checks the registry's own integrity
# field, the sha256 here pins the bytes whatever the registry says.
readonly decoupage_package="@etalab/decoupage-administratif"
readonly decoupage_version="6.0.0"
readonly decoupage_tarball="etalab-decoupage-administratif-6.0.0.tgz"
readonly decoupage_tarball_sha256="c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
readonly neighbour_layer="vienne/boundaries/communes_86_and_neighbours_in_buffer20km_cog2018.geojson"
readonly neighbour_population="vienne/population/communes_86_and_neighbours_in_buffer20km_cog2026_population.csv"

built_file_purpose() { # built_file_purpose REL: what a missing built file costs
    case "$1" in
        "${neighbour_population}")
            echo "without it the access index does not count the inhabitants of neighbouring communes (the edge effect is not corrected)"
            ;;
        *) echo "no recipe in this script" ;;
    esac
}

# Why the last build_* or unpack_* call failed (set by them; not through a subshell, so that
# the temporary directory they make stays known to the exit trap).
build_reason=""

# The cache file of a manifest row, verified against the manifest: sets input_path, or names
# what is wrong and returns 1.
input_path=""
verified_input() { # verified_input REL
    local rel="$1" j
    for j in "${!rel_paths[@]}"; do
        [[ "${rel_paths[j]}" == "${rel}" ]] || continue
        if [[ -f "${cache_dir}/${rel}" && "$(sha256_of "${cache_dir}/${rel}")" == "${hashes[j]}" ]]; then
            input_path="${cache_dir}/${rel}"
            return 0
        fi
        build_reason="its input ${rel} is not in the cache with the manifest's sha256"
        return 1
    done
    build_reason="its input ${rel} is not listed in ${manifest}"
    return 1
}

# Unpacks the pinned package into DIR (DIR/package/...). Returns 1 when npm cannot provide it
# (not installed, no registry and not in npm's cache: the file is then skipped with a warning),
# 2 when the tarball is not the pinned one (an error).
unpack_pinned_package() { # unpack_pinned_package DIR
    local dir="$1" log="$1/npm.log" actual
    if ! command -v npm >/dev/null 2>&1; then
        build_reason="npm is not installed (run scripts/setup.sh)"
        return 1
    fi
    # --prefer-offline: npm's own cache first, so a second build needs no network.
    if ! (cd -- "${dir}" && npm pack "${decoupage_package}@${decoupage_version}" --prefer-offline \
        --ignore-scripts --loglevel=error --pack-destination "${dir}" >"${log}" 2>&1); then
        build_reason="npm could not fetch ${decoupage_package}@${decoupage_version} (no access to the npm registry, and not in npm's cache?): $(tail -n 3 -- "${log}" | tr '\n' ' ')"
        return 1
    fi
    if [[ ! -f "${dir}/${decoupage_tarball}" ]]; then
        build_reason="npm pack did not write ${decoupage_tarball}: $(tr '\n' ' ' <"${log}")"
        return 2
    fi
    actual="$(sha256_of "${dir}/${decoupage_tarball}")"
    if [[ "${actual}" != "${decoupage_tarball_sha256}" ]]; then
        build_reason="${decoupage_package}@${decoupage_version}: tarball sha256 ${actual}, expected ${decoupage_tarball_sha256} (pinned in scripts/fetch-geodata.sh)"
        return 2
    fi
    if ! tar -xzf "${dir}/${decoupage_tarball}" -C "${dir}" package/data/communes.json 2>"${log}"; then
        build_reason="cannot unpack package/data/communes.json from ${decoupage_tarball}: $(tr '\n' ' ' <"${log}")"
        return 2
    fi
}

# One row per current (2026) commune that a commune of the layer is or was part of: the layer
# is COG 2018, and a commune merged since then is found through the package's `anciensCodes`
# (its code, kept by the new commune, is the chef-lieu's). Columns code_insee, nom,
# departement, population (population municipale in force; empty where the package has none),
# anciens_codes (space-separated: which layer communes the population also covers). Sorted by
# code, UTF-8, LF: the same inputs give the same bytes, checked against the manifest's sha256.
build_neighbour_population() { # build_neighbour_population OUT
    local out="$1" rc=0
    verified_input "${neighbour_layer}" || return 2
    if ! command -v node >/dev/null 2>&1; then
        build_reason="node is not installed (run scripts/setup.sh)"
        return 1
    fi
    current_tmp_dir="$(mktemp -d "${cache_dir}/.build.XXXXXX")"
    unpack_pinned_package "${current_tmp_dir}" || rc=$?
    if ((rc == 0)) && ! node - "${input_path}" "${current_tmp_dir}/package/data/communes.json" "${out}" \
        2>"${current_tmp_dir}/node.log" <<'JS'; then
"use strict";
const fs = require("fs");
const [layerPath, communesPath, outPath] = process.argv.slice(2);
const layer = JSON.parse(fs.readFileSync(layerPath, "utf8"));
const communes = JSON.parse(fs.readFileSync(communesPath, "utf8"));
const current = new Map();
const absorbedBy = new Map();
for (const c of communes) {
    if (c.type !== "commune-actuelle") continue;
    current.set(c.code, c);
    for (const old of c.anciensCodes || []) absorbedBy.set(old, c);
}
const rows = new Map();
for (const f of layer.features) {
    const code = String(f.properties.code);
    const c = current.get(code) || absorbedBy.get(code);
    if (!c) throw new Error(`${layerPath}: commune ${code} is part of no current commune of the package`);
    rows.set(c.code, c);
}
const field = (v) => {
    const s = v === undefined || v === null ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const lines = ["code_insee,nom,departement,population,anciens_codes"];
for (const code of [...rows.keys()].sort()) {
    const c = rows.get(code);
    lines.push([c.code, c.nom, c.departement, c.population, (c.anciensCodes || []).join(" ")].map(field).join(","));
}
fs.writeFileSync(outPath, lines.join("\n") + "\n");
JS
        build_reason="the derivation failed: $(tail -n 3 -- "${current_tmp_dir}/node.log" | tr '\n' ' ')"
        rc=2
    fi
    rm -rf -- "${current_tmp_dir}"
    current_tmp_dir=""
    return "${rc}"
}

build_one() { # build_one INDEX
    local i="$1"
    local rel="${rel_paths[i]}" expected="${hashes[i]}"
    local dest="${cache_dir}/${rel}" rc=0
    current_tmp="$(mktemp "$(dirname -- "${dest}")/.$(basename -- "${dest}").XXXXXX.tmp")"
    build_reason=""
    case "${rel}" in
        "${neighbour_population}") build_neighbour_population "${current_tmp}" || rc=$? ;;
        *)
            build_reason="scripts/fetch-geodata.sh has no recipe for this file"
            rc=2
            ;;
    esac
    if ((rc != 0)); then
        rm -f -- "${current_tmp}"
        current_tmp=""
        if ((rc == 1)); then
            not_built+=("${rel}")
            warn "${rel}: not built: ${build_reason}; $(built_file_purpose "${rel}"). Run the script again with npm and access to the npm registry, or put the file in the mirror"
            return 0
        fi
        fail "${rel}" "could not be built: ${build_reason}"
        return 1
    fi
    install_verified "${current_tmp}" "${dest}" "${rel}" "${expected}" "npm package ${decoupage_package}@${decoupage_version} (built)"
}

if [[ "${mode}" != check ]]; then
    mkdir -p -- "${cache_dir}"
fi
for i in "${!rel_paths[@]}"; do
    fetch_one "${i}" || true
done
for i in "${to_build[@]}"; do
    build_one "${i}" || true
done

# Files in the mirror that the manifest does not list (a new dataset to describe).
if [[ -n "${mirror}" && "${mode}" != check ]]; then
    declare -A listed=()
    for p in "${rel_paths[@]}"; do listed["${p}"]=1; done
    while IFS= read -r -d '' f; do
        rel="${f#"${mirror}"/}"
        case "${rel}" in README.md | SHA256SUMS) continue ;; esac
        [[ -n "${listed[${rel}]:-}" ]] || warn "${rel} is in the mirror but not in ${manifest}: add a row for it"
    done < <(find "${mirror}" -type f -print0 | sort -z)
fi

if ((${#failures[@]} > 0)); then
    {
        echo
        echo "fetch-geodata: FAILED for ${#failures[@]} of ${#rel_paths[@]} files:"
        printf '  - %s\n' "${failures[@]}"
    } >&2
    exit 1
fi
if ((${#not_built[@]} > 0)); then
    say "fetch-geodata: $((${#rel_paths[@]} - ${#not_built[@]})) of ${#rel_paths[@]} files present in ${cache_dir} with the expected sha256; optional, not built: ${not_built[*]}"
else
    say "fetch-geodata: all ${#rel_paths[@]} files present in ${cache_dir} with the expected sha256"
fi
