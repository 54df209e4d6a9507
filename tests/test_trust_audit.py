import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessLog
from django.db import DatabaseError, connection, transaction

from grid.models import Center
from tests.roles import PASSWORD


def login_post(client, username: str, password: str):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.1.2.3"
    )


def test_five_failed_logins_lock_the_account_at_that_address(client, clerk):
    for _ in range(5):
        login_post(client, "clerk", "wrong")

    response = login_post(client, "clerk", PASSWORD)

    assert response.status_code == 429
    assert "账号已暂时锁定" in response.content.decode()
    # the refused sixth attempt (right password, locked account) counts as a failure too
    assert AccessAttempt.objects.get(username="clerk").failures_since_start == 6


def test_successful_and_failed_logins_are_recorded(client, clerk):
    login_post(client, "clerk", "wrong")
    response = login_post(client, "clerk", PASSWORD)

    assert response.status_code == 302
    assert AccessLog.objects.filter(username="clerk", ip_address="10.1.2.3").exists()


def test_a_configuration_change_records_who_what_and_from_where(client, admin_user, center):
    client.force_login(admin_user)

    client.post(
        f"/admin/grid/center/{center.pk}/change/",
        {
            "region": center.region_id,
            "name": "南关区综治中心（新）",
            "code": center.code,
            "phone": "0431-88881234",
            "address": "",
            "departments-TOTAL_FORMS": 0,
            "departments-INITIAL_FORMS": 0,
            "windows-TOTAL_FORMS": 0,
            "windows-INITIAL_FORMS": 0,
        },
        REMOTE_ADDR="10.9.8.7",
    )

    entry = LogEntry.objects.get_for_object(Center.objects.get(pk=center.pk)).latest("timestamp")
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == admin_user and entry.remote_addr == "10.9.8.7"
    assert entry.changes["name"] == [center.name, "南关区综治中心（新）"]


def test_personal_fields_are_masked_in_the_audit_trail(db):
    from intake.models import Party

    party = Party.objects.create(name="张三", id_number="11010519491231002X", phone="13812345678")

    changes = LogEntry.objects.get_for_object(party).get().changes
    assert "11010519491231002X" not in str(changes) and "13812345678" not in str(changes)


def test_admins_read_filter_and_export_the_audit_trail(client, admin_user, center):
    client.force_login(admin_user)
    selected = [
        str(pk) for pk in LogEntry.objects.filter(action=LogEntry.Action.CREATE).values_list("pk", flat=True)
    ]

    listing = client.get("/admin/auditlog/logentry/", {"action__exact": LogEntry.Action.CREATE})
    export = client.post(
        "/admin/auditlog/logentry/",
        {
            "action": "export_csv",
            "_selected_action": selected,
        },
    )

    assert listing.status_code == 200
    assert export.status_code == 200, export.content[:300]
    assert export["Content-Type"].startswith("text/csv")
    assert "南关区综治中心" in export.content.decode("utf-8-sig")
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=admin_user).exists()


def test_a_clerk_cannot_read_the_audit_trail(client, clerk):
    client.force_login(clerk)

    assert client.get("/admin/auditlog/logentry/").status_code == 302


@pytest.mark.django_db
def test_the_audit_trail_is_append_only_in_postgresql(postgres, center):
    entry = LogEntry.objects.get_for_object(center).first()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM auditlog_logentry WHERE id = %s", [entry.pk])


def test_every_export_is_recorded(client, supervisor):
    client.force_login(supervisor)

    client.get("/intake/today/export.csv")
    client.get("/analytics/export/breakdowns.xlsx")
    client.get("/analytics/export/cases.xlsx")

    recorded = [
        entry.changes["accessed"][0]
        for entry in LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=supervisor).order_by("pk")
    ]
    assert [what.split(":")[1] for what in recorded] == [
        "today_cases",
        "analytics_breakdowns",
        "analytics_cases",
    ]


def test_an_invitation_lets_a_user_outside_the_jurisdiction_see_one_case(supervisor, outsider, clerk, center):
    from intake.selectors import case_list_for_user
    from intake.services import case_invite
    from intake.tests.factories import register

    # given a township case that a 兰州 user cannot see
    case = register(actor=clerk, center=center)
    other = register(actor=clerk, center=center, summary="另一件")
    assert not case_list_for_user(user=outsider).exists()

    # when the supervisor invites them onto that one case
    case_invite(actor=supervisor, case=case, invitee=outsider)

    # then they see exactly that case, and the grant is in the audit trail
    assert list(case_list_for_user(user=outsider)) == [case]
    assert other not in case_list_for_user(user=outsider)
    assert LogEntry.objects.filter(
        content_type__model="userobjectpermission", action=LogEntry.Action.CREATE
    ).exists()


def test_only_a_user_who_may_invite_can_invite(clerk, outsider, center):
    from django.core.exceptions import PermissionDenied

    from intake.services import case_invite
    from intake.tests.factories import register

    case = register(actor=clerk, center=center)

    with pytest.raises(PermissionDenied):
        case_invite(actor=clerk, case=case, invitee=outsider)
