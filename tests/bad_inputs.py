#!/usr/bin/env python3
"""Runs the hostile-input corpus of tests/data/bad/ against the maillage binary.

Usage: python3 tests/bad_inputs.py BINARY REPO_ROOT [-k SUBSTRING]... [--jobs N] [-v]

Every directory tests/data/bad/NN-name/ is one case: its input files and a case.json (see
tests/data/bad/README.md). For each case the runner makes a fresh temporary directory, runs
the setup steps, runs the binary there and checks:
  - the exit code;
  - every stderr fragment (case-insensitive substring);
  - "internal error" appears nowhere (stdout or stderr) unless the case expects exit 1;
  - no crash (signal), no hang (timeout, 60 s by default), no runaway memory (resident size);
  - writes_nothing: the temporary directory (the output given as {out}, an earlier output
    given as {prev}, staging and lock files beside them) is byte-identical after the run;
  - the case directory itself is never modified, and its files stay small.
One line per case ("ok NN-name" / "FAIL NN-name: reason"), then a summary; exit 0 only if all pass.
Python 3 standard library only.
"""
import argparse
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

DEFAULT_TIMEOUT_S = 60
MAX_CASE_BYTES = 16 * 1024           # a case's files together: keep the corpus tiny
KNOWN_KEYS = {"args", "exit", "stderr", "writes_nothing", "setup", "outputs", "timeout", "note"}
# The earlier output set used by the cases naming {prev}: a small successful run.
PREV_ARGS = ["coverage", "--category", "france_services", "--sites", "{shared}/sites.csv", "--no-catchments",
             "-o", "{prev}"]


class CaseError(Exception):
    """A malformed case.json or a failed setup step: the case fails, saying why."""


def substitute(text, places):
    for key, value in places.items():
        text = text.replace("{" + key + "}", value)
    left = re.search(r"\{[a-z_]+\}", text)
    if left:
        raise CaseError(f"unknown placeholder {left.group(0)} (known: {', '.join('{' + k + '}' for k in places)})")
    return text


def snapshot(root):
    """Every entry under root, by lstat: never follows a link, never opens a FIFO or a device."""
    entries = {}

    def walk(path, rel):
        try:
            names = sorted(os.listdir(path))
        except OSError as e:
            entries[rel + "/"] = f"unreadable directory: {e.strerror}"
            return
        for name in names:
            full = os.path.join(path, name)
            key = os.path.join(rel, name) if rel else name
            st = os.lstat(full)
            if stat.S_ISLNK(st.st_mode):
                entries[key] = "link -> " + os.readlink(full)
            elif stat.S_ISDIR(st.st_mode):
                entries[key] = "dir"
                walk(full, key)
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(full, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
                entries[key] = f"file {st.st_size} {h.hexdigest()}"
            elif stat.S_ISFIFO(st.st_mode):
                entries[key] = "fifo"
            else:
                entries[key] = "special"

    if os.path.isdir(root):
        walk(root, "")
    return entries


def describe_changes(before, after):
    changes = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            changes.append(f"created {key}")
        elif key not in after:
            changes.append(f"removed {key}")
        elif before[key] != after[key]:
            changes.append(f"changed {key}")
    if len(changes) > 4:
        changes = changes[:4] + [f"and {len(changes) - 4} more"]
    return ", ".join(changes)


def resident_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_process(argv, cwd, timeout_s, max_rss_kib):
    """Runs argv in its own process group; returns (returncode, stdout, stderr, problem)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                start_new_session=True)
        problem = None
        deadline = time.monotonic() + timeout_s
        while proc.poll() is None:
            if time.monotonic() > deadline:
                problem = f"timed out after {timeout_s:g} s (hang)"
            elif max_rss_kib and resident_kib(proc.pid) > max_rss_kib:
                problem = f"used more than {max_rss_kib // 1024} MiB of memory (reading without bound?)"
            if problem:
                stop_group(proc)
                break
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                problem)


def stop_group(proc):
    """SIGTERM (maillage cleans up and exits 143), then SIGKILL after 5 s."""
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_setup(steps, places):
    for step in steps:
        if not isinstance(step, list) or not step or not all(isinstance(s, str) for s in step):
            raise CaseError(f"setup step {step!r}: expected a list of texts")
        op, params = step[0], [substitute(s, places) for s in step[1:]]
        # operation: (number of arguments, index of the path it creates, which must be in {tmp})
        expected = {"mkfifo": (1, 0), "mkdir": (1, 0), "symlink": (2, 1), "write": (2, 0), "copy": (2, 1)}
        if op not in expected:
            raise CaseError(f"setup step '{op}': unknown (expected one of {', '.join(expected)})")
        count, created = expected[op]
        if len(params) != count:
            raise CaseError(f"setup step '{op}': expected {count} argument(s), got {len(params)}")
        if not os.path.abspath(params[created]).startswith(places["tmp"] + os.sep):
            raise CaseError(f"setup step '{op}': {params[created]} is outside {{tmp}}")
        if op == "mkfifo":
            os.makedirs(os.path.dirname(params[0]), exist_ok=True)
            os.mkfifo(params[0])
        elif op == "mkdir":
            os.makedirs(params[0])
        elif op == "symlink":   # [target, link]: the link may point to itself
            os.makedirs(os.path.dirname(params[1]), exist_ok=True)
            os.symlink(params[0], params[1])
        elif op == "write":     # [path, text]
            os.makedirs(os.path.dirname(params[0]), exist_ok=True)
            with open(params[0], "w", encoding="utf-8") as f:
                f.write(params[1])
        elif op == "copy":      # [source, destination]
            os.makedirs(os.path.dirname(params[1]), exist_ok=True)
            shutil.copyfile(params[0], params[1])


def load_case(case_dir):
    path = os.path.join(case_dir, "case.json")
    try:
        with open(path, encoding="utf-8") as f:
            case = json.load(f)
    except (OSError, ValueError) as e:
        raise CaseError(f"case.json: {e}")
    if not isinstance(case, dict):
        raise CaseError("case.json: expected an object")
    unknown = set(case) - KNOWN_KEYS
    if unknown:
        raise CaseError(f"case.json: unknown key(s) {', '.join(sorted(unknown))} (known: {', '.join(sorted(KNOWN_KEYS))})")
    for key, kind in (("args", list), ("exit", int), ("stderr", list), ("writes_nothing", bool)):
        if key not in case or not isinstance(case[key], kind) or (kind is int and isinstance(case[key], bool)):
            raise CaseError(f"case.json: '{key}' is required ({kind.__name__})")
    if not all(isinstance(a, str) for a in case["args"] + case["stderr"] + case.get("outputs", [])):
        raise CaseError("case.json: 'args', 'stderr' and 'outputs' hold texts")
    return case


def run_case(name, case_dir, binary, repo, shared, options):
    """Returns None when the case passes, else the reason."""
    size = sum(os.lstat(os.path.join(d, n)).st_size for d, _, files in os.walk(case_dir) for n in files)
    if size > MAX_CASE_BYTES:
        return f"the case's files hold {size} bytes, more than {MAX_CASE_BYTES}: keep cases tiny"
    case = load_case(case_dir)
    timeout_s = case.get("timeout", DEFAULT_TIMEOUT_S)
    inputs_before = snapshot(case_dir)
    tmp = tempfile.mkdtemp(prefix=f"maillage-bad-{name[:2]}-")
    try:
        places = {"dir": case_dir, "out": os.path.join(tmp, "out"), "prev": os.path.join(tmp, "prev"),
                  "tmp": tmp, "repo": repo, "shared": shared}
        if "{prev}" in json.dumps([case["args"], case.get("setup", [])]):
            argv = [binary] + [substitute(a, places) for a in PREV_ARGS]
            code, _, err, problem = run_process(argv, tmp, timeout_s, options.max_rss_kib)
            if code != 0 or problem:
                return f"setup: the earlier output {{prev}} could not be made (exit {code}): {problem or err.strip()[:300]}"
        run_setup(case.get("setup", []), places)
        argv = [binary] + [substitute(a, places) for a in case["args"]]
        before = snapshot(tmp)
        start = time.monotonic()
        code, out, err, problem = run_process(argv, tmp, timeout_s, options.max_rss_kib)
        elapsed = time.monotonic() - start
        after = snapshot(tmp)
        if options.verbose:
            print(f"--- {name} ({elapsed:.1f} s, exit {code}): {' '.join(argv)}\n{err.rstrip()}", flush=True)
        reasons = []
        if problem:
            reasons.append(problem)
        elif code is not None and code < 0:
            reasons.append(f"killed by signal {-code} (crash)")
        elif code != case["exit"]:
            reasons.append(f"exit {code}, expected {case['exit']}")
        missing = [frag for frag in case["stderr"] if frag.lower() not in err.lower()]
        if missing:
            reasons.append("stderr lacks " + ", ".join(repr(m) for m in missing))
        if case["exit"] != 1 and "internal error" in (out + err).lower():
            reasons.append("'internal error' in the output")
        if case["writes_nothing"] and before != after:
            reasons.append("wrote or changed files: " + describe_changes(before, after))
        for rel in case.get("outputs", []):
            if not os.path.exists(os.path.join(places["out"], rel)):
                reasons.append(f"no {{out}}/{rel}")
        if snapshot(case_dir) != inputs_before:
            reasons.append("modified the case directory: " + describe_changes(inputs_before, snapshot(case_dir)))
        if reasons:
            first = " | ".join(line for line in err.strip().splitlines()[:3])[:400]
            return "; ".join(reasons) + (f" — stderr: {first}" if first else " — stderr empty")
        return None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", help="the maillage binary")
    parser.add_argument("repo", help="the repository root (holds tests/data/bad)")
    parser.add_argument("-k", action="append", default=[], metavar="SUBSTRING",
                        help="run only the cases whose name contains this (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="cases run at once (default 2)")
    parser.add_argument("--max-rss-mb", type=int, default=2048,
                        help="a case using more resident memory fails (default 2048; 0: no limit)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each command and its stderr")
    options = parser.parse_args()
    options.max_rss_kib = options.max_rss_mb * 1024
    binary = os.path.abspath(options.binary)
    corpus = os.path.join(os.path.abspath(options.repo), "tests", "data", "bad")
    if not os.access(binary, os.X_OK):
        print(f"bad_inputs.py: {binary}: not an executable", file=sys.stderr)
        return 2
    if not os.path.isdir(corpus):
        print(f"bad_inputs.py: {corpus}: no such directory", file=sys.stderr)
        return 2
    names = sorted(n for n in os.listdir(corpus)
                   if n[:2].isdigit() and os.path.isdir(os.path.join(corpus, n))
                   and (not options.k or any(k in n for k in options.k)))
    if not names:
        print("bad_inputs.py: no case selected", file=sys.stderr)
        return 2
    shared = os.path.join(corpus, "_shared")

    def one(name):
        try:
            return run_case(name, os.path.join(corpus, name), binary, os.path.abspath(options.repo), shared, options)
        except CaseError as e:
            return f"bad case: {e}"
        except OSError as e:
            return f"runner: {e}"

    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        for name, reason in zip(names, pool.map(one, names)):
            if reason is None:
                print(f"ok {name}", flush=True)
            else:
                failed.append(name)
                print(f"FAIL {name}: {reason}", flush=True)
    print(f"{len(names)} cases: {len(names) - len(failed)} passed, {len(failed)} failed"
          + (f" ({', '.join(failed)})" if failed else ""))
    return 0 if not failed else 1


if __name__ == "__main__":
    sys.exit(main())
