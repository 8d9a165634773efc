"""The spool API under load beside Spoolman. Printed figures and ratios, never pass/fail.

    .venv/bin/python benchmarks/bench_api.py
    SPOOLMAN_SRC=/tmp/spoolman SPOOLMAN_VENV=/tmp/spoolman-venv make bench

PrintOps runs as a user runs it, `printops serve` with its defaults, on a fresh data dir: once
on SQLite and once on a throw-away PostgreSQL database. Each is seeded through the API with the
harness in ../shared/tools/spoolman_bench (20 vendors, 200 filaments, 5 000 spools, the same
random draws as Spoolman's seed), then loaded with wrk (2 threads × 8 connections, 3 s warm-up
discarded): list 100 spools, get one spool, use 0.10–3.00 g of a random spool. With
SPOOLMAN_SRC set, Spoolman (SQLite, one uvicorn worker, as its harness runs it) is seeded and
loaded the same way; the systems take turns in every round (A B C, A B C), and the medians over
the rounds are compared. Without it, the figures Spoolman 0.26.1 gave on this 2-core machine
(issue 10) stand in as the reference, and the table says so.

After the use runs the grams are checked: the grams in the 201 ledger rows equal the drop in
the spools' remaining grams, and every spool's remaining grams equal the sum of its ledger.

Knobs (environment):
  BENCH_DURATION [15]  measured seconds per run     BENCH_WARMUP [3]   discarded seconds
  BENCH_ROUNDS [2]     alternated rounds             BENCH_ENGINES [sqlite,postgresql]
  BENCH_THREADS [2], BENCH_CONNS [8]  wrk load      BENCH_SPOOLS [5000] (vendors/filaments scale)
  BENCH_PORT [8107]    PrintOps port; Spoolman uses BENCH_PORT + 1
  BENCH_DATABASE_URL   a PostgreSQL server URL (default postgres://postgres@127.0.0.1:5432)
  BENCH_BASELINE_SRC   another PrintOps checkout (e.g. `git worktree add /tmp/base main`),
                       benchmarked beside this one with the same venv, to measure a change
  BENCH_SERVE_ARGS     extra `printops serve` flags (e.g. "--workers 1"), for experiments
  SPOOLMAN_SRC, SPOOLMAN_VENV [/tmp/spoolman-venv]  Spoolman checkout and its virtualenv
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HARNESS = Path(os.environ.get("BENCH_HARNESS", ROOT.parent / "shared" / "tools" / "spoolman_bench"))
VENV_BIN = Path(sys.executable).parent
DURATION = int(os.environ.get("BENCH_DURATION", "15"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "3"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CONNS = int(os.environ.get("BENCH_CONNS", "8"))
SPOOLS = int(os.environ.get("BENCH_SPOOLS", "5000"))
PORT = int(os.environ.get("BENCH_PORT", "8107"))
OPS = ("list", "get", "use")
OP_NAMES = {"list": "list 100 spools", "get": "get one spool", "use": "use 0.1–3 g"}
GOALS = {"list": 3.0, "get": 1.5, "use": 1.5}
WRITE_P99_GOAL_MS = 100.0
# Spoolman 0.26.1 on this machine, same load (issue 10): req/s, p50 ms, p99 ms.
REFERENCE = {"list": (20.1, None, None), "get": (207.7, 38.0, None), "use": (104.1, None, 1660.0)}


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # non-2xx answers + socket errors
    socket_errors: int = 0
    ok_grams: float = 0.0  # PrintOps: grams in the 201 ledger rows; Spoolman: grams sent and 2xx


@dataclass
class System:
    label: str
    kind: str  # "printops" | "spoolman"
    port: int
    env: dict[str, str]
    command: list[str]
    cwd: Path
    token: str = ""
    id_lo: int = 0
    id_hi: int = 0
    runs: dict[str, list[Run]] = field(default_factory=dict)
    grams_before: float = 0.0
    used_ok_grams: float = 0.0
    check: str = ""
    proc: subprocess.Popen | None = None
    log: Path | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def main() -> int:
    if not shutil.which("wrk"):
        print("bench_api: skipped: wrk is not installed (apt-get install -y wrk).")
        return 0
    if not (HARNESS / "seed_printops.py").exists():
        print(f"bench_api: skipped: the Spoolman harness is not at {HARNESS} (set BENCH_HARNESS).")
        return 0
    work = Path(tempfile.mkdtemp(prefix="printops-bench-api-"))
    systems: list[System] = []
    created_dbs: list[str] = []
    try:
        systems, created_dbs = _systems(work)
        print(
            f"api: {SPOOLS} spools; wrk {THREADS} threads × {CONNS} connections, "
            f"{WARMUP} s warm-up + {DURATION} s per run, {ROUNDS} alternated rounds; "
            f"{os.cpu_count()} cores"
        )
        for s in systems:
            _start(s)
            _seed(s)
            _stop(s)
        for r in range(ROUNDS):
            for s in systems:
                _start(s)
                for op in OPS:
                    s.runs.setdefault(op, []).append(_load(s, op))
                _stop(s)
            print(f"  round {r + 1}/{ROUNDS} done", flush=True)
        for s in systems:
            _start(s)
            s.check = _grams_check(s)
            _stop(s)
        _report(systems)
    finally:
        for s in systems:
            _stop(s)
        _drop_databases(created_dbs)
        shutil.rmtree(work, ignore_errors=True)
    return 0


# --- the systems -----------------------------------------------------------------------------


def _systems(work: Path) -> tuple[list[System], list[str]]:
    engines = [
        e.strip().lower()
        for e in os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",")
        if e.strip()
    ]
    sources = [("PrintOps", ROOT)]
    if os.environ.get("BENCH_BASELINE_SRC"):
        sources.append(("baseline", Path(os.environ["BENCH_BASELINE_SRC"]).resolve()))
    systems: list[System] = []
    created: list[str] = []
    spoolman = os.environ.get("SPOOLMAN_SRC")
    if spoolman:
        systems.append(_spoolman(work, Path(spoolman)))
    pg_server = ""
    if "postgresql" in engines:
        pg_server = _postgres_server()
        if not pg_server:
            print("PostgreSQL: skipped (no BENCH_DATABASE_URL and nothing at 127.0.0.1:5432)")
    for engine in engines:
        if engine == "postgresql" and not pg_server:
            continue
        for name, src in sources:
            data = work / f"{name}-{engine}"
            data.mkdir()
            env = {
                **os.environ,
                "PRINTOPS_DATA_DIR": str(data),
                "PYTHONPATH": str(src),
                "PYTHONUNBUFFERED": "1",
            }
            env.pop("DATABASE_URL", None)
            if engine == "postgresql":
                db = f"printops_bench_api_{uuid.uuid4().hex[:8]}"
                _psql(pg_server, f'CREATE DATABASE "{db}"')
                created.append(f"{pg_server}/{db}")
                env["DATABASE_URL"] = f"{pg_server}/{db}"
            label = f"{name} {'SQLite' if engine == 'sqlite' else 'PostgreSQL'}"
            command = [str(VENV_BIN / "python"), "-m", "printops", "serve"]
            command += ["--host", "127.0.0.1", "--port", str(PORT)]
            command += shlex.split(os.environ.get("BENCH_SERVE_ARGS", ""))
            systems.append(System(label, "printops", PORT, env, command, data))
    return systems, created


def _spoolman(work: Path, src: Path) -> System:
    """Spoolman as its harness's measure.sh runs it: SQLite, one uvicorn worker, a stub web
    client (it refuses to start without one), no backups, no network."""
    venv = Path(os.environ.get("SPOOLMAN_VENV", "/tmp/spoolman-venv"))
    if not (src / "spoolman" / "main.py").exists() or not (venv / "bin" / "python").exists():
        raise SystemExit(f"SPOOLMAN_SRC={src} / SPOOLMAN_VENV={venv}: not a Spoolman set-up.")
    app, data = work / "spoolman-app", work / "spoolman-data"
    (app / "client_v2" / "build").mkdir(parents=True)
    (data / "home").mkdir(parents=True)
    for name in ("spoolman", "migrations", "alembic.ini", "pyproject.toml"):
        (app / name).symlink_to(src / name)
    for page in ("200.html", "index.html"):
        (app / "client_v2" / "build" / page).write_text("<!doctype html><title>api only</title>\n")
    env = {
        "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(data / "home"),
        "LANG": "C.UTF-8",
        "SPOOLMAN_DB_TYPE": "sqlite",
        "SPOOLMAN_DIR_DATA": str(data),
        "SPOOLMAN_DIR_LOGS": str(data),
        "SPOOLMAN_DIR_BACKUPS": str(data / "backups"),
        "SPOOLMAN_AUTOMATIC_BACKUP": "FALSE",
        "EXTERNAL_DB_URL": "",
        "SPOOLMAN_LOGGING_LEVEL": "INFO",
        "SPOOLMAN_METRICS_ENABLED": "FALSE",
    }
    command = [str(venv / "bin" / "python"), "-m", "uvicorn", "spoolman.main:app"]
    command += ["--host", "127.0.0.1", "--port", str(PORT + 1)]
    return System("Spoolman", "spoolman", PORT + 1, env, command, app)


def _start(s: System) -> None:
    if _answers(s.base + "/"):
        raise SystemExit(f"Something already listens on {s.base}: set BENCH_PORT to a free port.")
    s.log = s.cwd.parent / f"{s.label.replace(' ', '-')}.log"
    with s.log.open("a") as log:
        s.proc = subprocess.Popen(
            s.command,
            cwd=s.cwd,
            env=s.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopping it stops its workers
        )
    health = "/api/v1/health" if s.kind == "spoolman" else "/healthz"
    for _ in range(600):
        if s.proc.poll() is not None:
            raise SystemExit(f"{s.label} exited at start-up:\n{s.log.read_text()[-2000:]}")
        if _answers(s.base + health):
            return
        time.sleep(0.1)
    raise SystemExit(f"{s.label} did not answer {health} within 60 s.")


def _stop(s: System) -> None:
    if s.proc is None:
        return
    if s.proc.poll() is None:
        os.killpg(s.proc.pid, signal.SIGTERM)
        try:
            s.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(s.proc.pid, signal.SIGKILL)
            s.proc.wait()
    s.proc = None
    for _ in range(100):  # the port is free again before the next system starts
        if not _answers(s.base + "/"):
            return
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - 127.0.0.1 only
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def _seed(s: System) -> None:
    t0 = time.perf_counter()
    sizes = ["--spools", str(SPOOLS)]
    sizes += ["--filaments", str(max(1, SPOOLS // 25)), "--vendors", str(max(1, SPOOLS // 250))]
    if s.kind == "printops":
        printops = [str(VENV_BIN / "python"), "-m", "printops"]
        run = {"env": s.env, "cwd": s.cwd, "check": True, "capture_output": True, "text": True}
        email = "bench@example.com"
        password = uuid.uuid4().hex
        owner = ["--email", email, "--password", password, "--workspace", "Bench"]
        subprocess.run([*printops, "createuser", *owner, "--role", "owner"], **run)
        s.token = subprocess.run(
            [*printops, "token", "create", "--email", email, "--workspace", "bench"], **run
        ).stdout.strip()
        seed = [str(VENV_BIN / "python"), str(HARNESS / "seed_printops.py"), s.base, s.token]
    else:
        seed = [str(VENV_BIN / "python"), str(HARNESS / "seed.py"), s.base]
    out = subprocess.run(seed + sizes, check=True, capture_output=True, text=True).stdout
    match = re.search(r"spool ids (\d+)\.\.(\d+)", out)
    if not match:
        raise SystemExit(f"{s.label}: the seed printed no spool id range:\n{out}")
    s.id_lo, s.id_hi = int(match[1]), int(match[2])
    s.grams_before = _remaining_total(s)
    print(f"  {s.label}: seeded in {time.perf_counter() - t0:.0f} s", flush=True)


# --- load ------------------------------------------------------------------------------------


def _load(s: System, op: str) -> Run:
    headers = ["-H", f"Authorization: Bearer {s.token}"] if s.token else []
    middle = (s.id_lo + s.id_hi) // 2
    if s.kind == "printops":
        url = {
            "list": f"{s.base}/api/v1/materials/spools?limit=100",
            "get": f"{s.base}/api/v1/materials/spools/{middle}",
        }.get(op, s.base)
    else:
        url = {
            "list": f"{s.base}/api/v1/spool?limit=100",
            "get": f"{s.base}/api/v1/spool/{middle}",
        }.get(op, s.base)
    if op == "use":
        script = [str(HARNESS / "use_both.lua"), url, "--", str(s.id_lo), str(s.id_hi), s.kind]
        script += [s.token] if s.token else []
    else:
        script = [str(HARNESS / "report.lua"), url]
    wrk = ["wrk", f"-t{THREADS}", f"-c{CONNS}", "--timeout", "10s", *headers, "-s"]
    warm = subprocess.run([*wrk[:3], f"-d{WARMUP}s", *wrk[3:], *script], capture_output=True)
    out = subprocess.run(
        [*wrk[:3], f"-d{DURATION}s", *wrk[3:], *script], capture_output=True, text=True
    ).stdout
    run = _parse(out)
    if op == "use":
        s.used_ok_grams += _ok_grams(warm.stdout.decode(), s.kind) + _ok_grams(out, s.kind)
    return run


def _parse(out: str) -> Run:
    line = next((ln for ln in out.splitlines() if ln.startswith("RESULT")), "")
    if not line:
        raise SystemExit(f"wrk printed no RESULT line:\n{out}")
    v = dict(part.split("=", 1) for part in line.split()[1:])
    return Run(
        rps=float(v["rps"]),
        p50_ms=float(v["p50_ms"]),
        p99_ms=float(v["p99_ms"]),
        requests=int(v["requests"]),
        errors=int(v["non2xx"]) + int(v["sock_errors"]),
        socket_errors=int(v["sock_errors"]),
    )


def _ok_grams(out: str, kind: str) -> float:
    line = next((ln for ln in out.splitlines() if ln.startswith("ACCOUNT")), "")
    v = dict(part.split("=", 1) for part in line.split()[1:]) if line else {}
    if not v:
        return 0.0
    if kind == "spoolman" and int(v["bad_n"]) == 0:
        return float(v["issued_g"])  # Spoolman's answers carry no per-use figure to add up
    return float(v["ok_g"])


# --- the grams afterwards --------------------------------------------------------------------


def _remaining_total(s: System) -> float:
    if s.kind == "spoolman":
        with urllib.request.urlopen(f"{s.base}/api/v1/spool", timeout=60) as r:  # noqa: S310
            return sum(float(x["remaining_weight"]) for x in json.load(r))
    return float(
        _printops_shell(s, "print(sum(Spool.objects.values_list('remaining_grams', flat=True)))")
    )


def _grams_check(s: System) -> str:
    """PrintOps: the consume rows in the ledger equal the drop in stock, every spool's ledger
    adds up to its remaining grams, and every 201 wrk saw is among those rows (wrk stops with
    up to one request per connection in flight, whose answer it never reads: those are in the
    ledger but not in wrk's count). Spoolman keeps no ledger: the drop against what was sent."""
    drop = s.grams_before - _remaining_total(s)
    if s.kind == "spoolman":
        return f"stock fell {drop:.2f} g; wrk saw 2xx for {s.used_ok_grams:.2f} g (no ledger)"
    ledger_g, unexplained = _printops_shell(
        s,
        "from django.db.models import Sum\n"
        "used = -(SpoolLedgerEntry.objects.filter(reason='print').aggregate(g=Sum('grams'))['g']"
        " or 0)\n"
        "sums = dict(SpoolLedgerEntry.objects.values('spool').annotate(g=Sum('grams'))"
        ".values_list('spool', 'g'))\n"
        "bad = sum(1 for s in Spool.objects.all() if sums.get(s.pk) != s.remaining_grams)\n"
        "print(used, bad)",
    ).split()
    exact = (
        abs(float(ledger_g) - drop) < 0.005
        and int(unexplained) == 0
        and float(ledger_g) + 0.005 >= s.used_ok_grams
    )
    return (
        f"{'exact' if exact else 'NOT EXACT'}: ledger {float(ledger_g):.2f} g used, stock fell "
        f"{drop:.2f} g, {unexplained} spools whose ledger does not add up "
        f"(wrk read 201 for {s.used_ok_grams:.2f} g)"
    )


def _printops_shell(s: System, code: str) -> str:
    code = "from printops.materials.models import Spool, SpoolLedgerEntry\n" + code
    out = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "printops", "manage", "shell", "-c", code],
        env=s.env,
        cwd=s.cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.strip().splitlines()[-1]


# --- report ----------------------------------------------------------------------------------


def _median(s: System, op: str) -> Run:
    runs = s.runs[op]
    return Run(
        rps=statistics.median(r.rps for r in runs),
        p50_ms=statistics.median(r.p50_ms for r in runs),
        p99_ms=statistics.median(r.p99_ms for r in runs),
        requests=sum(r.requests for r in runs),
        errors=sum(r.errors for r in runs),
        socket_errors=sum(r.socket_errors for r in runs),
    )


def _report(systems: list[System]) -> None:
    spoolman = next((s for s in systems if s.kind == "spoolman"), None)
    ours = [s for s in systems if s.kind == "printops"]
    if spoolman:
        ref = {op: _median(spoolman, op) for op in OPS}
        ref_label = f"Spoolman (measured, median of {ROUNDS})"
    else:
        ref = {op: Run(r, p50 or 0, p99 or 0, 0, 0) for op, (r, p50, p99) in REFERENCE.items()}
        ref_label = "Spoolman 0.26.1 (issue 10's figures: SPOOLMAN_SRC not set)"
    print()
    header = ["operation", ref_label] + [s.label for s in ours]
    rows = [header]
    for op in OPS:
        row = [OP_NAMES[op], _cell(ref[op], op)]
        for s in ours:
            m = _median(s, op)
            row.append(f"{_cell(m, op)} ({m.rps / ref[op].rps:.2f}×)")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for i, row in enumerate(rows):
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if i == 0:
            print("-|-".join("-" * w for w in widths))
    print()
    print(
        f"goals: ≥ {GOALS['list']:g}× list, ≥ {GOALS['get']:g}× get and use, "
        f"write p99 < {WRITE_P99_GOAL_MS:g} ms, 0 errors, exact grams"
    )
    for s in ours:
        m = {op: _median(s, op) for op in OPS}
        ratios = []
        for op in OPS:
            ratio = m[op].rps / ref[op].rps
            ratios.append(f"{op} {ratio:.2f}× {'met' if ratio >= GOALS[op] else 'MISSED'}")
        p99 = m["use"].p99_ms
        errors = sum(m[op].errors for op in OPS)
        print(
            f"  {s.label}: {', '.join(ratios)}; write p99 {p99:.0f} ms "
            f"{'met' if p99 < WRITE_P99_GOAL_MS else 'MISSED'}; {errors} errors"
            f"{_error_kinds(s, m) if errors else ''}; {s.check}"
        )
    if spoolman:
        errors = sum(_median(spoolman, op).errors for op in OPS)
        print(
            f"  Spoolman: write p99 {ref['use'].p99_ms:.0f} ms; {errors} errors; {spoolman.check}"
        )


def _error_kinds(s: System, medians: dict[str, Run]) -> str:
    """What the errors were: by operation, socket or HTTP, and what the server's log says of
    its refusals (Django logs each 4xx/5xx answer with its reason)."""
    by_op = ", ".join(
        f"{op}: {m.errors - m.socket_errors} non-2xx, {m.socket_errors} socket"
        for op, m in medians.items()
        if m.errors
    )
    log = s.log.read_text(errors="replace") if s.log and s.log.exists() else ""
    server_errors = log.count("Internal Server Error")
    conflicts = log.count("Conflict: ")
    return f" ({by_op}; server log: {server_errors} server errors, {conflicts} conflicts (409))"


def _cell(run: Run, op: str) -> str:
    text = f"{run.rps:.0f} req/s"
    if run.p50_ms:
        text += f", p50 {run.p50_ms:.0f} ms"
    if op == "use" and run.p99_ms:
        text += f", p99 {run.p99_ms:.0f} ms"
    return text


# --- PostgreSQL ------------------------------------------------------------------------------


def _postgres_server() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    server = url.rsplit("/", 1)[0]
    try:
        _psql(server, "SELECT 1")
    except Exception:
        return ""
    return server


def _psql(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(sql)


def _drop_databases(urls: list[str]) -> None:
    for url in urls:
        server, name = url.rsplit("/", 1)
        try:
            _psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as exc:  # a leftover database is not worth a traceback
            print(f"could not drop {name}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
