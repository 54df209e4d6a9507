"""Masking of ID numbers and phones, the permission to see them, and the log of every full view."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from intake.masking import mask_id_number, mask_phone, party_identities_for, party_identity_for
from intake.models import IdentityView
from intake.tests.factories import register


def test_mask_id_number():
    assert mask_id_number("220102199001011234") == "2201**********1234"
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    assert mask_id_number("") == ""
    assert mask_id_number("1234") == "****"


def test_mask_phone():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0431-88881234") == "043******1234"
    assert mask_phone("12345") == "***45"
    assert mask_phone("") == ""


def test_a_clerk_sees_masked_values_and_nothing_is_logged(clerk, center):
    case = register(actor=clerk, center=center)
    applicant = case.case_parties.order_by("id").first().party

    who = party_identity_for(clerk, applicant, case=case)

    assert not who.full
    assert who.id_number == mask_id_number(applicant.id_number) and who.phone == mask_phone(applicant.phone)
    assert who.name == applicant.name
    assert not IdentityView.objects.exists()


@pytest.mark.parametrize("role", ["supervisor", "mediator"])
def test_roles_that_call_residents_see_full_values_and_each_view_is_logged(role, request, clerk, center):
    viewer = request.getfixturevalue(role)
    case = register(actor=clerk, center=center)
    parties = [cp.party for cp in case.case_parties.all()]
    http = RequestFactory().get("/", REMOTE_ADDR="192.168.3.4")

    shown = party_identities_for(viewer, parties, request=http, case=case, context="test")

    assert all(who.full for who in shown.values())
    assert shown[parties[0].pk].id_number == parties[0].id_number
    logs = IdentityView.objects.filter(user=viewer)
    assert logs.count() == 2
    assert {(v.case_id, v.ip_address, v.context) for v in logs} == {(case.pk, "192.168.3.4", "test")}


def test_the_log_is_append_only(supervisor, clerk, center):
    case = register(actor=clerk, center=center)
    party_identity_for(supervisor, case.case_parties.first().party, case=case)
    view = IdentityView.objects.get()

    view.context = "tampered"
    with pytest.raises(ValueError):
        view.save()
    with pytest.raises(ValueError):
        view.delete()


def test_the_template_tag_masks_and_logs_like_the_function(clerk, supervisor, center):
    case = register(actor=clerk, center=center)
    applicant = case.case_parties.order_by("id").first().party
    template = Template(
        "{% load intake %}{% party_identity party case=case as who %}{{ who.phone }}|{{ phone|mask_phone }}"
    )

    def render(user):
        http = RequestFactory().get("/")
        http.user = user
        return template.render(
            Context({"request": http, "party": applicant, "case": case, "phone": "13812345678"})
        )

    assert render(clerk) == f"{mask_phone(applicant.phone)}|138****5678"
    assert render(supervisor) == f"{applicant.phone}|138****5678"
    assert IdentityView.objects.filter(user=supervisor, party=applicant).count() == 1


def test_the_audit_log_in_the_admin_is_read_only(client, admin_user, supervisor, clerk, center):
    case = register(actor=clerk, center=center)
    party_identity_for(supervisor, case.case_parties.first().party, case=case)
    client.force_login(admin_user)

    listing = client.get("/admin/intake/identityview/")
    view = IdentityView.objects.get()

    assert listing.status_code == 200 and "supervisor" in listing.content.decode()
    assert client.get(f"/admin/intake/identityview/{view.pk}/delete/").status_code == 403
    assert client.get("/admin/intake/identityview/add/").status_code == 403
