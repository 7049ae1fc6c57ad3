"""Helper of scripts/spopt-compare.sh (not meant to be run alone).

Runs `maillage optimise --write-problem` on three Vienne problems, rebuilds each instance from
problem_pairs.csv as a cost matrix, solves it with PySAL spopt's MCLP / PMedian / LSCP
(`from_cost_matrix`, CBC through PuLP; also GLPK with --glpk) and compares the objectives, the chosen sites and the
times. Exit status 1 when an objective differs by more than 1e-6 (relative) from maillage's
exact one.

spopt is imported from its source tree (--spopt-src) without running spopt/__init__.py (which
pulls in spopt.region, libpysal, scikit-learn, ...): only spopt/BaseClass.py,
spopt/locate/base.py, coverage.py and p_median.py are loaded, unmodified. p_median.py imports
pointpats (not packaged in Debian) for KNearestPMedian only; a stub module stands in for it and
raises if called.
"""

import argparse
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import time
import types

import numpy as np
import pulp

REL_TOL = 1e-6
PENALTY_MINUTES = 600.0  # maillage's SolveOptions::unreachable_penalty (p-median)

CASES = [
    {
        "id": "a",
        "label": "france_services MCLP k=5 T=20, candidates all communes, existing fixed",
        "problem": "mclp",
        "k": 5,
        "T": 20.0,
        "args": ["--category", "france_services", "--problem", "mclp", "-k", "5", "--max-minutes", "20"],
    },
    {
        "id": "b",
        "label": "garage_solidaire p-median k=3, candidates pop >= 2000",
        "problem": "pmedian",
        "k": 3,
        "T": None,
        "args": ["--category", "garage_solidaire", "--problem", "pmedian", "-k", "3", "--min-population", "2000"],
    },
    {
        "id": "c",
        "label": "auto_ecole_solidaire LSCP T=30, candidates pop >= 1000",
        "problem": "lscp",
        "k": None,
        "T": 30.0,
        "args": ["--category", "auto_ecole_solidaire", "--problem", "lscp", "--max-minutes", "30",
                 "--min-population", "1000"],
    },
]


def import_spopt(src):
    root = os.path.join(src, "spopt")
    if not os.path.isfile(os.path.join(root, "locate", "coverage.py")):
        sys.exit(f"spopt_compare: no spopt/locate/coverage.py under {src}")
    sys.path.insert(0, src)
    for name, path in (("spopt", root), ("spopt.locate", os.path.join(root, "locate"))):
        mod = types.ModuleType(name)
        mod.__path__ = [path]
        sys.modules[name] = mod
    try:
        import pointpats.geometry  # noqa: F401
    except ImportError:
        pp = types.ModuleType("pointpats")
        ppg = types.ModuleType("pointpats.geometry")

        def build_best_tree(*_a, **_k):
            raise NotImplementedError("pointpats is not installed (used by KNearestPMedian only)")

        ppg.build_best_tree = build_best_tree
        pp.geometry = ppg
        sys.modules["pointpats"] = pp
        sys.modules["pointpats.geometry"] = ppg
    from spopt.locate.coverage import LSCP, MCLP
    from spopt.locate.p_median import PMedian
    return MCLP, PMedian, LSCP


def run_maillage(maillage, repo, args, out, repeat):
    """Best wall time of `repeat` runs (the last run's output stays in `out`)."""
    best = math.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = subprocess.run([maillage, "optimise", *args, "-o", out], cwd=repo,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            sys.stderr.write(r.stdout)
            sys.exit(f"spopt_compare: maillage optimise {' '.join(args)} failed ({r.returncode})")
        best = min(best, dt)
    return best


def read_instance(path):
    demand, weight, cand, fixed, pairs = {}, [], {}, [], []
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            d = demand.setdefault(row["demand_id"], len(demand))
            if d == len(weight):
                weight.append(float(row["weight"]))
            c = cand.setdefault(row["candidate"], len(cand))
            if c == len(fixed):
                fixed.append(row["fixed"] == "1")
            pairs.append((d, c, float(row["minutes"])))
    return list(demand), np.array(weight), list(cand), np.array(fixed, dtype=bool), pairs


def evaluate(problem, cost, w, T, open_cols):
    """The objective of a set of open columns, computed here from the matrix (referee)."""
    if problem == "pmedian":
        return float((w * cost[:, open_cols].min(axis=1)).sum())
    covered = (cost[:, open_cols] <= T).any(axis=1)
    if problem == "mclp":
        return float(w[covered].sum())
    return covered  # lscp


def fmt(x):
    if x is None:
        return "—"
    if float(x).is_integer():
        return f"{x:,.0f}".replace(",", " ")
    return f"{x:,.1f}".replace(",", " ")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spopt-src", required=True)
    ap.add_argument("--maillage", required=True)
    ap.add_argument("--repo", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cbc", default=shutil.which("cbc"))
    ap.add_argument("--glpk", action="store_true", help="also solve the spopt models with GLPK (glpsol)")
    a = ap.parse_args()

    MCLP, PMedian, LSCP = import_spopt(a.spopt_src)
    solvers = [("CBC", pulp.COIN_CMD(path=a.cbc, msg=False))]
    glpsol = shutil.which("glpsol")
    if a.glpk and glpsol:
        # A second MILP engine, so that the check does not rest on CBC alone (maillage links CBC).
        solvers.append(("GLPK", pulp.GLPK_CMD(path=glpsol, msg=False)))
    print(f"PuLP {pulp.__version__}, numpy {np.__version__}; solvers through PuLP: "
          + ", ".join(f"{n} ({s.path})" for n, s in solvers))

    rows, failed = [], False
    for case in CASES:
        cid, problem, T, k = case["id"], case["problem"], case["T"], case["k"]
        out = os.path.join(a.work, cid)
        # The instance (and maillage's both-solver answer).
        run_maillage(a.maillage, a.repo, [*case["args"], "--solver", "both", "--write-problem"], out, 1)
        with open(os.path.join(out, "optimise", "optimisation", "summary.json")) as f:
            summary = json.load(f)
        t_heur = run_maillage(a.maillage, a.repo, [*case["args"], "--solver", "heuristic"],
                              os.path.join(a.work, cid + "-h"), a.repeat)
        t_exact = run_maillage(a.maillage, a.repo, [*case["args"], "--solver", "exact"],
                               os.path.join(a.work, cid + "-e"), a.repeat)

        dem, w, cands, fixed, pairs = read_instance(os.path.join(out, "optimise", "optimisation", "problem_pairs.csv"))
        m, n = len(dem), len(cands)
        notes = []
        fill = PENALTY_MINUTES if problem == "pmedian" else math.inf
        cost = np.full((m, n), fill)
        for d, c, t in pairs:
            cost[d, c] = t
        offset = 0.0  # p-median: demand units absent from the file pay the penalty
        if problem == "pmedian":
            missing_w = summary["population"] - w.sum()
            if summary["demand_units"] > m and missing_w > 0:
                offset = missing_w * PENALTY_MINUTES
                notes.append(f"{summary['demand_units'] - m} demand units reach no candidate")
            if (cost == PENALTY_MINUTES).any():
                notes.append("some pairs missing: penalty 600 min")
        else:
            above = sum(1 for _, _, t in pairs if t > T)
            if above:
                notes.append(f"{above} pairs above T in the file")
        n_fixed = int(fixed.sum())
        if summary["existing"] == "fixed" and summary["candidates"]["existing"] > n_fixed:
            notes.append(f"{summary['candidates']['existing'] - n_fixed} of the {summary['candidates']['existing']} "
                         "existing sites reach no demand unit within T (absent from the file, no effect)")
        pre = fixed.astype(int) if n_fixed else None

        mx, mh = summary["exact"], summary["heuristic"]
        ref = float(mx["objective"])
        idx = {c: j for j, c in enumerate(cands)}
        fixed_cols = [j for j in range(n) if fixed[j]]
        keep = None
        if problem == "lscp":
            # maillage covers every demand unit of positive weight that some candidate reaches
            # within T (the file lists only pairs within T: the others are uncoverable).
            keep = (w > 0) & (cost <= T).any(axis=1)
            dropped = int((~keep).sum())
            if dropped:
                notes.append(f"{dropped} demand rows of weight 0 or uncoverable left out")

        def referee(names):
            """The objective of a set of new sites, recomputed here from the matrix."""
            cols = fixed_cols + [idx[c] for c in names if c in idx]
            if problem == "lscp":
                cov = evaluate(problem, cost, w, T, cols)
                return float(len(names)) if bool(cov[keep].all()) else math.nan
            return evaluate(problem, cost, w, T, cols) + offset

        row = {
            "case": cid, "label": case["label"], "problem": problem,
            "m": m, "n": n, "n_fixed": n_fixed, "pairs": len(pairs),
            "maillage_heuristic": float(mh["objective"]), "maillage_exact": ref,
            "maillage_bound": mx.get("bound"), "maillage_proven": mx.get("proven_optimal"),
            "maillage_chosen": sorted(mx["chosen"]), "maillage_heuristic_chosen": sorted(mh["chosen"]),
            "referee_maillage": referee(mx["chosen"]),
            "t_maillage_heuristic": t_heur, "t_maillage_exact": t_exact, "notes": notes, "spopt": {},
        }
        for sname, solver in solvers:
            t0 = time.perf_counter()
            if problem == "mclp":
                model = MCLP.from_cost_matrix(cost, w, T, k + n_fixed, predefined_facilities_arr=pre)
            elif problem == "pmedian":
                model = PMedian.from_cost_matrix(cost, w, k + n_fixed, predefined_facilities_arr=pre)
            else:
                model = LSCP.from_cost_matrix(cost[keep], T, predefined_facilities_arr=pre)
            t_build = time.perf_counter() - t0
            t0 = time.perf_counter()
            model.solve(solver)
            t_solve = time.perf_counter() - t0

            open_cols = [j for j, v in enumerate(model.fac_vars) if v.value() is not None and v.value() > 0.5]
            chosen = sorted(cands[j] for j in open_cols if not fixed[j])
            obj = float(model.problem.objective.value())
            if problem == "pmedian":
                obj += offset
            elif problem == "lscp":
                obj -= sum(1 for j in open_cols if fixed[j])  # spopt counts the predefined sites too
            rel = abs(obj - ref) / max(abs(ref), 1e-12)
            ok = rel <= REL_TOL
            failed |= not ok
            row["spopt"][sname] = {
                "objective": obj, "rel_diff": rel, "ok": ok, "status": pulp.LpStatus[model.problem.status],
                "chosen": chosen, "same_set": sorted(mx["chosen"]) == chosen, "referee": referee(chosen),
                "t_build": t_build, "t_solve": t_solve,
            }
        rows.append(row)

    names = [n for n, _ in solvers]
    print()
    print(f"maillage times: the whole `maillage optimise` command (reading the data, travel times, solving, "
          f"writing), best of {a.repeat}; spopt: from_cost_matrix (build) + solve call, one run")
    print()
    print("| case | instance | maillage heuristic | maillage exact (CBC) | "
          + " | ".join(f"spopt + {n}" for n in names) + " | max rel. diff | same set as maillage exact | "
          "maillage heuristic s | maillage exact s | " + " | ".join(f"spopt + {n} build + solve s" for n in names) + " |")
    print("|---" * (8 + 2 * len(names)) + "|")

    def same_text(r, o):
        if o["same_set"]:
            return "yes"
        tie = abs(o["referee"] - r["referee_maillage"]) <= REL_TOL * max(abs(r["referee_maillage"]), 1.0)
        return "no (tie)" if tie else "no"

    for r in rows:
        sp = r["spopt"]
        inst = f"{r['m']} demand × {r['n']} cand. ({r['n_fixed']} fixed), {r['pairs']} pairs"
        print(f"| {r['case']} {r['problem']} | {inst} | {fmt(r['maillage_heuristic'])} | {fmt(r['maillage_exact'])} | "
              + " | ".join(fmt(sp[n]["objective"]) for n in names)
              + f" | {max(sp[n]['rel_diff'] for n in names):.1e} | "
              + ", ".join(f"{n}: {same_text(r, sp[n])}" for n in names)
              + f" | {r['t_maillage_heuristic']:.2f} | {r['t_maillage_exact']:.2f} | "
              + " | ".join(f"{sp[n]['t_build']:.2f} + {sp[n]['t_solve']:.2f}" for n in names) + " |")
    print()
    for r in rows:
        print(f"{r['case']}: {r['label']}")
        print(f"   maillage exact     : {' '.join(r['maillage_chosen'])}")
        print(f"   maillage heuristic : {' '.join(r['maillage_heuristic_chosen'])}")
        for n in names:
            o = r["spopt"][n]
            print(f"   spopt + {n} ({o['status']}): {' '.join(o['chosen'])}")
        print(f"   referee (objective recomputed from problem_pairs.csv): maillage exact set "
              f"{fmt(r['referee_maillage'])}, "
              + ", ".join(f"spopt + {n} set {fmt(r['spopt'][n]['referee'])}" for n in names)
              + f"; maillage bound {fmt(r['maillage_bound'])}, proven optimal {r['maillage_proven']}")
        for note in r["notes"]:
            print(f"   note: {note}")
    if failed:
        print(f"\nFAIL: an objective differs by more than {REL_TOL:g} (relative)")
        return 1
    print(f"\nOK: all objectives agree within {REL_TOL:g} (relative)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
