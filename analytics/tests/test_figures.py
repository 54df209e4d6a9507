"""Figures for the fixed data set, against numbers worked out by hand.

The figures read the clocks dispatch keeps (respond met at the window for a walk-in, at triage or sign-for
otherwise; close clock from acceptance, restarted by escalation and reopening).
A 华阳社区 婚姻 walk-in received 07-28 09:00 (responded at the window), signed for after 20 min, resolved
  08-03 at the village, closed 08-04 08:00 (due 09:00).
B 恒安社区 赡养 (a retired kind) 12345 work order received 07-06, signed for after 60 min (late response),
  escalated to 南岭街道, resolved 07-09, closed 07-10, reopened 07-20 (close clock due 07-27), unresolved
  07-28, closed late 07-29.
C 北安社区 相邻 grid report, triaged red after 5 min, signed for after 10 min, escalated twice (南关区, then
  长春市), resolved 07-20 at the city, still open.
D 华阳社区 received 06-30 23:30 Beijing time (June, though 15:30 UTC), resolved and closed 07-02.
E 兰州 (outside 南关区). F 华阳社区 online, received 07-31 23:50 Beijing time, nothing since: never responded,
  open and overdue.
Follow-ups: D 07-06 不满意, A 08-10 基本满意. Repeat visits: C 07-18, F 08-02, E 07-12 (兰州).
"""

import pytest

from analytics.periods import period_parse
from analytics.selectors import (
    attention_cases,
    by_category,
    by_color,
    by_region,
    by_tier,
    overdue_by_child,
    summary_get,
    trend_get,
)
from analytics.tests.conftest import HUAYANG, NANGUAN, NANLING, ZIQIANG

pytestmark = pytest.mark.django_db


def test_county_july_summary_counts_each_case_in_the_month_of_each_step(dataset, org):
    # given the data set and 南关区
    region = org["regions"][NANGUAN]

    # when
    figures = summary_get(region=region, period=period_parse("2026-07"))

    # then A, B, C, F were received in July; D (June) and C were resolved in July; B's reopened
    # resolution no longer counts; D and B closed in July, only D in time; C escalated twice counts once
    july = figures["current"]
    assert july["received"] == 4
    assert july["resolved"] == 2
    assert july["received_resolved"] == 2  # A (in August) and C
    assert july["resolution_rate"] == 50.0  # of July's 4, A and C are resolved
    assert (july["closed"], july["closed_on_time"]) == (2, 1)
    assert july["responded_on_time"] == 2  # A and C; B took an hour, F was never signed for
    assert july["escalated"] == 2
    assert july["overdue_now"] == 2  # C and F are open past their limit
    assert (july["repeat_visits"], july["satisfaction_rate"]) == (1, 0.0)  # C's visit; D 不满意
    assert figures["previous"]["received"] == 1  # D, June
    assert figures["year_ago"]["received"] == 0


def test_quarter_and_next_month_count_the_case_resolved_after_its_month(dataset, org):
    region = org["regions"][NANGUAN]

    august = summary_get(region=region, period=period_parse("2026-08"))["current"]
    quarter = summary_get(region=region, period=period_parse("2026-Q3"))["current"]

    assert (august["received"], august["resolved"], august["closed_on_time"]) == (0, 1, 1)
    assert (august["repeat_visits"], august["satisfaction_rate"]) == (1, 100.0)  # F's visit; A 基本满意
    assert (quarter["repeat_visits"], quarter["satisfaction_rate"]) == (2, 50.0)
    assert (quarter["received"], quarter["resolved"], quarter["closed"], quarter["closed_on_time"]) == (
        4,
        3,
        3,
        2,
    )
    # 化解率 is the share of the quarter's intake resolved (A and C of A, B, C, F), not the quarter's
    # throughput over its intake (D, C, A over four: 75%); August resolved one and received none
    assert (quarter["received_resolved"], quarter["resolution_rate"]) == (2, 50.0)
    assert (august["resolved"], august["resolution_rate"]) == (1, None)


def test_breakdowns_for_july(dataset, org, categories):
    region, july = org["regions"][NANGUAN], period_parse("2026-07")

    categories_ = by_category(region=region, period=july)
    regions_ = {row["label"]: row["received"] for row in by_region(region=region, period=july)}
    colors = {row["key"]: row["received"] for row in by_color(region=region, period=july)}
    tiers = {row["key"]: row["resolved"] for row in by_tier(region=region, period=july)}

    # the retired kind 赡养 still counts under its class
    assert {row["label"]: row["received"] for row in categories_["classes"]} == {
        "婚姻家庭纠纷": 2,
        "邻里纠纷": 2,
    }
    assert {row["label"]: row["received"] for row in categories_["kinds"]} == {
        "婚姻纠纷": 1,
        "赡养纠纷": 1,
        "相邻关系纠纷": 2,
    }
    assert regions_["南岭街道"] == 3 and regions_["自强街道"] == 1
    assert colors == {"blue": 1, "yellow": 1, "red": 1, "": 1}
    assert tiers == {"village": 1, "township": 0, "county": 0, "above": 1}


def test_trend_marks_a_class_rising(dataset, org):
    trend = trend_get(region=org["regions"][NANGUAN], period=period_parse("2026-07"), months=12)

    neighbour = next(row for row in trend["classes"] if row["label"] == "邻里纠纷")
    assert trend["months"][-1] == "2026-07" and len(trend["months"]) == 12
    assert neighbour["values"][-2:] == [1, 2]  # D in June; C and F in July
    assert neighbour["rising"] is True


def test_township_sees_only_its_own_subtree(dataset, org):
    july = period_parse("2026-07")

    figures = summary_get(region=org["regions"][NANLING], period=july)["current"]
    villages = {
        row["label"]: row["received"] for row in by_region(region=org["regions"][NANLING], period=july)
    }

    assert figures["received"] == 3  # A, B, F
    assert villages["华阳社区"] == 2 and villages["恒安社区"] == 1


def test_village_breakdowns_are_counted_from_its_facts(dataset, org):
    # given 华阳社区, whose rollup rows hold totals only
    village = org["regions"][HUAYANG]

    kinds = by_category(region=village, period=period_parse("2026-07"))["kinds"]

    # then A (婚姻) and F (相邻) received in July
    assert {row["label"]: row["received"] for row in kinds} == {"婚姻纠纷": 1, "相邻关系纠纷": 1}
    assert summary_get(region=village, period=period_parse("2026-07"))["current"]["received"] == 2


def test_township_breakdowns_are_counted_from_its_facts(dataset, org):
    township = org["regions"][NANLING]

    categories_ = by_category(region=township, period=period_parse("2026-07"))
    tiers = {row["key"]: row["resolved"] for row in by_tier(region=township, period=period_parse("2026-08"))}

    # A, B and F were received in July; A was resolved in August at the village
    assert {row["label"]: row["received"] for row in categories_["classes"]} == {
        "婚姻家庭纠纷": 2,
        "邻里纠纷": 1,
    }
    assert tiers["village"] == 1


def test_overdue_and_attention_lists(dataset, org):
    region = org["regions"][NANGUAN]

    by_child = {code: counts for code, counts in overdue_by_child(region=region).items() if counts != (0, 0)}
    cases = attention_cases(region=region)

    # C (自强街道, red) and F (南岭街道, not triaged) are open past their limit; red comes first
    assert by_child == {NANLING: (1, 1), ZIQIANG: (1, 1)}
    assert [case.number for case in cases] == [dataset["c"].number, dataset["f"].number]
