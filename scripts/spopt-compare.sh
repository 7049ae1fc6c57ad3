#!/usr/bin/env bash
# Cross-check of `maillage optimise` against an independent implementation of the same models:
# PySAL spopt's MCLP, PMedian and LSCP (`from_cost_matrix`), solved by CBC through PuLP, and by
# GLPK as well (a second MILP engine: maillage itself links CBC).
# For three Vienne problems (france_services MCLP k=5 T=20 with the existing sites fixed,
# garage_solidaire p-median k=3 on communes of 2 000+ inhabitants, auto_ecole_solidaire LSCP T=30
# on communes of 1 000+), maillage writes the instance (--write-problem: problem_pairs.csv), the
# helper scripts/spopt_compare.py turns it into a cost matrix, solves it with spopt and prints a
# table: objectives (same units), chosen sites, times (the whole `maillage optimise` command with
# --solver heuristic and --solver exact, best of REPEAT (3); spopt's model build and solve call).
# Exits 1 when an objective differs from maillage's exact one by more than 1e-6 (relative).
#
#   SPOPT_SRC=DIR bash scripts/spopt-compare.sh [REPEAT]
#
# DIR: a checkout of https://github.com/pysal/spopt (the folder holding spopt/locate/), or its
# git directory (bare clone or .git: the spopt/ tree of HEAD, or of SPOPT_REV, is extracted).
# spopt is loaded from source, not installed: only spopt/locate/{base,coverage,p_median}.py and
# spopt/BaseClass.py are imported (spopt/__init__.py would pull in libpysal, scikit-learn, ...);
# pointpats, imported by p_median.py for KNearestPMedian only, is not in Debian and is stubbed.
#
# A manual comparison, not part of CI. Installs Debian packages if missing (apt-get, as root or
# with sudo): python3-pulp, coinor-cbc, glpk-utils, python3-numpy, python3-scipy, python3-pandas,
# python3-geopandas; uses Debian's /usr/bin/python3. Needs the build (scripts/setup.sh).
# Takes about a minute (plus the packages' installation the first time). Everything it writes
# goes to a temporary directory (mktemp -d), removed at the end.
set -euo pipefail

script_dir="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd -- "${script_dir}/.." && pwd)"
maillage="${repo_root}/build/src/maillage"
repeat="${1:-3}"
python=/usr/bin/python3
[[ -x "${maillage}" ]] || { echo "spopt-compare: build maillage first (bash scripts/setup.sh)" >&2; exit 1; }
[[ -n "${SPOPT_SRC:-}" && -d "${SPOPT_SRC}" ]] || {
    echo "spopt-compare: set SPOPT_SRC to a checkout (or git directory) of https://github.com/pysal/spopt" >&2
    exit 1
}

sudo_cmd=()
[[ "$(id -u)" -eq 0 ]] || sudo_cmd=(sudo)
need=()
for p in python3-pulp coinor-cbc glpk-utils python3-numpy python3-scipy python3-pandas python3-geopandas; do
    dpkg -s "${p}" >/dev/null 2>&1 || need+=("${p}")
done
if ((${#need[@]})); then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

# spopt's source: a work tree as it is, or the spopt/ tree of a commit of a git directory
# (blob by blob, so that a partial clone missing other files, e.g. notebooks, still works).
if [[ -f "${SPOPT_SRC}/spopt/locate/coverage.py" ]]; then
    src="${SPOPT_SRC}"
    commit="$(git -C "${SPOPT_SRC}" rev-parse HEAD 2>/dev/null || echo unknown)"
else
    gitdir="${SPOPT_SRC}"
    commit="$(git --git-dir="${gitdir}" rev-parse "${SPOPT_REV:-HEAD}^{commit}")"
    src="${work}/spopt-src"
    mkdir -p "${src}"
    while read -r _mode _type sha path; do
        mkdir -p "${src}/$(dirname -- "${path}")"
        git --git-dir="${gitdir}" cat-file blob "${sha}" >"${src}/${path}"
    done < <(git --git-dir="${gitdir}" ls-tree -r "${commit}" -- spopt)
fi
describe="$(git --git-dir="${SPOPT_SRC}" describe --tags "${commit}" 2>/dev/null ||
    git -C "${SPOPT_SRC}" describe --tags 2>/dev/null || echo "?")"
echo "spopt ${commit} (${describe})"
echo "CBC $(dpkg-query -W -f='${Version}' coinor-cbc) (coinor-cbc; maillage links coinor-libcbc3" \
    "$(dpkg-query -W -f='${Version}' coinor-libcbc3 2>/dev/null || echo '?')); GLPK $(dpkg-query -W -f='${Version}' glpk-utils)"

PYTHONDONTWRITEBYTECODE=1 TMPDIR="${work}" "${python}" "${script_dir}/spopt_compare.py" \
    --spopt-src "${src}" --maillage "${maillage}" --repo "${repo_root}" --work "${work}" --repeat "${repeat}" --glpk
