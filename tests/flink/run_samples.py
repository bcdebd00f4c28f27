#!/usr/bin/env python3
"""Run the Flink versions of the example jobs on the hand-written samples.

    python3 tests/flink/run_samples.py [--python VENV_PYTHON] [--update-expected] [JOB ...]

For every job JOB (default: every directory under tests/flink/samples/), the SQL file is
examples/*/JOB.flink.sql and the placeholders are filled by convention:

    ${input.T}   -> tests/flink/samples/JOB/input/T.jsonl (or T.txt, for raw sources)
    ${dim.T}     -> tests/flink/samples/JOB/dim/T.jsonl
    ${output.T}  -> a fresh directory under a temporary work dir

All jobs run in one runner.py process (one JVM). Then each sink directory's committed part
files are concatenated and their lines counted; with --update-expected they are written to
tests/flink/samples/JOB/expected/T.jsonl. Exit code 0 when every job is ok and every sink
is non-empty.
"""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SAMPLES = os.path.join(HERE, "samples")
PLACEHOLDER = re.compile(r"\$\{([a-z]+)\.([A-Za-z0-9_]+)\}")


def default_python():
    home = os.environ.get("STREAMSQL_FLINK_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache", "streamsql", "flink-2.3.0")
    return os.path.join(home, "venv", "bin", "python")


def sink_lines(directory):
    """Lines of the committed part files (Flink writes in-progress files as hidden .part-*)."""
    lines = []
    for f in sorted(glob.glob(os.path.join(directory, "**", "*"), recursive=True)):
        if os.path.isfile(f) and not os.path.basename(f).startswith("."):
            with open(f, encoding="utf-8") as fh:
                lines.extend(l.rstrip("\n") for l in fh if l.strip())
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jobs", nargs="*")
    ap.add_argument("--python", default=os.environ.get("STREAMSQL_FLINK_PYTHON") or default_python())
    ap.add_argument("--update-expected", action="store_true")
    ap.add_argument("--keep", action="store_true", help="keep the work dir")
    args = ap.parse_args()

    jobs = args.jobs or sorted(d for d in os.listdir(SAMPLES) if os.path.isdir(os.path.join(SAMPLES, d)))
    work = tempfile.mkdtemp(prefix="streamsql-flink-samples-")
    manifest = {"jobs": []}
    sinks = {}
    for job in jobs:
        found = glob.glob(os.path.join(ROOT, "examples", "*", job + ".flink.sql"))
        if len(found) != 1:
            sys.exit("no unique examples/*/%s.flink.sql" % job)
        sql = open(found[0], encoding="utf-8").read()
        variables = {}
        sinks[job] = []
        for kind, table in sorted(set(PLACEHOLDER.findall(sql))):
            key = "%s.%s" % (kind, table)
            if kind == "output":
                out = os.path.join(work, job, "out", table)
                variables[key] = out
                sinks[job].append((table, out))
            else:
                sub = "input" if kind == "input" else "dim"
                cands = [os.path.join(SAMPLES, job, sub, table + ext) for ext in (".jsonl", ".txt")]
                cands = [c for c in cands if os.path.isfile(c)]
                if not cands:
                    sys.exit("%s: no sample file for ${%s}" % (job, key))
                variables[key] = cands[0]
        manifest["jobs"].append({
            "name": job,
            "sql_file": found[0],
            "vars": variables,
            "result_file": os.path.join(work, job, "result.json"),
        })
    mpath = os.path.join(work, "manifest.json")
    with open(mpath, "w") as f:
        json.dump(manifest, f, indent=1)

    rc = subprocess.call([args.python, os.path.join(HERE, "runner.py"), mpath])
    bad = rc != 0
    print()
    for job in jobs:
        res = json.load(open(os.path.join(work, job, "result.json")))
        parts = []
        for table, out in sinks[job]:
            lines = sink_lines(out) if os.path.isdir(out) else []
            parts.append("%s=%d" % (table, len(lines)))
            if res["status"] == "ok" and not lines:
                bad = True
            if args.update_expected and res["status"] == "ok":
                exp = os.path.join(SAMPLES, job, "expected")
                os.makedirs(exp, exist_ok=True)
                with open(os.path.join(exp, table + ".jsonl"), "w", encoding="utf-8") as f:
                    f.writelines(l + "\n" for l in lines)
        print("%-6s %-34s %6.2fs  %s" % (res["status"], job, res["seconds"], " ".join(parts)))
        if res["status"] != "ok":
            print("       " + res["error"].replace("\n", "\n       ")[:2000])
    if args.keep:
        print("work dir:", work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
