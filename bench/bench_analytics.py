"""Benchmark: analytics dashboards over the real region tree of 吉林省 and 甘肃省, against the equivalent raw
GROUP BY on the case table in the same run; writes the "Analytics at N cases" section of docs/benchmarks.md.

Run by hand (not part of the test suite), against a PostgreSQL server it may create a database on:

    .venv/bin/python -m bench.bench_analytics [--cases 1000000] [--admin-url postgres://postgres@127.0.0.1:5432/postgres]
    .venv/bin/python -m bench.bench_analytics --cases 10000000 --load-only    # then again with --reuse

It drops and recreates the database `zx_bench_analytics_<cases>`, migrates it, imports provinces 22 and
62 from ../shared/data/regions.csv.gz, opens a center at every province, city, county and township, and
loads cases (a million per statement), their analytics facts, follow-ups and repeat visits with
generate_series in SQL (no Python loop).
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.common import fresh_database, write_section

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ROOT.parent / "shared" / "data" / "regions.csv.gz"
DB_PREFIX = "zx_bench_analytics"  # one database per size, so both sizes can be kept and rerun
REPEATS = 20
MONTH, QUARTER = "2026-10", "2026-Q3"
LOAD_CHUNK = 1_000_000  # cases per INSERT, so a 10-million load reports progress


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--reuse", action="store_true", help="keep the cases loaded by an earlier run")
    parser.add_argument("--no-rebuild", action="store_true", help="with --reuse: keep the rollup too")
    parser.add_argument("--load-only", action="store_true", help="stop after loading the cases")
    args = parser.parse_args()
    if args.reuse:
        _django(re.sub(r"/[^/]*$", f"/{_database(args.cases)}", args.admin_url))
    else:
        _django(fresh_database(args.admin_url, _database(args.cases)))

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    timings: dict[str, float] = {}
    if not args.reuse:
        started = time.perf_counter()
        _load_regions()
        timings["regions"] = time.perf_counter() - started
        started = time.perf_counter()
        _load_cases(args.cases)
        timings["load"] = time.perf_counter() - started
        print(f"bench: loaded {args.cases:,} cases in {timings['load']:.0f} s", flush=True)
    if args.load_only:
        return
    if not _records_loaded():
        started = time.perf_counter()
        _load_records()
        timings["records"] = time.perf_counter() - started
    _mark_overdue()
    if not args.no_rebuild:
        timings["rebuild"] = _rebuild()
    results = _measure()
    section = _report(args.cases, timings, results)
    print(section)
    write_section(_heading(args.cases), section)


def _database(cases: int) -> str:
    return f"{DB_PREFIX}_{cases}"


def _heading(cases: int) -> str:
    return f"Analytics at {cases:,} cases"


def _django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhongxin.settings")
    import django

    django.setup()


def _load_regions() -> None:
    from django.db import connection

    from grid.services import regions_import

    regions_import(path=REGIONS, provinces=["22", "62"])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO grid_center (region_id, name, code, phone, address) "
            "SELECT id, name || '综治中心', code, '', '' FROM grid_region WHERE level <= 4"
        )


# Shares (cumulative) of how matters reach a center, from the centers' published figures: walk-ins and
# grid reports dominate, the 12345 hotline is next.
CHANNELS = [
    (0.32, "walk_in"),
    (0.44, "phone"),
    (0.58, "hotline_12345"),
    (0.78, "grid_report"),
    (0.84, "online"),
    (0.88, "higher_level"),
    (0.92, "police_referral"),
    (0.95, "court_referral"),
    (0.97, "petition_referral"),
    (0.99, "letter"),
    (1.01, "screening"),
]


def _case_expression(column: str) -> str:
    bands = " ".join(f"WHEN s.r3 < {share} THEN '{code}'" for share, code in CHANNELS)
    return {
        "number": "'B' || lpad(s.g::text, 10, '0')",
        "center_id": "v.center_id",
        "received_by_id": "%(user)s",
        # 24 months to the end of October 2026, busier in summer (the square root skews towards later).
        "received_at": "timestamptz '2024-11-01 00:00+08' + sqrt(s.r2) * interval '730 days'",
        "channel": f"CASE {bands} END",
        "matter_type": "'dispute'",
        "category_id": "k.id",
        "region_id": "v.region_id",
        "summary": "'基准测试案件'",
        "description": "'基准测试案件'",
        "involved_people": "1 + (s.r4 * 5)::int",
        "repeat_count": "0",
        "created_at": "now()",
        "status": "'in_progress'",
        "color": "CASE WHEN s.r4 < 0.70 THEN 'blue' WHEN s.r4 < 0.92 THEN 'yellow' ELSE 'red' END",
        "handling_center_id": "v.center_id",
        "handling_region_id": "v.township_id",
        "version": "1",
    }.get(column, "")


def _load_cases(cases: int) -> None:
    """Cases spread over every village of both provinces, kinds skewed (a few kinds carry most matters),
    then one analytics fact per case with plausible outcomes: 97% signed for (most within 30 minutes),
    86% resolved within 12 days (60% at the village, 25% township, 10% county, 5% above), 8% escalated."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from intake.models import Case

    user = get_user_model().objects.create(username="bench")
    columns, expressions = [], []
    for field in Case._meta.concrete_fields:
        if field.primary_key:
            continue
        expression = _case_expression(field.column)
        if not expression and not field.null:
            raise SystemExit(f"bench: no value for required column Case.{field.column}")
        columns.append(field.column)
        expressions.append(expression or "NULL")
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE TEMP TABLE bench_village AS
            SELECT row_number() OVER (ORDER BY v.id) AS rn, v.id AS region_id, t.id AS township_id,
                   c.id AS center_id
            FROM grid_region v JOIN grid_region t ON t.id = v.parent_id
            JOIN grid_center c ON c.region_id = t.id
            WHERE v.level = 5""")
        cursor.execute("""
            CREATE TEMP TABLE bench_kind AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS rn, id
            FROM intake_category WHERE parent_id IS NOT NULL""")
        cursor.execute("SELECT count(*) FROM bench_village")
        villages = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM bench_kind")
        kinds = cursor.fetchone()[0]
        for first in range(1, cases + 1, LOAD_CHUNK):
            last = min(first + LOAD_CHUNK - 1, cases)
            cursor.execute(
                f"""
                INSERT INTO intake_case ({", ".join(columns)})
                SELECT {", ".join(expressions)}
                FROM (SELECT g, 1 + floor(random() * %(villages)s)::int AS vi, random() AS r1,
                             random() AS r2, random() AS r3, random() AS r4
                      FROM generate_series(%(first)s, %(last)s) g) s
                JOIN bench_village v ON v.rn = s.vi
                JOIN bench_kind k ON k.rn = floor(power(s.r1, 2.5) * %(kinds)s)::int""",
                {"villages": villages, "kinds": kinds, "first": first, "last": last, "user": user.pk},
            )
            print(f"bench: {last:,} cases", flush=True)
        cursor.execute(_FACTS_SQL)
        cursor.execute("UPDATE analytics_casefact SET resolved_level = NULL WHERE resolved_at IS NULL")
        cursor.execute("ANALYZE")


_FACTS_SQL = """
            INSERT INTO analytics_casefact (case_id, region_id, tree_id, lft, kind_id, channel, color,
                department_id, received_at, close_due_at, first_response_at, resolved_at, resolved_level,
                closed_at, closed_on_time, escalated_at, is_open, is_overdue)
            SELECT x.id, x.region_id, x.tree_id, x.lft, x.category_id, x.channel, x.color, NULL,
                   x.received_at, x.due, x.first_response_at, x.resolved_at, x.resolved_level, x.closed_at,
                   coalesce(x.closed_at <= x.due, false), x.escalated_at, x.closed_at IS NULL,
                   x.closed_at IS NULL AND x.due < now()
            FROM (
              SELECT c.id, c.region_id, r.tree_id, r.lft, c.category_id, c.channel, c.color, c.received_at,
                     c.received_at + interval '7 days' AS due,
                     CASE WHEN s.a < 0.97 THEN c.received_at + s.b * s.b * interval '90 minutes' END
                       AS first_response_at,
                     CASE WHEN s.c < 0.86 THEN c.received_at + s.d * interval '12 days' END AS resolved_at,
                     CASE WHEN s.e < 0.60 THEN 5 WHEN s.e < 0.85 THEN 4 WHEN s.e < 0.95 THEN 3 ELSE 2 END
                       AS resolved_level,
                     CASE WHEN s.c < 0.93
                               AND now() > c.received_at + s.d * interval '12 days' + interval '1 day'
                          THEN c.received_at + s.d * interval '12 days' + interval '1 day' END AS closed_at,
                     CASE WHEN s.f < 0.08 THEN c.received_at + interval '1 day' END AS escalated_at
              FROM (SELECT id, random() AS a, random() AS b, random() AS c, random() AS d, random() AS e,
                           random() AS f FROM intake_case) s
              JOIN intake_case c ON c.id = s.id JOIN grid_region r ON r.id = c.region_id
            ) x"""


def _records_loaded() -> bool:
    from mediation.models import FollowUp

    return FollowUp.objects.exists()


def _load_records() -> None:
    """Follow-ups on 80% of the cases closed at least ten days ago, one to ten days after closing (78%
    满意, 17% 基本满意, 5% 不满意), and one to three repeat visits on 6% of cases within three weeks."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    user = get_user_model().objects.get(username="bench")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO mediation_followup (case_id, method, contacted_at, contact_person, note,
                satisfaction, recurred, reopened, recorded_by_id, created_at)
            SELECT case_id, 'phone', closed_at + (1 + 9 * d) * interval '1 day', '申请人', '',
                   CASE WHEN r < 0.78 THEN 'satisfied' WHEN r < 0.95 THEN 'basic' ELSE 'dissatisfied' END,
                   false, false, %(user)s, now()
            FROM (SELECT case_id, closed_at, random() AS p, random() AS d, random() AS r
                  FROM analytics_casefact WHERE closed_at < now() - interval '10 days') f
            WHERE p < 0.8""",
            {"user": user.pk},
        )
        cursor.execute(
            """
            INSERT INTO intake_repeatvisit (case_id, channel, received_by_id, received_at, note)
            SELECT case_id, channel, %(user)s, received_at + random() * interval '21 days', ''
            FROM (SELECT case_id, channel, received_at, random() AS p, random() AS q
                  FROM analytics_casefact) f
            CROSS JOIN LATERAL generate_series(1, 1 + floor(q * 3)::int)
            WHERE p < 0.06 AND received_at < now() - interval '21 days'""",
            {"user": user.pk},
        )
        cursor.execute("ANALYZE mediation_followup")
        cursor.execute("ANALYZE intake_repeatvisit")


def _mark_overdue() -> None:
    """What the minute sweep (analytics.rollup.facts_overdue_mark) keeps true, done for the generated
    facts in one statement: open facts past their limit are marked overdue and the watermark set. Then
    what autovacuum would do after such an update: the dead index entries go and the statistics are
    current."""
    from django.db import connection
    from django.utils import timezone

    from analytics.models import OverdueSweep

    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE analytics_casefact SET is_overdue = true "
            "WHERE is_open AND NOT is_overdue AND close_due_at < %s",
            [now],
        )
        OverdueSweep.objects.update_or_create(pk=1, defaults={"swept_until": now})
        cursor.execute("VACUUM ANALYZE analytics_casefact")


def _rebuild() -> float:
    """Time of the rollup's GROUP BY from the facts (the bench writes facts, not CaseEvents, so the
    refold step of `rollups_rebuild` is not part of this figure)."""
    from django.db import connection, transaction

    from analytics.rollup import counts_rebuild_sql

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        counts_rebuild_sql(cursor)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE analytics_casecount")
    return seconds


def _raw_sql(region, first: str, last: str) -> None:
    """What the dashboard shows, straight from the case table: totals, by kind, channel and colour, by
    child region, with resolved counts from the facts."""
    from django.db import connection

    where = "r.tree_id = %(tree)s AND r.lft BETWEEN %(lft)s AND %(rght)s AND c.received_at >= %(first)s "
    where += "AND c.received_at < %(last)s"
    params = {"tree": region.tree_id, "lft": region.lft, "rght": region.rght, "first": first, "last": last}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT c.category_id, c.channel, c.color, count(*), count(f.resolved_at)
                FROM intake_case c JOIN grid_region r ON r.id = c.region_id
                JOIN analytics_casefact f ON f.case_id = c.id
                WHERE {where} GROUP BY GROUPING SETS ((c.category_id), (c.channel), (c.color), ())""",
            params,
        )
        cursor.fetchall()
        cursor.execute(
            f"""SELECT ch.id, count(*) FROM intake_case c JOIN grid_region r ON r.id = c.region_id
                JOIN grid_region ch ON ch.parent_id = %(id)s AND ch.tree_id = r.tree_id
                     AND r.lft BETWEEN ch.lft AND ch.rght
                WHERE {where} GROUP BY ch.id""",
            {**params, "id": region.pk},
        )
        cursor.fetchall()


def _time(call, repeats: int = REPEATS) -> tuple[float, float]:
    call()  # warm
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def _measure() -> list[tuple[str, tuple[float, float], tuple[float, float]]]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from analytics.demo import DEMO_THRESHOLDS
    from analytics.models import WarningThreshold
    from grid.models import Region

    # The page evaluates the 三色预警 too, as it would with a center's thresholds configured. A rerun
    # (--reuse) keeps the earlier run's thresholds and user: the audit trail they left cannot change.
    for scope, metric, color, threshold in DEMO_THRESHOLDS:
        WarningThreshold.objects.get_or_create(
            scope=scope, metric=metric, color=color, defaults={"threshold": threshold}
        )
    admin = get_user_model().objects.filter(username="bench_admin").first()
    admin = admin or get_user_model().objects.create_superuser("bench_admin", password="x")
    client = Client()
    client.force_login(admin)
    province = Region.objects.get(code="620000000000")
    county = Region.objects.get(code="620102000000")
    township = Region.objects.get(code="620102001000")
    month = ("2026-10-01 00:00+08", "2026-11-01 00:00+08")
    quarter = ("2026-07-01 00:00+08", "2026-10-01 00:00+08")
    results = []

    def get(path: str, region, period: str):
        def call():
            response = client.get(path, {"region": region.code, "period": period})
            assert response.status_code == 200, response.status_code

        return call

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        for label, region in (
            ("province 甘肃省", province),
            ("county 城关区", county),
            ("township 酒泉路街道", township),
        ):
            raw = _time(lambda region=region: _raw_sql(region, *month))
            results.append(
                (f"{label} monthly, API summary", _time(get("/api/v1/analytics/summary", region, MONTH)), raw)
            )
            results.append((f"{label} monthly, full page", _time(get("/analytics/", region, MONTH)), raw))
        raw = _time(lambda: _raw_sql(province, *quarter))
        results.append(("province quarterly, full page", _time(get("/analytics/", province, QUARTER)), raw))
        results.append(
            (
                "province monthly, Excel export",
                _time(get("/analytics/export/breakdowns.xlsx", province, MONTH), repeats=10),
                _time(lambda: _raw_sql(province, *month)),
            )
        )
    return results


def _machine() -> str:
    from django.db import connection

    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    return (
        f"Machine: {platform.machine()}, nproc {os.cpu_count()}, Linux {platform.release()}, "
        f"Python {platform.python_version()}, {version}.\n\n```\n$ free -h\n{memory}\n```"
    )


def _report(cases: int, timings: dict[str, float], results: list) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('analytics_casecount')) "
            "FROM analytics_casecount"
        )
        rows, size = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM grid_region")
        regions = cursor.fetchone()[0]
    lines = [
        f"## {_heading(cases)}",
        "",
        f"Measured by `bench/bench_analytics.py` on {time.strftime('%Y-%m-%d')}: {cases:,} cases over the "
        f"real region tree of 吉林省 and 甘肃省 ({regions:,} regions, every village), 24 months to October "
        "2026. " + _load_note(timings),
        "",
        _machine(),
        "",
        "Where the counts come from: `analytics_casecount` (month × region × breakdown × measure, "
        "follow-ups, 满意 and repeat visits included) and `analytics_opencount` (open and overdue cases"
        " now per region and kind), kept by intake's, dispatch's and mediation's hooks inside the "
        "same transaction as the change (lag zero). Each case is counted at its own region and at "
        "every ancestor, so a province reads its own rows only. Cases passing their 5-working-day "
        "limit are marked overdue by a minute sweep (the bench marks the generated ones in one "
        "UPDATE); the page adds those due since its last run from a partial index. The 三色清单's case "
        "list reads about 50 fact rows per colour through the (tree, colour, received) index. No "
        "request scans the case, fact, follow-up or visit tables.",
        "",
        _rebuild_note(timings, rows, size),
        "",
        f"p50 / p95 of {REPEATS} runs (Excel 10), Django test client (full middleware, session auth), "
        "against the equivalent raw SQL GROUP BY on the case table in the same run:",
        "",
        "| what | p50 | p95 | raw SQL p50 | raw SQL p95 | dashboard / raw |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, (p50, p95), (raw50, raw95) in results:
        lines.append(
            f"| {label} | {p50:.1f} ms | {p95:.1f} ms | {raw50:.1f} ms | {raw95:.1f} ms "
            f"| {p50 / raw50:.2f}× |"
        )
    return "\n".join(lines) + "\n"


def _rebuild_note(timings: dict[str, float], rows: int, size: str) -> str:
    if "rebuild" not in timings:
        return f"Rollup as built by an earlier run (`--no-rebuild`): {rows:,} rows ({size})."
    seconds = timings["rebuild"]
    return f"Rollup rebuild (GROUP BY from the facts): **{seconds:.1f} s**, giving {rows:,} rows ({size})."


def _load_note(timings: dict[str, float]) -> str:
    loaded = (
        f"Regions imported in {timings['regions']:.0f} s; cases and facts generated in SQL in "
        f"{timings['load']:.0f} s."
        if "load" in timings
        else "Cases and facts as loaded by an earlier run (`--reuse`)."
    )
    if "records" in timings:
        loaded += f" Follow-ups and repeat visits generated in {timings['records']:.0f} s."
    return loaded + _records_note()


def _records_note() -> str:
    from intake.models import RepeatVisit
    from mediation.models import FollowUp

    return (
        f" {FollowUp.objects.count():,} follow-ups and {RepeatVisit.objects.count():,} repeat visits "
        "(counted in the rollup like everything else)."
    )


if __name__ == "__main__":
    main()
