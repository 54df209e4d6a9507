"""Benchmark: the deadline sweep's due-row query over 1,000,000 open cases with 1% due, through the ORM
and as raw SQL, in the same run; writes the "Deadline sweep" section of docs/benchmarks.md.

Run by hand (not part of the test suite), against a PostgreSQL server it may create a database on:

    .venv/bin/python -m bench.bench_sweep [--cases 1000000] [--admin-url postgres://postgres@127.0.0.1:5432/postgres]

It drops and recreates the database `zx_bench_sweep`, migrates it, and bulk-loads rows with
generate_series in SQL (one statement per table, no Python loop).
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

from bench.common import fresh_database, write_section

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "zx_bench_sweep"
REPEATS = 30
BATCH = 500  # dispatch.timers.SWEEP_BATCH


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    bench_url = fresh_database(args.admin_url, DB_NAME)
    _django(bench_url)

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    _load(args.cases)
    load_seconds = time.perf_counter() - started
    results = _measure()
    section = _report(args.cases, load_seconds, results)
    print(section)
    write_section("Deadline sweep", section)


def _django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongxin.settings")
    import django

    django.setup()


def _load(cases: int) -> None:
    """One organisation, `cases` in-progress cases, each with a running close clock (1% already due) and
    a met respond clock that is also in the past — the rows the partial index must not read."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from grid.models import Region
    from grid.services import center_create
    from intake.models import Case, Category

    region = Region.objects.create(id=220000000000, code="220000000000", name="吉林省", level=1)
    center = center_create(region=region)
    user = get_user_model().objects.create(username="bench")
    category = Category.objects.filter(parent__isnull=False).first()
    values = {
        "number": "'B' || lpad(g::text, 9, '0')",
        "center_id": str(center.pk),
        "received_by_id": str(user.pk),
        "received_at": "now() - interval '2 days'",
        "channel": "'walk_in'",
        "matter_type": "'dispute'",
        "category_id": str(category.pk),
        "region_id": str(region.pk),
        "summary": "'基准测试案件'",
        "description": "'基准测试案件'",
        "involved_people": "1",
        "repeat_count": "0",
        "created_at": "now()",
        "status": "'in_progress'",
        "color": "'blue'",
        "handling_center_id": str(center.pk),
        "handling_region_id": str(region.pk),
        "version": "3",
    }
    columns, expressions = _row(Case, values)
    with connection.cursor() as cursor:
        table = Case._meta.db_table
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {expressions} FROM generate_series(1, %s) g", [cases]
        )
        cursor.execute(f"""
            INSERT INTO dispatch_deadline (case_id, kind, state, unit, started_at, warn_at, due_at,
                                           escalate_on_breach)
            SELECT c.id, 'close', CASE WHEN c.id % 3 = 0 THEN 'warned' ELSE 'pending' END, 'working_days',
                   now() - interval '2 days', now() - interval '1 day',
                   CASE WHEN c.id % 100 = 0 THEN now() - interval '1 hour' * (1 + c.id % 48)
                        ELSE now() + interval '1 minute' * (1 + c.id % 10000) END,
                   false
            FROM {Case._meta.db_table} c""")
        cursor.execute(f"""
            INSERT INTO dispatch_deadline (case_id, kind, state, unit, started_at, warn_at, due_at, met_at,
                                           escalate_on_breach)
            SELECT c.id, 'respond', 'met', 'working_minutes', now() - interval '2 days',
                   now() - interval '2 days' + interval '24 minutes',
                   now() - interval '2 days' + interval '30 minutes',
                   now() - interval '2 days' + interval '10 minutes', false
            FROM {Case._meta.db_table} c""")
        cursor.execute("ANALYZE")


def _row(model, values: dict[str, str]) -> tuple[str, str]:
    """Column list and SQL expressions for every concrete field: given, else NULL where allowed."""
    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.column in values:
            expressions.append(values[field.column])
        elif field.null:
            expressions.append("NULL")
        else:
            raise SystemExit(f"bench: no value for required column {model.__name__}.{field.column}")
        columns.append(field.column)
    return ", ".join(columns), ", ".join(expressions)


SQL = (
    "SELECT id FROM dispatch_deadline WHERE state IN ('pending', 'warned') AND due_at <= %s "
    "ORDER BY due_at LIMIT %s FOR UPDATE SKIP LOCKED"
)
SQL_ALL = "SELECT id FROM dispatch_deadline WHERE state IN ('pending', 'warned') AND due_at <= %s"


def _measure() -> dict:
    """Median wall time of the sweep's batch query and of reading the whole due set, ORM vs raw SQL."""
    from django.db import connection, transaction
    from django.utils import timezone

    from dispatch.models import OPEN_DEADLINE_STATES, Deadline

    now = timezone.now()

    def orm_batch():
        with transaction.atomic():
            qs = Deadline.objects.filter(state__in=OPEN_DEADLINE_STATES, due_at__lte=now).order_by("due_at")
            return list(qs.select_for_update(skip_locked=True).values_list("pk", flat=True)[:BATCH])

    def raw_batch():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(SQL, [now, BATCH])
            return [row[0] for row in cursor.fetchall()]

    def orm_all():
        return list(
            Deadline.objects.filter(state__in=OPEN_DEADLINE_STATES, due_at__lte=now).values_list(
                "pk", flat=True
            )
        )

    def raw_all():
        with connection.cursor() as cursor:
            cursor.execute(SQL_ALL, [now])
            return [row[0] for row in cursor.fetchall()]

    results = {}
    for name, orm, raw in (("batch", orm_batch, raw_batch), ("all", orm_all, raw_all)):
        assert sorted(orm()) == sorted(raw()), f"{name}: ORM and SQL disagree"
        results[name] = {"orm": _timed(orm), "raw": _timed(raw), "rows": len(raw())}
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + SQL, [now, BATCH])
        results["plan"] = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT count(*) FROM dispatch_deadline")
        results["deadline_rows"] = cursor.fetchone()[0]
    return results


def _timed(function) -> float:
    function()  # warm the cache and the connection
    samples = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _machine() -> str:
    cpus = os.cpu_count()
    with open("/proc/meminfo") as meminfo:
        total_kb = int(meminfo.readline().split()[1])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return (
        f"{platform.machine()}, nproc {cpus}, {total_kb / 1024 / 1024:.1f} GiB RAM, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}, PostgreSQL {version}"
    )


def _report(cases: int, load_seconds: float, results: dict) -> str:
    def line(name: str, label: str) -> str:
        entry = results[name]
        ratio = entry["orm"] / entry["raw"]
        return (
            f"| {label} | {entry['rows']:,} | {entry['orm'] * 1000:.2f} ms | {entry['raw'] * 1000:.2f} ms "
            f"| {ratio:.2f}× |"
        )

    return "\n".join(
        [
            "## Deadline sweep",
            "",
            f"Measured by `bench/bench_sweep.py` on {time.strftime('%Y-%m-%d')}: {cases:,} open cases, "
            "each with a running close clock (1% due) and a met respond clock in the past — "
            f"{results['deadline_rows']:,} deadline rows, loaded with generate_series in "
            f"{load_seconds:.0f} s.",
            "",
            f"Machine: {_machine()}.",
            "",
            f"Median of {REPEATS} runs each, ORM and raw SQL in the same process against the same data:",
            "",
            "| query | rows | ORM | raw SQL | ORM / SQL |",
            "| --- | ---: | ---: | ---: | ---: |",
            line("batch", f"one sweep batch (`LIMIT {BATCH} FOR UPDATE SKIP LOCKED`)"),
            line("all", "every due deadline (ids)"),
            "",
            "Plan of the batch query (the partial index `deadline_due_open` reads only running clocks):",
            "",
            "```",
            results["plan"],
            "```",
            "",
        ]
    )


if __name__ == "__main__":
    main()
