#!/usr/bin/env bash
# libFuzzer runs on maillage's input readers (fuzz/: one target per reader, seeds in
# fuzz/corpus/TARGET/), and the sanitizer build they share with scripts/test.sh.
#
#   bash scripts/fuzz.sh TARGET [SECONDS]   fuzz one target (default 600 s); --list names them
#   bash scripts/fuzz.sh --smoke [SECONDS]  every target SECONDS each (default 20), as CI does
#   bash scripts/fuzz.sh --build [NINJA_TARGET...]
#                                            only configure and build build-asan/ (default: the fuzzers)
#
# build-asan/ is configured with clang, AddressSanitizer + UndefinedBehaviorSanitizer (any report
# is fatal), -O1 with line tables, and -DMAILLAGE_BUILD_FUZZ=ON; scripts/test.sh builds and
# runs the GoogleTest suite from the same directory (MAILLAGE_SANITIZE=1). Needs the Debian
# packages clang-16 and libclang-rt-16-dev (installed by scripts/setup.sh; clang 14, Debian 12 default,
# cannot compile the project: it cannot capture structured bindings in lambdas).
#
# A long run keeps what it learnt in build-asan/fuzz-corpus/TARGET/ (the committed seeds are
# never written to). A crash is saved as build-asan/fuzz-artifacts/TARGET/crash-…: fix the bug,
# then copy the file into tests/data/fuzz_regressions/TARGET/ so that
# tests/unit/test_fuzz_regressions.cpp replays it for ever.
#
# Environment: MAILLAGE_JOBS=N build jobs (default 2); FUZZ_ARGS extra libFuzzer options.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
cd -- "${repo_root}"

build_dir="build-asan"
jobs="${MAILLAGE_JOBS:-2}"
targets=(csv_table point_file scenario profile road_mapping estimate_parameters communes)

die() {
    printf 'fuzz: error: %s\n' "$*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

# Configure build-asan/ (once; cmake redoes only what changed) and build the given ninja targets.
build() {
    command -v clang++-16 >/dev/null 2>&1 ||
        die "clang++-16 not found: install the Debian packages clang-16 and libclang-rt-16-dev (bash scripts/setup.sh does)"
    local sanitizers="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
    # -O1 with line tables only: a third of the time of an -O2 -g build, and reports still
    # name file:line. _GLIBCXX_ASSERTIONS adds bounds checks to operator[], front(), back().
    cmake -S . -B "${build_dir}" -G Ninja -Wno-dev \
        -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
        -DCMAKE_CXX_FLAGS="${sanitizers} -D_GLIBCXX_ASSERTIONS" \
        -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
        -DMAILLAGE_BUILD_BENCH=OFF -DMAILLAGE_BUILD_FUZZ=ON >/dev/null ||
        die "cmake could not configure ${build_dir}/ (see the messages above)"
    cmake --build "${build_dir}" -j"${jobs}" --target "$@" ||
        die "the sanitizer build failed (see the compiler messages above)"
}

# Every sanitizer report is fatal; LeakSanitizer runs (libFuzzer checks each input for leaks).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# Reports name functions and lines through llvm-symbolizer: clang-16's runtime looks for
# llvm-symbolizer-16, which Debian ships only in the large llvm-16; llvm-14's (package llvm-14) works.
for symbolizer in /usr/lib/llvm-16/bin/llvm-symbolizer /usr/lib/llvm-14/bin/llvm-symbolizer "$(command -v llvm-symbolizer || true)"; do
    if [[ -x "${symbolizer}" ]]; then
        export ASAN_SYMBOLIZER_PATH="${symbolizer}" UBSAN_SYMBOLIZER_PATH="${symbolizer}"
        break
    fi
done

# fuzz TARGET SECONDS WORK_CORPUS: runs one target from the seeds + WORK_CORPUS.
fuzz() {
    local target="$1" seconds="$2" work="$3"
    local seeds="fuzz/corpus/${target}" artifacts="${build_dir}/fuzz-artifacts/${target}"
    local dict="${repo_root}/fuzz/dict/${target}.dict"
    [[ -d "${seeds}" ]] || die "no seed corpus ${seeds}/"
    mkdir -p -- "${work}" "${artifacts}"
    # The committed seeds are read, never written: new inputs go to WORK_CORPUS (first directory).
    # Inputs of at most 64 KiB (files of the kind are a few KiB), 10 s per input, 2 GiB of memory.
    # The readers take paths: run from a scratch directory so that a scenario's `extends: x`
    # cannot reach the repository's files.
    local scratch
    scratch="$(mktemp -d)"
    local status=0
    (cd -- "${scratch}" && "${repo_root}/${build_dir}/fuzz/fuzz_${target}" \
        -max_total_time="${seconds}" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="${repo_root}/${artifacts}/" -dict="${dict}" ${FUZZ_ARGS:-} \
        "${work}" "${repo_root}/${seeds}") || status=$?
    rm -rf -- "${scratch}"
    if ((status != 0)); then
        printf '\nfuzz: %s FAILED: the input is in %s/ (crash-*, leak-*, timeout-*, oom-*).\n' "${target}" "${artifacts}" >&2
        printf '      Reproduce: %s/fuzz/fuzz_%s FILE; once fixed, copy FILE into tests/data/fuzz_regressions/%s/\n' \
            "${build_dir}" "${target}" "${target}" >&2
        return 1
    fi
}

case "${1:-}" in
"" | -h | --help)
    usage
    exit 0
    ;;
--list)
    printf '%s\n' "${targets[@]}"
    ;;
--build)
    shift
    if (($# == 0)); then set -- fuzz_targets; fi
    build "$@"
    ;;
--smoke)
    seconds="${2:-20}"
    build fuzz_targets
    work_root="$(mktemp -d)"
    trap 'rm -rf -- "${work_root}"' EXIT
    failed=()
    for t in "${targets[@]}"; do
        printf '\n==> fuzz smoke: %s (%s s)\n' "${t}" "${seconds}"
        fuzz "${t}" "${seconds}" "${work_root}/${t}" || failed+=("${t}")
    done
    if ((${#failed[@]} > 0)); then
        printf '\nfuzz smoke: FAILED: %s\n' "${failed[*]}" >&2
        exit 1
    fi
    printf '\nfuzz smoke: %s targets, %s s each: no crash, leak, timeout or sanitizer report\n' "${#targets[@]}" "${seconds}"
    ;;
-*)
    die "unknown option '$1' (see bash scripts/fuzz.sh --help)"
    ;;
*)
    target="$1"
    seconds="${2:-600}"
    [[ " ${targets[*]} " == *" ${target} "* ]] || die "unknown target '${target}' (one of: ${targets[*]})"
    [[ "${seconds}" =~ ^[0-9]+$ ]] || die "SECONDS must be a whole number, got '${seconds}'"
    build "fuzz_${target}"
    fuzz "${target}" "${seconds}" "${repo_root}/${build_dir}/fuzz-corpus/${target}"
    ;;
esac
