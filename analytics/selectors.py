"""Reads for the dashboards: figures for a region's subtree from the rollup, visibility applied here."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics.choices import Dimension, Measure, WarningColor, WarningMetric, WarningScope
from analytics.models import CaseCount, CaseFact, OpenCount, WarningThreshold
from analytics.periods import Period, months_between
from analytics.rollup import (
    ALL_KINDS,
    BREAKDOWN_LEVEL_LIMIT,
    fact_measures,
    fact_members,
    overdue_swept_until,
)
from dispatch.choices import TriageColor
from dispatch.selectors import overdue_clocks
from grid.choices import RegionLevel
from grid.models import Department, Region
from grid.selectors import jurisdiction_root, region_in_jurisdiction, subtree_q
from intake.choices import Channel
from intake.models import Case, Category

# The drill-down behind the 当前超期 card.
OVERDUE = "overdue"

DIMENSION_FILTERS = {
    "kind": "category_id",
    "class": "category__parent_id",
    "channel": "channel",
    "color": "color",
    "department": "assigned_department_id",
}


def dashboard_region_get(*, user: AbstractBaseUser | AnonymousUser, code: str | None) -> Region:
    """The region a dashboard is about: `code` if inside the user's jurisdiction, else their own root."""
    if not code:
        root = jurisdiction_root(user=user)
        if root is None and user.is_superuser:
            root = Region.objects.filter(parent__isnull=True).order_by("code").first()
        if root is None:
            raise Http404
        return root
    region = Region.objects.filter(code=code).first()
    if region is None or not region_in_jurisdiction(user=user, region=region):
        raise Http404
    return region


def _sums(
    region_ids: list[int], dimension: str, first: dt.date, last: dt.date, measure: str | None = None
) -> list[dict]:
    """Rollup rows summed per (region, value, measure, month)."""
    rows = CaseCount.objects.filter(
        region_id__in=region_ids, dimension=dimension, month__gte=first, month__lte=last
    )
    if measure:
        rows = rows.filter(measure=measure)
    return list(rows.values("region_id", "value", "measure", "month").annotate(total=Sum("n")))


def _region_sums(
    region: Region, dimension: str, first: dt.date, last: dt.date, measure: str | None = None
) -> list[dict]:
    """One region's rows; a township's or village's breakdowns come from its few thousand facts (the
    rollup keeps only their totals, see analytics.rollup.contribution), counted with the same
    fact_members and fact_measures that feed the rollup, in one pass over the narrow fact rows."""
    if dimension == Dimension.TOTAL or region.level < BREAKDOWN_LEVEL_LIMIT:
        return _sums([region.pk], dimension, first, last, measure)
    start, end = _month_bounds(first, last)
    in_range = Q()
    for field in ("received_at", "resolved_at", "closed_at", "escalated_at"):
        in_range |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    facts = CaseFact.objects.filter(
        in_range, tree_id=region.tree_id, lft__gte=region.lft, lft__lte=region.rght
    ).only(*FACT_FIELDS)
    counts: Counter = Counter()
    for fact in facts.iterator(chunk_size=2000):
        members = fact_members(fact)
        for measure_, month, tier in fact_measures(fact):
            value = tier if dimension == Dimension.TIER else members[dimension]
            if value is not None and first <= month <= last and measure in (None, measure_):
                counts[(month, value, measure_)] += 1
    return [
        {"region_id": region.pk, "value": value, "measure": measure_, "month": month, "total": n}
        for (month, value, measure_), n in counts.items()
    ]


# What fact_members and fact_measures read.
FACT_FIELDS = (
    "kind_id",
    "channel",
    "color",
    "department_id",
    "received_at",
    "first_response_at",
    "resolved_at",
    "resolved_level",
    "closed_at",
    "closed_on_time",
    "escalated_at",
)
TOTALS_ONLY = {str(m) for m in (Measure.FOLLOWED_UP, Measure.SATISFIED, Measure.REPEAT_VISIT)}


@dataclass
class Figures:
    received: int = 0
    resolved: int = 0
    received_resolved: int = 0
    closed: int = 0
    closed_on_time: int = 0
    responded_on_time: int = 0
    escalated: int = 0
    # Regions' totals only (not broken down): left out of as_dict, summary_get shows them.
    followed_up: int = 0
    satisfied: int = 0
    repeat_visit: int = 0

    def add(self, measure: str, n: int) -> None:
        setattr(self, measure, getattr(self, measure) + n)

    def as_dict(self) -> dict:
        return {
            **{key: n for key, n in self.__dict__.items() if key not in TOTALS_ONLY},
            # 化解率: the share of the period's received cases resolved (never above 100%). `resolved`, the
            # cases resolved in the period whatever their month, is throughput and never divided by intake.
            "resolution_rate": _rate(self.received_resolved, self.received),
            "closed_on_time_rate": _rate(self.closed_on_time, self.closed),
            "responded_on_time_rate": _rate(self.responded_on_time, self.received),
        }


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _figures(region: Region, period: Period) -> Figures:
    figures = Figures()
    for row in _region_sums(region, Dimension.TOTAL, period.first, period.last):
        figures.add(row["measure"], row["total"])
    return figures


def overdue_count(*, region: Region, now: dt.datetime | None = None) -> int:
    """Open cases past the 5-working-day limit now: the region's OpenCount plus those due since the
    sweep's last run."""
    row = OpenCount.objects.filter(region=region, kind_id=ALL_KINDS).first()
    return (row.overdue if row else 0) + len(_unswept_overdue(region, now or timezone.now()))


def _unswept_overdue(region: Region, now: dt.datetime) -> list[tuple[int, int]]:
    """(lft, kind id) of the open facts in the subtree that passed their limit since the sweep's watermark
    and are not marked yet: a minute's worth, read from a partial index (more only while the sweep is
    not running)."""
    since = overdue_swept_until()
    facts = _open_facts(region).filter(is_overdue=False, close_due_at__gte=since, close_due_at__lt=now)
    return list(facts.values_list("lft", "kind_id"))


def _open_facts(region: Region) -> QuerySet[CaseFact]:
    # lft alone bounds the subtree: a region's descendants have lft in (region.lft, region.rght).
    return CaseFact.objects.filter(
        is_open=True, tree_id=region.tree_id, lft__gte=region.lft, lft__lte=region.rght
    )


def _period_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    return _month_bounds(period.first, period.last)


def _month_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The moments the months first..last begin and end, on the centers' clock."""
    tz = timezone.get_current_timezone()
    end = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return dt.datetime.combine(first, dt.time(), tzinfo=tz), dt.datetime.combine(end, dt.time(), tzinfo=tz)


def summary_get(*, region: Region, period: Period) -> dict:
    """Headline figures for the period, the previous period and the same period a year earlier.
    满意率: follow-ups in the period rated 满意 or 基本满意, over all follow-ups in the period."""
    result = {}
    for key, each in (("current", period), ("previous", period.previous()), ("year_ago", period.year_ago())):
        figures = _figures(region, each)
        result[key] = {
            **figures.as_dict(),
            "repeat_visits": figures.repeat_visit,
            "satisfaction_rate": _rate(figures.satisfied, figures.followed_up),
        }
    result["current"]["overdue_now"] = overdue_count(region=region)
    return result


def _breakdown(region: Region, period: Period, dimension: str) -> dict[str, Figures]:
    rows: dict[str, Figures] = defaultdict(Figures)
    for row in _region_sums(region, dimension, period.first, period.last):
        rows[row["value"]].add(row["measure"], row["total"])
    return rows


def _rows(members: dict[str, Figures], labels: dict[str, str], dimension: str) -> list[dict]:
    rows = [
        {
            "key": key,
            "label": str(labels.get(key, key or _("未分级"))),
            "dimension": dimension,
            **fig.as_dict(),
        }
        for key, fig in members.items()
    ]
    return sorted(rows, key=lambda row: (-row["received"], row["label"]))


def by_category(*, region: Region, period: Period) -> dict[str, list[dict]]:
    """Kinds, and classes summed from their kinds (a retired kind still counts under its class)."""
    kinds = _breakdown(region, period, Dimension.KIND)
    categories = {str(c.pk): c for c in Category.objects.filter(pk__in=[int(k) for k in kinds if k])}
    classes: dict[str, Figures] = defaultdict(Figures)
    for key, figures in kinds.items():
        category = categories.get(key)
        parent = str(category.parent_id or category.pk) if category else key
        for measure, n in figures.__dict__.items():
            classes[parent].add(measure, n)
    class_names = dict(
        Category.objects.filter(pk__in=[int(k) for k in classes if k]).values_list("pk", "name")
    )
    return {
        "classes": _rows(classes, {str(k): v for k, v in class_names.items()}, "class"),
        "kinds": _rows(kinds, {k: c.name for k, c in categories.items()}, "kind"),
    }


def by_channel(*, region: Region, period: Period) -> list[dict]:
    return _rows(_breakdown(region, period, Dimension.CHANNEL), dict(Channel.choices), "channel")


def by_color(*, region: Region, period: Period) -> list[dict]:
    return _rows(_breakdown(region, period, Dimension.COLOR), dict(TriageColor.choices), "color")


def by_department(*, region: Region, period: Period) -> list[dict]:
    members = _breakdown(region, period, Dimension.DEPARTMENT)
    names = dict(Department.objects.filter(pk__in=[int(k) for k in members if k]).values_list("pk", "name"))
    labels = {str(k): v for k, v in names.items()} | {"": _("未指定部门")}
    return _rows(members, labels, "department")


TIER_GROUPS = (
    ("village", gettext_lazy("村（社区）级"), {RegionLevel.VILLAGE}),
    ("township", gettext_lazy("乡镇（街道）级"), {RegionLevel.TOWNSHIP}),
    ("county", gettext_lazy("县级"), {RegionLevel.COUNTY}),
    ("above", gettext_lazy("市级及以上"), {RegionLevel.CITY, RegionLevel.PROVINCE}),
)


def by_tier(*, region: Region, period: Period) -> list[dict]:
    """Cases resolved in the period by the tier of the center that resolved them (小事不出村、大事不出镇)."""
    resolved = {key: fig.resolved for key, fig in _breakdown(region, period, Dimension.TIER).items()}
    total = sum(resolved.values())
    rows = []
    for key, label, levels in TIER_GROUPS:
        n = sum(resolved.get(str(int(level)), 0) for level in levels)
        rows.append({"key": key, "label": str(label), "resolved": n, "share": _rate(n, total)})
    return rows


def by_region(*, region: Region, period: Period) -> list[dict]:
    """The regions one tier below: each subtree's figures, read from its own rollup rows."""
    children = {child.pk: child for child in Region.objects.filter(parent=region).order_by("code")}
    members: dict[int, Figures] = {pk: Figures() for pk in children}
    for row in _sums(list(children), Dimension.TOTAL, period.first, period.last):
        members[row["region_id"]].add(row["measure"], row["total"])
    rows = [
        {"key": children[pk].code, "label": children[pk].name, "dimension": "region", **fig.as_dict()}
        for pk, fig in members.items()
    ]
    return sorted(rows, key=lambda row: (-row["received"], row["key"]))


def trend_get(*, region: Region, period: Period, months: int = 24) -> dict:
    """Monthly cases received per category class over `months` months ending with the period; a class
    is rising when its latest month exceeds both the month before and the same month a year earlier."""
    series_months = months_between(_minus_months(period.last, months - 1), period.last)
    kinds = _region_sums(region, Dimension.KIND, series_months[0], series_months[-1], Measure.RECEIVED)
    parent_of = {str(pk): str(parent or pk) for pk, parent in Category.objects.values_list("pk", "parent_id")}
    index = {month: i for i, month in enumerate(series_months)}
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(series_months))
    for row in kinds:
        series[parent_of.get(row["value"], row["value"])][index[row["month"]]] += row["total"]
    names = {str(k): v for k, v in Category.objects.filter(parent__isnull=True).values_list("pk", "name")}
    classes = []
    for key, values in series.items():
        latest, before = values[-1], values[-2] if len(values) > 1 else 0
        year_ago = values[-13] if len(values) > 12 else 0
        classes.append(
            {
                "key": key,
                "label": names.get(key, key),
                "values": values,
                "change": latest - before,
                "change_year": latest - year_ago,
                "rising": latest > before and latest > year_ago,
            }
        )
    classes.sort(key=lambda row: (-row["change"], row["label"]))
    return {"months": [f"{month:%Y-%m}" for month in series_months], "classes": classes}


def _minus_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


def attention_cases(*, region: Region, limit: int = 50) -> list[Case]:
    """Open cases past the limit in the subtree, red first, oldest first: the 三色清单's case list.
    One colour at a time over the fact rows' (tree, colour, received) index, so a province reads about
    `limit` rows rather than all its open cases; then only `limit` cases are read."""
    now, ids = timezone.now(), []
    for color in ATTENTION_ORDER:
        late = _open_facts(region).filter(color=color, close_due_at__lt=now).order_by("received_at")
        ids += late.values_list("case_id", flat=True)[: limit - len(ids)]
        if len(ids) == limit:
            break
    cases = Case.objects.filter(pk__in=ids).select_related("category", "region").in_bulk()
    return [cases[pk] for pk in ids if pk in cases]


# Red first; "" is a case not triaged yet.
ATTENTION_ORDER = (TriageColor.RED, TriageColor.YELLOW, TriageColor.BLUE, "")


def overdue_by_child(*, region: Region, now: dt.datetime | None = None) -> dict[str, tuple[int, int]]:
    """Per region one tier below: (overdue open cases, open cases) now, from the children's OpenCount
    rows plus those due since the sweep's last run."""
    children = list(Region.objects.filter(parent=region).values_list("pk", "code", "lft", "rght"))
    stored = {
        row.region_id: (row.overdue, row.open)
        for row in OpenCount.objects.filter(region_id__in=[c[0] for c in children], kind_id=ALL_KINDS)
    }
    counts = {code: list(stored.get(pk, (0, 0))) for pk, code, _lft, _rght in children}
    for lft, _kind in _unswept_overdue(region, now or timezone.now()):
        code = next((code for _pk, code, low, high in children if low <= lft <= high), None)
        if code is not None:
            counts[code][0] += 1
    return {code: (late, open_) for code, (late, open_) in counts.items()}


def case_list_for_dashboard(
    *, user: AbstractBaseUser | AnonymousUser, region: Region, period: Period, dimension: str, value: str
) -> QuerySet[Case]:
    """The cases behind a dashboard figure: received in the period in `region`'s subtree (which must be
    inside the user's jurisdiction), filtered by one breakdown member; or, for 当前超期 (`OVERDUE`), the
    subtree's cases overdue now, whenever received."""
    if not region_in_jurisdiction(user=user, region=region):
        raise Http404
    if dimension == OVERDUE:
        in_subtree = Case.objects.filter(subtree_q(region, field="region"))
        overdue = Case.objects.filter(pk__in=overdue_clocks(in_subtree).values("case_id"))
        return overdue.select_related("category", "region", "assigned_department").order_by("received_at")
    first, end = _period_bounds(period)
    cases = Case.objects.filter(
        subtree_q(region, field="region"), received_at__gte=first, received_at__lt=end
    )
    if dimension == "region":
        child = Region.objects.filter(code=value, parent=region).first()
        if child is None:
            raise Http404
        cases = cases.filter(subtree_q(child, field="region"))
    elif dimension in DIMENSION_FILTERS:
        field = DIMENSION_FILTERS[dimension]
        if field.endswith("_id") and value and not value.isdigit():
            raise Http404
        cases = cases.filter(Q(**{field: value or None}) if field.endswith("_id") else Q(**{field: value}))
    elif dimension:
        raise Http404
    return cases.select_related("category", "region", "assigned_department").order_by("-received_at")


COLOR_RANK = {WarningColor.RED: 0, WarningColor.YELLOW: 1, WarningColor.BLUE: 2}


def _metric_values(received: int, previous: int, overdue: int, open_: int) -> dict[str, float | None]:
    return {
        WarningMetric.RECEIVED: received,
        WarningMetric.RECEIVED_GROWTH: _rate(received - previous, previous),
        WarningMetric.OVERDUE: overdue,
        WarningMetric.OVERDUE_SHARE: _rate(overdue, open_),
    }


def _entry_color(thresholds: list[WarningThreshold], values: dict) -> tuple[str, list[str]] | None:
    """The most severe colour whose threshold the entry reaches, and the reasons (metric codes)."""
    hits = [t for t in thresholds if values.get(t.metric) is not None and values[t.metric] >= t.threshold]
    if not hits:
        return None
    color = min((t.color for t in hits), key=COLOR_RANK.__getitem__)
    return color, sorted({t.metric for t in hits if t.color == color})


def warnings_get(*, region: Region, period: Period, dashboard: dict | None = None) -> dict:
    """三色预警: child regions and category kinds whose figures reach the active thresholds, grouped
    red/yellow/blue, plus the overdue cases needing attention. Given the `dashboard_get` of the same
    region and period, its breakdowns are not read again."""
    thresholds = list(WarningThreshold.objects.filter(is_active=True))
    entries: list[dict] = []
    region_rules = [t for t in thresholds if t.scope == WarningScope.REGION]
    if region_rules:
        previous = {row["key"]: row["received"] for row in by_region(region=region, period=period.previous())}
        overdue = overdue_by_child(region=region)
        for row in dashboard["regions"] if dashboard else by_region(region=region, period=period):
            late, open_ = overdue.get(row["key"], (0, 0))
            values = _metric_values(row["received"], previous.get(row["key"], 0), late, open_)
            entries += _entry(region_rules, values, WarningScope.REGION, row)
    category_rules = [t for t in thresholds if t.scope == WarningScope.CATEGORY]
    if category_rules:
        previous = {
            row["key"]: row["received"]
            for row in by_category(region=region, period=period.previous())["kinds"]
        }
        overdue = _overdue_by_kind(region)
        for row in dashboard["kinds"] if dashboard else by_category(region=region, period=period)["kinds"]:
            late, open_ = overdue.get(row["key"], (0, 0))
            values = _metric_values(row["received"], previous.get(row["key"], 0), late, open_)
            entries += _entry(category_rules, values, WarningScope.CATEGORY, row)
    groups = {color.value: [e for e in entries if e["color"] == color] for color in WarningColor}
    return {"groups": groups, "cases": list(attention_cases(region=region))}


def _entry(rules: list[WarningThreshold], values: dict, scope: str, row: dict) -> list[dict]:
    found = _entry_color(rules, values)
    if found is None:
        return []
    color, reasons = found
    return [
        {
            "scope": scope,
            "key": row["key"],
            "label": row["label"],
            "color": color,
            "reasons": reasons,
            "reason_labels": [str(WarningMetric(code).label) for code in reasons],
            "values": values,
        }
    ]


def _overdue_by_kind(region: Region) -> dict[str, tuple[int, int]]:
    """Per kind: (overdue open cases, open cases) now in the subtree. Above townships from OpenCount plus
    those due since the sweep's last run; a township's or village's few open cases are counted directly."""
    now = timezone.now()
    if region.level >= BREAKDOWN_LEVEL_LIMIT:
        counts = (
            _open_facts(region)
            .values("kind_id")
            .annotate(open=Count("pk"), late=Count("pk", filter=Q(close_due_at__lt=now)))
        )
        return {str(row["kind_id"]): (row["late"], row["open"]) for row in counts}
    rows = OpenCount.objects.filter(region=region).exclude(kind_id=ALL_KINDS)
    found = {str(row.kind_id): [row.overdue, row.open] for row in rows}
    for _lft, kind_id in _unswept_overdue(region, now):
        found.setdefault(str(kind_id), [0, 0])[0] += 1
    return {kind: (late, open_) for kind, (late, open_) in found.items()}


def dashboard_get(*, region: Region, period: Period) -> dict:
    """Everything a dashboard, an export or a report shows for one region and period."""
    categories = by_category(region=region, period=period)
    return {
        "summary": summary_get(region=region, period=period),
        "classes": categories["classes"],
        "kinds": categories["kinds"],
        "channels": by_channel(region=region, period=period),
        "colors": by_color(region=region, period=period),
        "regions": by_region(region=region, period=period),
        "departments": by_department(region=region, period=period),
        "tiers": by_tier(region=region, period=period),
        "trend": trend_get(region=region, period=period),
    }


def report_figures_get(*, region: Region, period: Period) -> dict:
    """What the analysis report shows (and an issued report freezes): the dashboard and its warnings."""
    figures = dashboard_get(region=region, period=period)
    figures["warnings"] = warnings_get(region=region, period=period, dashboard=figures)["groups"]
    return figures
