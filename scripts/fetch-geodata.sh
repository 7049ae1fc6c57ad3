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
#
# Environment (all optional):
#   GEODATA_MIRROR    mirror directory (an explicitly given one must exist)
#   GEODATA_CACHE     cache directory (default: <repo>/geodata/cache; the tests and the
#                     CLI expect the default)
#   GEODATA_MANIFEST  manifest (default: <repo>/geodata/sources.csv)
#
# Exit status: 0 all files present with the right sha256, 1 a file is missing, wrong or
# could not be obtained (each one is named), 2 usage error or unreadable manifest.
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
cleanup() {
    if [[ -n "${current_tmp}" && -e "${current_tmp}" ]]; then
        rm -f -- "${current_tmp}"
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
    if [[ "${k}" != download && "${k}" != derived ]]; then
        die_usage "${manifest}: line ${line_no}: field 'kind': '${k}' (expected 'download' or 'derived')"
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

if [[ "${mode}" != check ]]; then
    mkdir -p -- "${cache_dir}"
fi
for i in "${!rel_paths[@]}"; do
    fetch_one "${i}" || true
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
say "fetch-geodata: all ${#rel_paths[@]} files present in ${cache_dir} with the expected sha256"
