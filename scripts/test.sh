#!/usr/bin/env bash
# The tests: the README's second command. Sets up whatever is missing first (Debian packages,
# npm packages, the build, the data cache: scripts/setup.sh, which redoes nothing that is up to
# date), then runs the whole suite with CTest.
#
#   bash scripts/test.sh              all tests
#   bash scripts/test.sh -R Scenario  extra arguments go to ctest (both runs below)
#   MAILLAGE_SANITIZE=1 bash scripts/test.sh
#                                     then the sanitizer stage too
#
# The sanitizer stage (in CI, where CI=true, and with MAILLAGE_SANITIZE=1; MAILLAGE_SANITIZE=0
# skips it even in CI):
#   1. builds build-asan/ (clang-16, AddressSanitizer + UndefinedBehaviorSanitizer, -O1,
#      configured by scripts/fuzz.sh --build): the GoogleTest suite, the maillage it runs, and
#      the fuzzers;
#   2. runs every GoogleTest test of that build (not the node / browser entries of ctest,
#      whose names have no '.'), with any sanitizer report fatal: halt_on_error, leaks checked,
#      reports also logged to files so that one in a maillage child process fails the stage
#      even when its test expected a failure exit;
#   3. runs each fuzz target briefly from its seeds (scripts/fuzz.sh --smoke, 20 s each;
#      MAILLAGE_FUZZ_SECONDS changes it).
# On the 2-core CI machine it takes about 30 minutes the first time (the build; then only what
# changed); README.md, "When something goes wrong", has the measures.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
cd -- "${repo_root}"

printf '==> set-up (scripts/setup.sh): only what is missing or out of date\n'
bash "${script_dir}/setup.sh"

printf '\n==> tests: ctest --test-dir build --output-on-failure -j2 %s\n' "$*"
status=0
ctest --test-dir build --output-on-failure -j2 "$@" || status=$?

# On in CI (CI=true): a memory error or undefined behaviour must stop a change from landing.
# Opt-in on a developer's machine, where it costs about 30 min the first time.
default_sanitize=0
[[ "${CI:-}" == true ]] && default_sanitize=1
sanitize="${MAILLAGE_SANITIZE:-${default_sanitize}}"
if [[ "${sanitize}" != 1 ]]; then
    printf '\n==> sanitizer stage skipped (about 30 min the first time): MAILLAGE_SANITIZE=1 bash scripts/test.sh\n'
    exit "${status}"
fi

seconds() { date +%s; }
stage_start="$(seconds)"
failed=()

printf '\n==> sanitizer stage 1/3: build build-asan/ (clang-16, ASan + UBSan, -O1): tests, maillage, fuzzers\n'
t0="$(seconds)"
bash "${script_dir}/fuzz.sh" --build maillage_tests fuzz_targets
build_s=$(($(seconds) - t0))

# Every GoogleTest test (their names have a '.'), less the one that runs maillage under
# `ulimit -v` (AddressSanitizer reserves terabytes of address space for its shadow memory and
# cannot start there; the normal run above covers it).
exclude='^[^.]*$|^HardeningInputs\.DevicesAndPipesAreRefusedNotReadForever$'
printf '\n==> sanitizer stage 2/3: the GoogleTest suite under ASan + UBSan (ctest --test-dir build-asan -E %s %s)\n' "'${exclude}'" "$*"
# Reports name functions and lines through llvm-symbolizer (see scripts/fuzz.sh).
for symbolizer in /usr/lib/llvm-16/bin/llvm-symbolizer /usr/lib/llvm-14/bin/llvm-symbolizer "$(command -v llvm-symbolizer || true)"; do
    if [[ -x "${symbolizer}" ]]; then
        export ASAN_SYMBOLIZER_PATH="${symbolizer}" UBSAN_SYMBOLIZER_PATH="${symbolizer}"
        break
    fi
done
logs="${repo_root}/build-asan/sanitizer-logs"
rm -rf -- "${logs}"
mkdir -p -- "${logs}"
t0="$(seconds)"
test_status=0
ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=${logs}/asan" \
    UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=${logs}/ubsan" \
    ctest --test-dir build-asan --output-on-failure -j2 -E "${exclude}" "$@" || test_status=$?
tests_s=$(($(seconds) - t0))
reports=("${logs}"/*)
if [[ -e "${reports[0]}" ]]; then
    printf '\n==> sanitizer reports (%d; from the tests or the maillage processes they ran):\n' "${#reports[@]}" >&2
    for r in "${reports[@]}"; do
        printf -- '--- %s\n' "${r#"${repo_root}/"}" >&2
        head -c 20000 "${r}" >&2
    done
    test_status=1
fi
((test_status == 0)) || failed+=("sanitized tests")

printf '\n==> sanitizer stage 3/3: fuzz smoke runs (scripts/fuzz.sh --smoke %s)\n' "${MAILLAGE_FUZZ_SECONDS:-20}"
t0="$(seconds)"
bash "${script_dir}/fuzz.sh" --smoke "${MAILLAGE_FUZZ_SECONDS:-20}" || failed+=("fuzz smoke")
fuzz_s=$(($(seconds) - t0))

printf '\n==> sanitizer stage: build %d s, tests %d s, fuzz smoke %d s, total %d s\n' \
    "${build_s}" "${tests_s}" "${fuzz_s}" "$(($(seconds) - stage_start))"
if ((${#failed[@]} > 0)); then
    printf 'sanitizer stage FAILED: %s\n' "${failed[*]}" >&2
    exit 1
fi
printf 'sanitizer stage passed\n'
exit "${status}"
