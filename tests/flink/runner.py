#!/usr/bin/env python3
"""Flink 2.3 oracle runner for the streamsql differential harness.

Runs many SQL jobs in ONE Python process (one Py4J gateway, one JVM):

    python runner.py MANIFEST.json [--jar fixture.jar ...] [--timeout SECONDS]

Manifest:

    {
      "jars":   ["/abs/fixture.jar"],            # optional, added to pipeline.jars
      "config": {"key": "value"},                # optional, for every job
      "jobs": [
        {"name": "daily_mall_traffic",
         "sql_file": "examples/iot/daily_mall_traffic.flink.sql",
         "vars": {"input.user_wifidata": "/tmp/x/user_wifidata.jsonl",
                  "output.trading_area_daily_people": "/tmp/x/out/trading_area_daily_people"},
         "result_file": "/tmp/x/result.json",
         "config": {"key": "value"},             # optional, this job only
         "timeout_seconds": 300,                 # optional
         "blackhole_sinks": false}               # optional: INSERTs go to blackhole
      ]
    }

For each job: the SQL file is read, every `${key}` is replaced by vars[key] (raw text, no
quoting; an unknown key fails the job), a fresh streaming TableEnvironment is created
(parallelism 1, table.local-time-zone UTC, pipeline.auto-watermark-interval 0), the file is
split into statements (string literals, quoted identifiers and comments are respected),
DDL and SET statements run in order, and all INSERTs run as one statement set; the runner
waits for the (bounded) job to finish. result_file gets
{"status": "ok"|"error", "error": "...", "seconds": ..., "cpu_seconds": ...}: wall time and
the CPU time of this process and its children (the JVM, every thread) from creating the
job's environment to its end. With "blackhole_sinks", each INSERT writes a temporary
table `LIKE` its target (its columns only: a primary key would make Flink 2.3 refuse
queries whose upsert key differs) with connector 'blackhole' instead, for benchmarks:
the job runs whole, its rows are dropped unencoded. A failing job does not stop the
others. One line per job is printed on stdout; the exit code is 0 when every job is ok,
1 otherwise (2 on a bad manifest).
"""

import argparse
import json
import os
import re
import sys
import time
import traceback

DEFAULT_CONFIG = {
    "parallelism.default": "1",
    "table.local-time-zone": "UTC",
    # the watermark follows every row: late rows are deterministic (see FLINK_NOTES.md)
    "pipeline.auto-watermark-interval": "0",
    # a NULL written into a NOT NULL sink column (primary-key columns are NOT NULL) drops the
    # row instead of failing the whole job (Flink's default is ERROR)
    "table.exec.sink.not-null-enforcer": "DROP",
}

PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")


# --------------------------------------------------------------------------- SQL text


def split_statements(text):
    """Split a SQL script on top-level `;`.

    Respects '...' string literals ('' escapes), "..." and `...` quoted identifiers,
    -- line comments and /* */ block comments. Comments are removed from the returned
    statements (a `--` comment becomes a newline so line structure is kept); statements
    that are empty after that are dropped.
    """
    stmts = []
    cur = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "-" and text.startswith("--", i):
            j = text.find("\n", i)
            if j < 0:
                j = n
            cur.append("\n")
            i = j + 1
            continue
        if c == "/" and text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ValueError("unterminated /* comment")
            cur.append(" ")
            i = j + 2
            continue
        if c in "'\"`":
            j = i + 1
            while True:
                if j >= n:
                    raise ValueError("unterminated %s quote starting at offset %d" % (c, i))
                if text[j] == c:
                    if j + 1 < n and text[j + 1] == c:  # doubled quote = escaped quote
                        j += 2
                        continue
                    break
                j += 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c == ";":
            stmt = "".join(cur).strip()
            if stmt:
                stmts.append(stmt)
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    stmt = "".join(cur).strip()
    if stmt:
        stmts.append(stmt)
    return stmts


def substitute(text, variables):
    missing = []

    def repl(m):
        key = m.group(1)
        if key not in variables:
            missing.append(key)
            return m.group(0)
        return str(variables[key])

    out = PLACEHOLDER.sub(repl, text)
    if missing:
        raise KeyError("no value for placeholder(s): " + ", ".join("${%s}" % k for k in sorted(set(missing))))
    return out


def substitute_all(statements, variables):
    missing = set()
    out = []
    for stmt in statements:
        try:
            out.append(substitute(stmt, variables))
        except KeyError as e:
            missing.update(re.findall(r"\$\{([^}]*)\}", str(e)))
    if missing:
        raise KeyError("no value for placeholder(s): " + ", ".join("${%s}" % k for k in sorted(missing)))
    return out


SET_RE = re.compile(
    r"^SET\s+(?:'((?:[^']|'')*)'|([^\s=]+))\s*=\s*(?:'((?:[^']|'')*)'|(\S+))\s*$",
    re.IGNORECASE | re.DOTALL,
)


def unquote(quoted, bare):
    """The value of a SET key or value: a '...' literal ('' = ') or a bare word."""
    return quoted.replace("''", "'") if quoted is not None else bare


def statement_kind(stmt):
    head = stmt.lstrip("( \t\r\n").split(None, 1)
    word = head[0].upper() if head else ""
    if word == "SET":
        return "set"
    if word == "INSERT":
        return "insert"
    if word in ("SELECT", "WITH", "VALUES"):
        return "query"
    return "ddl"


# --------------------------------------------------------------------------- errors


def error_text(exc):
    """A readable error: the root cause first, then the Java exception chain (messages only)."""
    java = getattr(exc, "java_exception", None)
    if java is None:
        return "%s: %s" % (type(exc).__name__, exc)
    chain = []
    seen = set()
    t = java
    while t is not None and len(chain) < 16:
        key = t.hashCode()
        if key in seen:
            break
        seen.add(key)
        msg = t.getMessage()
        line = t.getClass().getName() + (": " + msg if msg else "")
        if not chain or chain[-1] != line:
            chain.append(line)
        t = t.getCause()
    root = chain[-1]
    if len(chain) == 1:
        return root
    # the chain with each message cut to its first line (the root cause is given in full)
    short = [c.split("\n", 1)[0][:300] for c in chain[:-1]]
    return root.rstrip() + "\n  exception chain:\n    " + "\n    ".join(short)


# --------------------------------------------------------------------------- jobs


def cpu_seconds():
    """User + system CPU seconds of this process and all its descendants (Linux /proc).

    The JVM of the gateway is a child of this process; /proc/<pid>/stat sums a process's
    threads. 0.0 where /proc is missing.
    """
    try:
        tick = os.sysconf("SC_CLK_TCK")
        children = {}
        stats = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % name) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(name)
            stats[pid] = int(fields[11]) + int(fields[12])
            children.setdefault(int(fields[1]), []).append(pid)
        total = 0
        todo = [os.getpid()]
        while todo:
            pid = todo.pop()
            total += stats.get(pid, 0)
            todo.extend(children.get(pid, []))
        return total / tick
    except (OSError, ValueError, IndexError):
        return 0.0


INSERT_TARGET = re.compile(
    r"^(\s*INSERT\s+(?:INTO|OVERWRITE)\s+)(`[^`]+`|\"[^\"]+\"|[\w.]+)",
    re.IGNORECASE,
)


def to_blackhole(t_env, stmt, made):
    """`stmt` with its INSERT target replaced by a blackhole table LIKE it (made once)."""
    m = INSERT_TARGET.match(stmt)
    if not m:
        raise ValueError("cannot find the target of: " + " ".join(stmt.split())[:80])
    target = m.group(2)
    if target not in made:
        bare = target.strip('`"').replace(".", "_")
        made[target] = "`__blackhole_%s`" % bare
        t_env.execute_sql(
            "CREATE TEMPORARY TABLE %s WITH ('connector' = 'blackhole') LIKE %s (EXCLUDING ALL)"
            % (made[target], target))
    return m.group(1) + made[target] + stmt[m.end():]


def make_env(config, jars):
    from pyflink.table import EnvironmentSettings, TableEnvironment

    settings = EnvironmentSettings.new_instance().in_streaming_mode().build()
    t_env = TableEnvironment.create(settings)
    conf = t_env.get_config()
    for k, v in config.items():
        conf.set(k, str(v))
    if jars:
        conf.set("pipeline.jars", ";".join(jars))
    return t_env


def run_job(job, base_config, jars, default_timeout):
    """Run one job; returns the result dict (never raises)."""
    start = time.monotonic()
    cpu_start = cpu_seconds()
    result = {"status": "error", "error": "", "seconds": 0.0}
    phase = "read"
    table_result = None
    try:
        with open(job["sql_file"], encoding="utf-8") as f:
            text = f.read()
        phase = "split"
        statements = split_statements(text)  # comments are gone: placeholders in them are ignored
        phase = "substitute"
        statements = substitute_all(statements, job.get("vars", {}))
        variables = job.get("vars", {})
        for key, path in variables.items():
            # the filesystem sink adds part files to what is there: never mix two runs
            if key.startswith("output.") and os.path.isdir(path) and os.listdir(path):
                raise ValueError("output directory %s (${%s}) is not empty" % (path, key))
        config = dict(base_config)
        config.update({k: str(v) for k, v in job.get("config", {}).items()})
        phase = "environment"
        t_env = make_env(config, jars)
        stmt_set = t_env.create_statement_set()
        blackhole = bool(job.get("blackhole_sinks"))
        made = {}
        inserts = 0
        for idx, stmt in enumerate(statements):
            kind = statement_kind(stmt)
            phase = "statement %d (%s)" % (idx + 1, " ".join(stmt.split())[:80])
            if kind == "set":
                m = SET_RE.match(stmt)
                if not m:
                    raise ValueError("cannot parse SET statement: " + stmt)
                key = unquote(m.group(1), m.group(2))
                val = unquote(m.group(3), m.group(4))
                t_env.get_config().set(key, val)
            elif kind == "insert":
                stmt_set.add_insert_sql(to_blackhole(t_env, stmt, made) if blackhole else stmt)
                inserts += 1
            elif kind == "query":
                raise ValueError("a job file may not contain a bare query (only DDL, SET, INSERT)")
            else:
                t_env.execute_sql(stmt)
        if inserts == 0:
            raise ValueError("the job has no INSERT statement")
        phase = "execute"
        table_result = stmt_set.execute()
        timeout = job.get("timeout_seconds", default_timeout)
        if timeout:
            table_result.wait(int(float(timeout) * 1000))
        else:
            table_result.wait()
        result["status"] = "ok"
        result["inserts"] = inserts
        result["outputs"] = {
            key: list_output(path) for key, path in job.get("vars", {}).items()
            if key.startswith("output.") and not blackhole
        }
    except BaseException as exc:  # noqa: BLE001 - a job must never stop the others
        if isinstance(exc, KeyboardInterrupt):
            raise
        msg = error_text(exc)
        if "TimeoutException" in msg:
            msg = "timeout after %ss: %s" % (job.get("timeout_seconds", default_timeout), msg)
            try:
                client = table_result.get_job_client() if table_result is not None else None
                if client is not None:
                    client.cancel().result()  # wait until the mini-cluster has cancelled it
            except Exception:  # noqa: BLE001
                pass
        result["error"] = "%s: %s" % (phase, msg)
        result["trace"] = traceback.format_exc()[-20000:]
    result["seconds"] = round(time.monotonic() - start, 3)
    result["cpu_seconds"] = round(cpu_seconds() - cpu_start, 3)
    return result


def list_output(path):
    """Committed part files of a filesystem sink directory and their line count.

    Flink writes in-progress files as hidden `.part-*` files and renames them when it
    commits (at the end of a bounded job); hidden files are not listed.
    """
    files = []
    rows = 0
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name.startswith("_"):
                continue
            f = os.path.join(dirpath, name)
            files.append(f)
            with open(f, "rb") as fh:
                rows += sum(1 for line in fh if line.strip())
    return {"files": files, "rows": rows}


def default_jars():
    home = os.environ.get("STREAMSQL_FLINK_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache", "streamsql", "flink-2.3.0")
    jar = os.path.join(home, "fixture.jar")
    return [jar] if os.path.isfile(jar) else []


def to_url(path):
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", path):
        return path
    return "file://" + os.path.abspath(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifest")
    ap.add_argument("--jar", action="append", default=[],
                    help="extra jar for pipeline.jars (default: the manifest's jars, else "
                         "$STREAMSQL_FLINK_HOME/fixture.jar if it exists)")
    ap.add_argument("--timeout", type=float, default=0,
                    help="default per-job timeout in seconds (0 = none)")
    args = ap.parse_args(argv)

    try:
        with open(args.manifest, encoding="utf-8") as f:
            manifest = json.load(f)
        jobs = manifest["jobs"]
        for j in jobs:
            for k in ("name", "sql_file", "result_file"):
                if k not in j:
                    raise KeyError("job without %r: %r" % (k, j))
    except Exception as exc:  # noqa: BLE001
        print("runner: bad manifest %s: %s" % (args.manifest, exc), file=sys.stderr)
        return 2

    base_dir = os.path.dirname(os.path.abspath(args.manifest))
    jars = args.jar or manifest.get("jars") or default_jars()
    jars = [to_url(p if os.path.isabs(p) or ":" in p else os.path.join(base_dir, p)) for p in jars]
    base_config = dict(DEFAULT_CONFIG)
    base_config.update({k: str(v) for k, v in manifest.get("config", {}).items()})

    t0 = time.monotonic()
    from pyflink.java_gateway import get_gateway
    get_gateway()  # start the JVM once, before the first job
    print("runner: JVM gateway up in %.1fs; %d job(s); jars: %s"
          % (time.monotonic() - t0, len(jobs), " ".join(jars) or "-"), flush=True)

    failed = 0
    for job in jobs:
        res = run_job(job, base_config, jars, args.timeout)
        out = {"name": job["name"]}
        out.update(res)
        os.makedirs(os.path.dirname(os.path.abspath(job["result_file"])), exist_ok=True)
        with open(job["result_file"], "w", encoding="utf-8") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write("\n")
        if res["status"] == "ok":
            print("ok     %-40s %7.2fs (CPU %.2fs)" % (job["name"], res["seconds"], res["cpu_seconds"]),
                  flush=True)
        else:
            failed += 1
            first = res["error"].replace("\n", " | ")
            print("error  %-40s %7.2fs  %s" % (job["name"], res["seconds"], first[:400]), flush=True)
    print("runner: %d ok, %d error, %.1fs total" % (len(jobs) - failed, failed, time.monotonic() - t0),
          flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
