"""Jurisdiction, today's list and search, duplicate candidates, the center a user registers at."""

import datetime as dt

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from intake.choices import PartyRole
from intake.models import Case, Category
from intake.selectors import (
    case_count_received_today_by_channel,
    case_get_for_user,
    case_list_for_user,
    case_list_received_today,
    category_tree,
    duplicate_candidates,
    intake_center_for_user,
)
from intake.tests.factories import mobile, party, register, resident_id
from tests.roles import HUAYANG, NANGUAN, NANLING, ZIQIANG


def test_cases_are_seen_within_the_jurisdiction_only(clerk, township_clerk, outsider, center):
    in_nanling = register(actor=clerk, center=center, region=HUAYANG)
    in_ziqiang = register(actor=clerk, center=center, region=ZIQIANG)

    assert set(case_list_for_user(user=clerk)) == {in_nanling, in_ziqiang}
    assert set(case_list_for_user(user=township_clerk)) == {in_nanling}
    assert not case_list_for_user(user=outsider).exists()
    with pytest.raises(Http404):
        case_get_for_user(user=outsider, number=in_nanling.number)
    assert case_get_for_user(user=township_clerk, number=in_nanling.number) == in_nanling


def test_a_case_handled_in_the_subtree_is_seen_there(clerk, township_clerk, org, center, regions):
    # a county-level case (happened in 自强街道) handed down to the 南岭 township center is seen there
    case = register(actor=clerk, center=center, region=ZIQIANG)
    Case.objects.filter(pk=case.pk).update(
        handling_region=regions[NANLING], handling_center=org["centers"][NANLING]
    )

    assert case_get_for_user(user=township_clerk, number=case.number) == case


def test_the_person_a_case_is_handed_to_sees_it_outside_their_subtree(clerk, mediator, center):
    # given a county case in 自强街道 handed to the 南岭 township's mediator, and one not handed to them
    handed = register(actor=clerk, center=center, region=ZIQIANG)
    other = register(actor=clerk, center=center, region=ZIQIANG)
    Case.objects.filter(pk=handed.pk).update(assignee=mediator)

    assert set(case_list_for_user(user=mediator)) == {handed}
    with pytest.raises(Http404):
        case_get_for_user(user=mediator, number=other.number)


def test_anonymous_users_see_nothing(clerk, center):
    from django.contrib.auth.models import AnonymousUser

    register(actor=clerk, center=center)

    assert not case_list_for_user(user=AnonymousUser()).exists()


def test_today_lists_todays_registrations_and_searches_them(clerk, center):
    applicant = party("孙丽华")
    today = register(actor=clerk, center=center, parties=[applicant, party("周杰", PartyRole.RESPONDENT)])
    other = register(actor=clerk, center=center, parties=[party("吴敏")])
    register(actor=clerk, center=center, received_at=timezone.now() - dt.timedelta(days=1))

    def search(term):
        return list(case_list_received_today(user=clerk, center=center, term=term))

    assert search("") == [other, today]
    assert search("孙丽") == [today]
    assert search(applicant["phone"]) == [today]
    assert search(applicant["phone"][-4:]) == [today]
    assert search(applicant["id_number"]) == [today]
    assert search(applicant["id_number"].lower()) == [today]
    assert search(today.number) == [today]
    assert search(today.number[-6:]) == [today]
    assert search("不存在的人") == []


def test_today_is_the_shanghai_day(clerk, center):
    with time_machine.travel(dt.datetime(2026, 3, 2, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        late = register(actor=clerk, center=center)
        assert list(case_list_received_today(user=clerk, center=center)) == [late]
    with time_machine.travel(dt.datetime(2026, 3, 3, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))):
        assert list(case_list_received_today(user=clerk, center=center)) == []


def test_duplicates_by_id_number_and_by_phone(clerk, center):
    same = party("钱进")
    by_id = register(actor=clerk, center=center, parties=[same], category="0201", region=ZIQIANG)
    by_phone = register(
        actor=clerk, center=center, parties=[party("钱进", id_number="", phone=mobile())], category="0301"
    )
    register(actor=clerk, center=center, parties=[party("无关")], category="0501")

    found = duplicate_candidates(
        user=clerk, id_numbers=[same["id_number"]], phones=[by_phone.case_parties.get().party.phone]
    )

    assert {c.case for c in found} == {by_id, by_phone}
    reasons = {c.case: c.reasons for c in found}
    assert reasons[by_id] == ["same_id_number"]
    assert reasons[by_phone] == ["same_phone"]


def test_duplicates_by_place_and_kind_within_30_days(clerk, center, regions):
    category = Category.objects.get(code="0104")
    recent = register(actor=clerk, center=center, received_at=timezone.now() - dt.timedelta(days=29))
    register(actor=clerk, center=center, received_at=timezone.now() - dt.timedelta(days=31))
    register(actor=clerk, center=center, category="0105")

    found = duplicate_candidates(user=clerk, region=regions[HUAYANG], category=category)

    assert [c.case for c in found] == [recent]
    assert found[0].reasons == ["same_region_and_category"]


def test_finished_cases_and_cases_outside_are_not_duplicates(clerk, outsider, center):
    same = party("钱进")
    case = register(actor=clerk, center=center, parties=[same])

    assert duplicate_candidates(user=outsider, id_numbers=[same["id_number"]]) == []
    Case.objects.filter(pk=case.pk).update(status="closed")
    assert duplicate_candidates(user=clerk, id_numbers=[same["id_number"]]) == []
    Case.objects.filter(pk=case.pk).update(status="in_progress")
    assert len(duplicate_candidates(user=clerk, id_numbers=[same["id_number"]])) == 1


def test_short_fragments_do_not_match_everything(clerk, center):
    register(actor=clerk, center=center)

    assert duplicate_candidates(user=clerk, id_numbers=["2201"], phones=["138"]) == []


def test_the_center_of_a_clerk_and_of_a_grid_worker(clerk, grid_worker, org):
    assert intake_center_for_user(user=clerk) == org["centers"][NANGUAN]
    assert intake_center_for_user(user=grid_worker) == org["centers"][HUAYANG]


def test_category_tree_hides_retired_kinds(db):
    Category.objects.filter(code="0101").update(is_active=False)

    tree = {group["category"].code: [k.code for k in group["kinds"]] for group in category_tree()}

    assert len(tree) == 14 and "0101" not in tree["01"] and "0102" in tree["01"]
    full = {g["category"].code: [k.code for k in g["kinds"]] for g in category_tree(include_retired=True)}
    assert "0101" in full["01"]
    assert sum(len(kinds) for kinds in full.values()) == 83


def test_resident_id_is_searchable_with_the_id_helper(clerk, center):
    number = resident_id()
    case = register(actor=clerk, center=center, parties=[party("冯涛", id_number=number)])

    assert list(case_list_received_today(user=clerk, center=center, term=number)) == [case]


def test_todays_registrations_are_counted_by_channel(clerk, center):
    register(actor=clerk, center=center)
    register(actor=clerk, center=center)
    register(actor=clerk, center=center, channel="phone")
    register(actor=clerk, center=center, received_at=timezone.now() - dt.timedelta(days=1))

    assert case_count_received_today_by_channel(user=clerk, center=center) == {"walk_in": 2, "phone": 1}
