#!/usr/bin/env bash
# The tests: the README's second command. Sets up whatever is missing first (Debian packages,
# npm packages, the build, the data cache: scripts/setup.sh, which redoes nothing that is up to
# date), then runs the whole suite with CTest.
#
#   bash scripts/test.sh              all tests
#   bash scripts/test.sh -R Scenario  extra arguments go to ctest
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
cd -- "${repo_root}"

printf '==> set-up (scripts/setup.sh): only what is missing or out of date\n'
bash "${script_dir}/setup.sh"

printf '\n==> tests: ctest --test-dir build --output-on-failure -j2 %s\n' "$*"
exec ctest --test-dir build --output-on-failure -j2 "$@"
