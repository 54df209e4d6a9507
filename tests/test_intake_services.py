"""case_register / case_add_repeat_visit: numbering, parties, attachments, hooks, and bad input."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from analytics.periods import period_parse
from analytics.selectors import summary_get
from intake import hooks
from intake.choices import Channel, MatterType, PartyRole
from intake.models import Attachment, Case, CaseNumberSequence, CaseParty, Category, Party, RepeatVisit
from intake.services import case_add_repeat_visit, case_register_once
from intake.tests.factories import credit_code, mobile, party, pdf, png, register, resident_id
from tests.roles import CHENGGUAN, HUAYANG, NANGUAN, ZIQIANG


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_register_numbers_the_case_per_center_and_year(clerk, center):
    # when
    first = register(actor=clerk, center=center)
    second = register(actor=clerk, center=center)

    # then
    year = timezone.localdate().year
    assert first.number == f"{NANGUAN}-{year}-000001"
    assert second.number == f"{NANGUAN}-{year}-000002"
    assert CaseNumberSequence.objects.get(center=center, year=year).last == 2


def test_register_sets_the_receiving_and_handling_fields(clerk, center, regions):
    case = register(actor=clerk, center=center, amount="12000.50", involved_people=3)

    case.refresh_from_db()
    assert case.status == "registered"
    assert case.handling_center == center and case.handling_region == center.region
    assert case.center == center and case.received_by == clerk
    assert case.region == regions[HUAYANG]
    assert case.category.code == "0104"
    assert str(case.amount) == "12000.50" and case.involved_people == 3
    assert [cp.role for cp in case.case_parties.order_by("id")] == [PartyRole.APPLICANT, PartyRole.RESPONDENT]


def test_a_backdated_letter_is_numbered_in_the_year_it_was_received(clerk, center):
    received = timezone.now() - dt.timedelta(days=400)

    case = register(actor=clerk, center=center, channel=Channel.LETTER, received_at=received)

    assert case.number.startswith(f"{NANGUAN}-{timezone.localtime(received).year}-")


def test_a_rolled_back_registration_gives_its_number_back(clerk, center):
    # given a registration that fails after numbering (inside an outer transaction that rolls back)
    with pytest.raises(RuntimeError), transaction.atomic():
        register(actor=clerk, center=center)
        raise RuntimeError("the printer caught fire")

    # when
    case = register(actor=clerk, center=center)

    # then
    assert case.number.endswith("-000001")


def test_a_failing_listener_rolls_everything_back(clerk, center, monkeypatch):
    def boom(case):
        raise RuntimeError("dispatch is down")

    monkeypatch.setattr(hooks.registration, "listeners", [boom])

    with pytest.raises(RuntimeError):
        register(actor=clerk, center=center)

    assert not Case.objects.exists() and not Party.objects.exists()
    monkeypatch.setattr(hooks.registration, "listeners", [])
    assert register(actor=clerk, center=center).number.endswith("-000001")


def test_listeners_hear_every_registration_inside_the_transaction(clerk, center, monkeypatch):
    heard = []
    monkeypatch.setattr(hooks.registration, "listeners", [lambda case: heard.append((case.number, case.pk))])

    case = register(actor=clerk, center=center)

    assert heard == [(case.number, case.pk)]


def test_the_same_resident_is_one_party_found_by_id_number(clerk, center):
    id_number, phone = resident_id(), mobile()
    first = register(actor=clerk, center=center, parties=[party("王芳", id_number=id_number, phone=phone)])

    new_phone = mobile()
    second = register(
        actor=clerk, center=center, parties=[party("王芳", id_number=id_number, phone=new_phone)]
    )

    one = Party.objects.get(id_number=id_number)
    assert {cp.party_id for cp in CaseParty.objects.filter(case__in=[first, second])} == {one.pk}
    assert one.phone == new_phone  # the latest contact details win


def test_a_resident_known_by_phone_is_found_by_phone_and_name(clerk, center):
    phone = mobile()
    register(actor=clerk, center=center, parties=[party("赵敏", id_number="", phone=phone)])

    register(actor=clerk, center=center, parties=[party("赵敏", id_number="", phone=phone)])
    id_number = resident_id()
    register(actor=clerk, center=center, parties=[party("赵敏", id_number=id_number, phone=phone)])

    assert Party.objects.filter(name="赵敏").count() == 1
    assert Party.objects.get(name="赵敏").id_number == id_number


def test_an_id_number_under_another_name_is_refused(clerk, center):
    id_number = resident_id()
    register(actor=clerk, center=center, parties=[party("王芳", id_number=id_number)])

    with pytest.raises(ValidationError) as error:
        register(actor=clerk, center=center, parties=[party("王小芳", id_number=id_number)])

    assert "parties" in error.value.message_dict
    assert Case.objects.count() == 1


def test_organisations_are_checked_by_credit_code(clerk, center):
    company = party(
        "长春某物业服务有限公司", PartyRole.RESPONDENT, kind="organisation", id_number=credit_code()
    )
    case = register(actor=clerk, center=center, parties=[party("张伟"), company])

    assert case.case_parties.get(role=PartyRole.RESPONDENT).party.kind == "organisation"


def test_attachments_are_stored_through_the_storage_api(clerk, center, media):
    case = register(actor=clerk, center=center, attachments=[png("现场.png"), pdf()])

    stored = list(case.attachments.order_by("id"))
    assert [a.original_name for a in stored] == ["现场.png", "材料.pdf"]
    assert [a.content_type for a in stored] == ["image/png", "application/pdf"]
    assert all(a.file.storage.exists(a.file.name) for a in stored)
    assert stored[0].file.name.startswith(
        f"attachments/{timezone.localtime(case.received_at):%Y/%m}/{case.number}/"
    )
    assert stored[0].file.read().startswith(b"\x89PNG")


def test_files_of_a_failed_registration_are_removed(clerk, center, media, monkeypatch):
    monkeypatch.setattr(hooks.registration, "listeners", [lambda case: 1 / 0])

    with pytest.raises(ZeroDivisionError):
        register(actor=clerk, center=center, attachments=[png()])

    assert not Attachment.objects.exists()
    assert not any(p.is_file() for p in media.rglob("*"))


def test_html_is_stored_as_text(clerk, center):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'

    case = register(actor=clerk, center=center, summary=script, description=script)

    case.refresh_from_db()
    assert case.summary == script and case.description == script


def errors_of(**overrides) -> dict:
    """Registers with the overrides and returns the ValidationError's dict (failing if none)."""
    with pytest.raises(ValidationError) as error:
        register(**overrides)
    return error.value.message_dict


@pytest.mark.parametrize(
    "field,overrides",
    [
        ("channel", {"channel": "pigeon"}),
        ("matter_type", {"matter_type": "gossip"}),
        ("category", {"category": "9999"}),
        ("category", {"category": "01"}),  # a class, not a kind
        ("region", {"region": "22010"}),
        ("region", {"region": "220102999999"}),  # not a real code
        ("region", {"region": CHENGGUAN}),  # real, but in 兰州: outside the clerk's jurisdiction
        ("summary", {"summary": "   "}),
        ("summary", {"summary": "长" * 201}),
        ("description", {"description": ""}),
        ("description", {"description": "a\x00b"}),
        ("amount", {"amount": "lots"}),
        ("amount", {"amount": "-1"}),
        ("involved_people", {"involved_people": 0}),
        ("received_at", {"received_at": timezone.now() + dt.timedelta(days=1)}),
        ("latitude", {"latitude": "91", "longitude": "125"}),
        ("parties", {"parties": []}),
        ("parties", {"parties": [party("李强", PartyRole.RESPONDENT)]}),  # no applicant
        ("parties[0].id_number", {"parties": [party("张伟", id_number="110105194912310021")]}),
        ("parties[0].id_number", {"parties": [party("张伟", id_number="2201021985")]}),
        ("parties[0].phone", {"parties": [party("张伟", phone="12345678901")]}),
        ("parties[0].phone", {"parties": [party("张伟", id_number="", phone="")]}),
        ("parties[0].name", {"parties": [party("")]}),
        ("parties[0].role", {"parties": [party("张伟", role="judge")]}),
        ("parties[0].kind", {"parties": [party("张伟", kind="alien")]}),
        ("attachments", {"attachments": [png("x.exe")]}),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(clerk, center, field, overrides):
    errors = errors_of(actor=clerk, center=center, **overrides)

    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert not Case.objects.exists() and not Party.objects.exists()
    assert not CaseNumberSequence.objects.filter(last__gt=0).exists()


def test_all_problems_are_reported_together(clerk, center):
    errors = errors_of(actor=clerk, center=center, channel="x", summary="", region="1")

    assert {"channel", "summary", "region"} <= set(errors)


def test_the_same_party_twice_is_refused(clerk, center):
    twice = party("张伟")

    errors = errors_of(actor=clerk, center=center, parties=[twice, twice | {"role": "respondent"}])

    assert "parties[1]" in errors


def test_a_retired_kind_keeps_old_cases_but_refuses_new_ones(clerk, center):
    old = register(actor=clerk, center=center, category="0104")
    Category.objects.filter(code="0104").update(is_active=False)

    errors = errors_of(actor=clerk, center=center, category="0104")

    assert "已停用" in errors["category"][0]
    old.refresh_from_db()
    assert old.category.code == "0104"


def test_a_retired_class_refuses_its_kinds(clerk, center):
    Category.objects.filter(code="01").update(is_active=False)

    assert "category" in errors_of(actor=clerk, center=center, category="0102")


def test_a_township_clerk_cannot_register_elsewhere_in_the_county(township_clerk, org):
    nanling = org["centers"]["220102001000"]

    errors = errors_of(actor=township_clerk, center=nanling, region=ZIQIANG)

    assert "region" in errors


def test_a_clerk_cannot_register_at_another_center(clerk, org):
    errors = errors_of(actor=clerk, center=org["centers"][CHENGGUAN])

    assert "center" in errors


def test_only_roles_that_register_may_register(mediator, org):
    with pytest.raises(PermissionDenied):
        register(actor=mediator, center=org["centers"]["220102001000"])


def test_grid_reports_need_no_applicant_contact(grid_worker, org):
    case = register(
        actor=grid_worker,
        center=org["centers"][HUAYANG],
        channel=Channel.GRID_REPORT,
        matter_type=MatterType.RISK,
        parties=[],
        grid_cell=f"{HUAYANG}01",
        latitude="43.872100",
        longitude="125.339800",
    )

    assert case.grid_cell.code == f"{HUAYANG}01"
    assert str(case.latitude) == "43.872100"


def test_a_repeat_visit_counts_on_the_case(clerk, center):
    case = register(actor=clerk, center=center)

    visit = case_add_repeat_visit(actor=clerk, case=case, channel=Channel.PHONE, note="再次来电催问进度")
    case_add_repeat_visit(actor=clerk, case=case, channel=Channel.WALK_IN, note="")

    case.refresh_from_db()
    assert case.repeat_count == 2
    assert visit.received_by == clerk and visit.note == "再次来电催问进度"
    assert RepeatVisit.objects.filter(case=case).count() == 2
    assert Case.objects.count() == 1


def test_a_repeat_visit_counts_in_the_analysis_of_its_month(clerk, center):
    # given a registered case
    case = register(actor=clerk, center=center)

    # when a repeat visit is recorded
    case_add_repeat_visit(actor=clerk, case=case, channel=Channel.PHONE, note="")

    # then the county's figures for this month count it (analytics' hook, same transaction)
    county = case.region.get_ancestors().get(level=3)
    figures = summary_get(region=county, period=period_parse(f"{timezone.localdate():%Y-%m}"))
    assert figures["current"]["repeat_visits"] == 1


def test_a_repeat_visit_on_a_closed_case_is_refused(clerk, center):
    case = register(actor=clerk, center=center)
    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        case_add_repeat_visit(actor=clerk, case=case, channel=Channel.WALK_IN, note="")

    assert "case" in error.value.message_dict


def test_a_repeat_visit_needs_the_case_in_jurisdiction(clerk, outsider, center):
    case = register(actor=clerk, center=center)

    with pytest.raises(ValidationError):
        case_add_repeat_visit(actor=outsider, case=case, channel=Channel.WALK_IN, note="")


def test_idempotent_registration_returns_the_first_case(clerk, center):
    fields = {
        "center": center,
        "channel": Channel.PHONE,
        "category": "0501",
        "region": HUAYANG,
        "summary": "欠薪",
        "description": "工地拖欠三个月工资",
        "parties": [party("刘洋")],
    }

    first, created = case_register_once(actor=clerk, key="k-1", fingerprint="f", **fields)
    again, created_again = case_register_once(actor=clerk, key="k-1", fingerprint="f", **fields)

    assert created and not created_again and first == again
    assert Case.objects.count() == 1
    with pytest.raises(ValidationError) as error:
        case_register_once(actor=clerk, key="k-1", fingerprint="other", **fields)
    assert "idempotency_key" in error.value.message_dict
