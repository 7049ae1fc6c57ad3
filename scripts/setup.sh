#!/usr/bin/env bash
# Sets maillage up on a Debian 12 machine, from a clean clone: the one command of the README.
#
#   bash scripts/setup.sh
#
# Steps (each one is idempotent, running the script again is cheap):
#   1. Debian packages: installs the build dependencies that are missing
#      (apt-get update + apt-get install; as root, or through sudo).
#   2. npm ci, when the repository has package.json and package-lock.json
#      (an independent GeoJSON validator and the browser report checker used by the tests).
#   3. Configure and build: cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release,
#      cmake --build build -j2.
#   4. Fills the data cache geodata/cache/ with scripts/fetch-geodata.sh (copied from
#      ../shared/geodata, or downloaded; sha256 checked).
#
# Environment (all optional):
#   MAILLAGE_SKIP_APT=1   do not install Debian packages (no root): only the missing ones are listed
#   MAILLAGE_SKIP_NPM=1   do not run npm ci
#   MAILLAGE_JOBS=N       parallel build jobs (default 2)
#   GEODATA_MIRROR=DIR    where the reference data is (default ../shared/geodata beside the repo)
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
cd -- "${repo_root}"

build_dir="build"
jobs="${MAILLAGE_JOBS:-2}"

step() { printf '\n==> %s\n' "$*"; }
info() { printf '    %s\n' "$*"; }
die() {
    printf '\nsetup: error: %s\n' "$*" >&2
    exit 1
}

# Build dependencies (Debian 12 package names). curl and ca-certificates are for downloading
# the reference data when no mirror is present; git for the version in outputs. chromium,
# poppler-utils (pdfinfo, pdftotext) and a font (fonts-dejavu-core: chromium installed without
# its recommends brings none) are for the real-browser check of the HTML report (tests/browser/).
# clang-16 and libclang-rt-16-dev (its sanitizer runtimes and libFuzzer) build the sanitizer
# stage of scripts/test.sh and the fuzzers (scripts/fuzz.sh; Debian 12's default clang 14
# cannot compile the project); llvm-14 has the llvm-symbolizer their reports are named with.
packages=(
    g++ cmake ninja-build pkg-config
    libgdal-dev gdal-bin libgeos-dev libproj-dev proj-data
    libboost-graph-dev libosmium2-dev libprotozero-dev
    libexpat1-dev libbz2-dev zlib1g-dev
    nlohmann-json3-dev libcli11-dev libyaml-cpp-dev coinor-libcbc-dev libcpp-httplib-dev
    libgtest-dev libgmock-dev googletest libbenchmark-dev
    python3 nodejs npm
    curl ca-certificates git
    chromium poppler-utils fonts-dejavu-core
    clang-16 libclang-rt-16-dev llvm-14
)

is_installed() { # is_installed PACKAGE
    local pkg="$1"
    # NodeSource's nodejs bundles npm (and conflicts with Debian's npm package):
    # an npm on the PATH is enough.
    if [[ "${pkg}" == npm ]] && command -v npm >/dev/null 2>&1; then
        return 0
    fi
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "${pkg}" 2>/dev/null || true)" == installed ]]
}

# --- 1. Debian packages -----------------------------------------------------------------
step "1/4 Debian packages"
if ! command -v dpkg-query >/dev/null 2>&1; then
    die "dpkg-query not found: this script expects Debian 12 (bookworm). Install the packages listed in scripts/setup.sh by other means, then run it with MAILLAGE_SKIP_APT=1."
fi
missing=()
for pkg in "${packages[@]}"; do
    is_installed "${pkg}" || missing+=("${pkg}")
done

if ((${#missing[@]} == 0)); then
    info "all ${#packages[@]} packages are installed"
elif [[ "${MAILLAGE_SKIP_APT:-0}" == 1 ]]; then
    info "MAILLAGE_SKIP_APT=1: not installing the missing packages: ${missing[*]}"
    info "(the build below fails if one of them is really needed)"
else
    sudo_cmd=()
    if ((EUID != 0)); then
        if command -v sudo >/dev/null 2>&1; then
            sudo_cmd=(sudo)
        else
            die "missing packages: ${missing[*]}
       Not root and sudo is not available: install them as root
       (apt-get install ${missing[*]}), or run with MAILLAGE_SKIP_APT=1 if you provide them otherwise."
        fi
    fi
    info "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo_cmd[@]}" apt-get update -q ||
        die "apt-get update failed (network? apt sources?)"
    "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" ||
        die "apt-get install failed for: ${missing[*]}"
fi

# --- 2. npm ci --------------------------------------------------------------------------------
step "2/4 Node.js packages (npm ci)"
if [[ "${MAILLAGE_SKIP_NPM:-0}" == 1 ]]; then
    info "MAILLAGE_SKIP_NPM=1: skipped"
elif [[ -f package.json && -f package-lock.json ]]; then
    command -v npm >/dev/null 2>&1 || die "package.json is present but npm is not installed (run without MAILLAGE_SKIP_APT)"
    npm ci --no-audit --no-fund || die "npm ci failed"
else
    info "no package.json + package-lock.json in ${repo_root}: nothing to install"
fi

# --- 3. configure and build -------------------------------------------------------------------
step "3/4 Configure and build (${build_dir}/, Release, ${jobs} jobs)"
cache_file="${build_dir}/CMakeCache.txt"
if [[ -f "${cache_file}" ]]; then
    # A build directory made with another generator or from another checkout cannot be reused.
    generator="$(sed -n 's/^CMAKE_GENERATOR:INTERNAL=//p' "${cache_file}")"
    home="$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "${cache_file}")"
    if [[ "${generator}" != Ninja || "${home}" != "${repo_root}" ]]; then
        info "${build_dir}/ was configured with '${generator}' for '${home}': removing it"
        rm -rf -- "${build_dir}"
    fi
fi
cmake -S . -B "${build_dir}" -G Ninja -DCMAKE_BUILD_TYPE=Release ||
    die "cmake configure failed (see the messages above)"
cmake --build "${build_dir}" -j"${jobs}" ||
    die "the build failed (see the compiler messages above)"
info "built: ${build_dir}/src/maillage"

# --- 4. data cache ---------------------------------------------------------------------------------
step "4/4 Reference data cache (geodata/cache/)"
bash "${script_dir}/fetch-geodata.sh" ||
    die "the data cache could not be filled (see the files named above)"

step "setup done"
info "main job:  bash scripts/run-vienne.sh"
info "tests:     bash scripts/test.sh"
