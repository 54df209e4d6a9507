"""Load test: simulated clerks register cases through POST /api/v1/cases/ while others read the case list
and the mediation queue; checks nothing was lost and writes the "Load test" section of docs/benchmarks.md.

Run by hand against a PostgreSQL server it may create a database on (tests/test_load.py runs the same
driver, smaller, against the test server):

    .venv/bin/python -m bench.load_intake [--clerks 20] [--per-clerk 100] [--workers 4]

It drops and recreates the database `zx_bench_load`, migrates it, creates centers, clerks and tokens,
starts gunicorn on 127.0.0.1 and drives it with one thread and one HTTP session per clerk.
"""

import argparse
import itertools
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from bench.common import write_section

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "zx_bench_load"
NANGUAN, NANLING, HUAYANG = "220102000000", "220102001000", "220102001001"
# A property company many residents complain about: every fifth case names it, so concurrent
# registrations find-or-create the same party row.
SHARED_RESPONDENT = {"kind": "organisation", "name": "长春市南关区物业管理有限公司", "role": "respondent"}


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)  # case numbers from 201 answers
    statuses: list[int] = field(default_factory=list)  # every write's status
    write_latencies: list[float] = field(default_factory=list)
    read_statuses: list[int] = field(default_factory=list)
    read_latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.statuses) / self.elapsed if self.elapsed else 0.0

    @staticmethod
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else (values or [0.0])[0]

    def summary(self) -> str:
        return (
            f"{len(self.statuses)} registrations in {self.elapsed:.1f} s = {self.throughput:.1f}/s, "
            f"p50 {statistics.median(self.write_latencies) * 1000:.0f} ms, "
            f"p95 {self.p95(self.write_latencies) * 1000:.0f} ms; "
            f"{len(self.read_statuses)} reads, p95 {self.p95(self.read_latencies) * 1000:.0f} ms"
        )


_ids = itertools.count(1)


def resident_id(serial: int) -> str:
    """A valid resident ID (GB 11643-1999 check character), distinct for each serial."""
    from intake.validators import resident_id_check_char

    first17 = f"220102{1950 + serial % 50}{1 + serial % 12:02d}{1 + serial % 28:02d}{serial % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def case_body(serial: int, shared_respondent_code: str) -> dict:
    """A walk-in neighbour dispute with a new applicant; every fifth also names the shared company."""
    parties = [
        {
            "kind": "person",
            "name": f"张{serial}",
            "id_number": resident_id(serial),
            "phone": f"139{serial:08d}",
            "role": "applicant",
        }
    ]
    if serial % 5 == 0:
        parties.append(SHARED_RESPONDENT | {"id_number": shared_respondent_code})
    return {
        "channel": "walk_in",
        "category": "0104",
        "region": HUAYANG,
        "summary": f"楼上漏水致楼下天花板受损（第{serial}号）",
        "description": "申请人称楼上住户卫生间漏水两月未修，协商未果，请求调解。",
        "parties": parties,
    }


def run_load(
    base_url: str,
    clerk_tokens: list[str],
    reader_paths: list[tuple[str, str]],
    *,
    per_clerk: int,
    shared_respondent_code: str,
) -> LoadResult:
    """Each clerk thread posts `per_clerk` cases with its own token and session; each (token, path)
    reader reads in a loop until every clerk is done."""
    result, lock, done = LoadResult(), threading.Lock(), threading.Event()
    start_gate = threading.Barrier(len(clerk_tokens) + len(reader_paths))

    def session(token: str) -> requests.Session:
        http = requests.Session()
        http.headers["Authorization"] = f"Token {token}"
        return http

    def clerk(token: str) -> None:
        http = session(token)
        start_gate.wait()
        for _ in range(per_clerk):
            with lock:
                serial = next(_ids)
            began = time.perf_counter()
            response = http.post(f"{base_url}/api/v1/cases/", json=case_body(serial, shared_respondent_code))
            took = time.perf_counter() - began
            with lock:
                result.statuses.append(response.status_code)
                result.write_latencies.append(took)
                if response.status_code == 201:
                    result.created.append(response.json()["number"])

    def reader(token: str, path: str) -> None:
        http = session(token)
        start_gate.wait()
        while not done.is_set():
            began = time.perf_counter()
            response = http.get(f"{base_url}{path}")
            with lock:
                result.read_statuses.append(response.status_code)
                result.read_latencies.append(time.perf_counter() - began)

    clerks = [threading.Thread(target=clerk, args=(token,)) for token in clerk_tokens]
    readers = [threading.Thread(target=reader, args=pair) for pair in reader_paths]
    began = time.perf_counter()
    for thread in clerks + readers:
        thread.start()
    for thread in clerks:
        thread.join()
    result.elapsed = time.perf_counter() - began
    done.set()
    for thread in readers:
        thread.join()
    return result


def setup_people(clerks: int) -> tuple[list[str], list[tuple[str, str]], str]:
    """Centers at 南关区 and 南岭街道, `clerks` clerks split between them, a supervisor and a mediator
    reading; returns (clerk tokens, reader (token, path) pairs, the shared respondent's credit code)."""
    from rest_framework.authtoken.models import Token

    from grid.models import Region
    from grid.services import StaffSpec, center_create, roles_sync, staff_create
    from intake.validators import credit_code_check_char

    roles_sync()
    for code in (NANGUAN, NANLING):
        center_create(region=Region.objects.get(code=code))

    def staff(username: str, region: str, role: str) -> str:
        user = staff_create(
            spec=StaffSpec(
                username=username,
                region_code=region,
                roles=(role,),
                password="Load@pass-2026",
                center_code=region,
            )
        )
        return Token.objects.create(user=user).key

    tokens = [staff(f"load_clerk{i}", (NANGUAN, NANLING)[i % 2], "clerk") for i in range(clerks)]
    readers = [
        (staff("load_supervisor", NANGUAN, "supervisor"), "/api/v1/cases/?limit=20"),
        (staff("load_mediator", NANLING, "mediator"), "/api/v1/mediation/queues/team/"),
    ]
    body = "91220102MA0Y3K5L2"
    return tokens, readers, body + credit_code_check_char(body)


def check_nothing_lost(result: LoadResult) -> dict[str, int]:
    """Every accepted request is a case, every number unique: the figures that prove it."""
    from intake.models import Case

    numbers = set(Case.objects.values_list("number", flat=True))
    return {
        "accepted": result.statuses.count(201),
        "server_errors": sum(status >= 500 for status in result.statuses + result.read_statuses),
        "cases_in_db": len(numbers),
        "unique_numbers_answered": len(set(result.created)),
        "answered_not_in_db": len(set(result.created) - numbers),
    }


# --- the stand-alone benchmark


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=20)
    parser.add_argument("--per-clerk", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    args = parser.parse_args()
    import psycopg

    with psycopg.connect(args.admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    env = {
        "DATABASE_URL": re.sub(r"/[^/]*$", f"/{DB_NAME}", args.admin_url),
        "REDIS_URL": args.redis_url,
        "DJANGO_SETTINGS_MODULE": "zhongxin.settings",
        "SECURE_SSL_REDIRECT": "0",
        "DEBUG": "0",
        "API_RATE_USER": "1000000/minute",  # the limit is for people, not for this benchmark
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from grid.services import regions_import

    call_command("migrate", verbosity=0)
    regions_import(path=ROOT / "tests" / "fixtures" / "regions_slice.csv")
    tokens, readers, shared = setup_people(args.clerks)
    load_before = os.getloadavg()[0]
    port = _free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "zhongxin.wsgi", "-b", f"127.0.0.1:{port}"]
        + ["-w", str(args.workers), "--threads", str(args.threads), "--log-level", "warning"],
        cwd=ROOT,
        env=os.environ | env,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz")
        result = run_load(
            f"http://127.0.0.1:{port}",
            tokens,
            readers,
            per_clerk=args.per_clerk,
            shared_respondent_code=shared,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    checks = check_nothing_lost(result)
    print(result.summary(), checks)
    section = _report(args, result, checks, load_before)
    print(section)
    write_section("Load test", section)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str) -> None:
    limit = time.monotonic() + 30
    while time.monotonic() < limit:
        try:
            requests.get(url, timeout=5)
            return
        except requests.RequestException:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer at {url}")


def _report(args, result: LoadResult, checks: dict[str, int], load_before: float) -> str:
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.rstrip()
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return f"""## Load test

Measured by `bench/load_intake.py` on {time.strftime("%Y-%m-%d")}: {args.clerks} simulated clerks (one thread
and one HTTP session each, token auth) register {len(result.statuses)} cases through `POST /api/v1/cases/`
on gunicorn ({args.workers} workers × {args.threads} threads) over loopback, split between the 南关区 and
南岭街道 centers (each center numbers its cases under one row lock); every fifth case names the same
property company, so registrations find-or-create one party row concurrently. Meanwhile a supervisor reads
the case list and a mediator the team queue in a loop. Full middleware stack (audit log, lockout,
sessions), analytics and dispatch hooks in the same transaction, eta tasks sent to Redis on commit.

Machine: {platform.machine()}, nproc {os.cpu_count()}, Linux {platform.release()}, Python
{platform.python_version()}, {pg}; the load generator runs on the same machine, whose 1-minute load
average was {load_before:.1f} when the run started (other test suites share it: figures are a floor).

```
$ free -h
{memory}
```

| what | count | throughput | p50 | p95 |
| --- | ---: | ---: | ---: | ---: |
{_row("registrations (`POST /api/v1/cases/`)", result.write_latencies, result.elapsed)}
{_row("reads (case list, team queue)", result.read_latencies, result.elapsed)}

Nothing lost: {checks["accepted"]} answers 201, {checks["cases_in_db"]} cases in the database, \
{checks["unique_numbers_answered"]} distinct numbers answered, {checks["answered_not_in_db"]} answered \
numbers missing, {checks["server_errors"]} server errors. `tests/test_load.py` runs the same driver in CI
(20 clerks, 300 registrations, against the test server) and fails on any of these.
"""


def _row(label: str, latencies: list[float], elapsed: float) -> str:
    p50, p95 = statistics.median(latencies) * 1000, LoadResult.p95(latencies) * 1000
    return f"| {label} | {len(latencies)} | {len(latencies) / elapsed:.1f}/s | {p50:.0f} ms | {p95:.0f} ms |"


if __name__ == "__main__":
    main()
