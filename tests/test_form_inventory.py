"""Every POST form in the templates has a browser test that submits it: a new form without one fails here.

A form is named by the URL it posts to (`{% url 'name' %}` in `action=` or a button's `formaction=`); the
two URLs that take the step as an argument (mediation's workspace actions, dispatch's case steps) add the
step, e.g. `mediation:action:referral`. A form without an action posts back to its own page and is named
by its template, e.g. `dispatch/inbox.html`. FORMS_SUBMITTED names, for each, the browser test that fills
and submits it as the role that uses it."""

import re
from pathlib import Path

import pytest

from dispatch.views import SIMPLE_STEPS
from mediation.views.cases import ACTIONS

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"

FORMS = "tests/test_forms_browser.py"
MEDIATION = "tests/test_mediation_browser.py"
INTAKE = "tests/test_intake_browser.py"
DISPATCH = "dispatch/tests/test_browser.py"

FORMS_SUBMITTED: dict[str, str] = {
    # the frame: base.html and the login page
    "login": "tests/test_browser_login.py::test_a_clerk_signs_in_and_sees_the_role_navigation",
    "logout": f"{FORMS}::test_language_switch_and_logout",
    "set_language": f"{FORMS}::test_language_switch_and_logout",
    # intake
    "intake/register.html": f"{INTAKE}::test_a_clerk_registers_a_walk_in_dispute_and_prints_the_receipt",
    "intake/grid_report.html": f"{INTAKE}::test_the_grid_worker_reports_from_a_phone",
    "intake:repeat_visit": f"{INTAKE}::test_a_clerk_links_a_returning_resident_to_the_open_case",
    # dispatch
    "dispatch:triage": f"{DISPATCH}::test_supervisor_triages_and_assigns_in_the_browser",
    "dispatch/assign.html": f"{DISPATCH}::test_supervisor_triages_and_assigns_in_the_browser",
    "dispatch/escalate.html": f"{FORMS}::test_supervisor_escalates_a_case",
    "dispatch/track.html": "dispatch/tests/test_tracking.py::test_a_resident_looks_the_case_up_on_a_phone",
    "dispatch:transfer": f"{FORMS}::test_supervisor_transfers_a_case",
    "dispatch:hand_down": f"{DISPATCH}::test_supervisor_hands_a_case_down_to_the_township",
    "dispatch:request_extension": f"{DISPATCH}::test_an_extension_is_requested_and_approved",
    "dispatch:decide_extension": f"{DISPATCH}::test_an_extension_is_requested_and_approved",
    "dispatch:step:sign": f"{DISPATCH}::test_handler_signs_on_a_phone",
    "dispatch:step:claim": f"{FORMS}::test_handler_claims_an_unassigned_case",
    "dispatch:step:return": f"{FORMS}::test_handler_returns_an_assignment_with_a_reason",
    "dispatch:step:suspend": f"{FORMS}::test_handler_suspends_and_resumes",
    "dispatch:step:resume": f"{FORMS}::test_handler_suspends_and_resumes",
    "dispatch:step:send_back": f"{FORMS}::test_supervisor_sends_a_closed_case_back",
    "dispatch:step:reopen": f"{FORMS}::test_supervisor_reopens_a_closed_case",
    "dispatch/inbox.html": f"{FORMS}::test_handler_marks_notifications_read",
    # mediation: queues and the workspace
    "mediation:claim @ mediation/queue.html": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:claim @ mediation/workspace.html": f"{FORMS}::test_mediator_claims_from_the_workspace",
    "mediation:action:start": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:session": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:agreement_generate": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:agreement_edit": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:agreement_finalise": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:conclude": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:close": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:follow_up": f"{MEDIATION}::test_mediator_claims_mediates_and_closes",
    "mediation:action:confirmation_request": f"{FORMS}::test_mediator_records_judicial_confirmation",
    "mediation:action:confirmation_result": f"{FORMS}::test_mediator_records_judicial_confirmation",
    "mediation:action:referral": f"{FORMS}::test_mediator_records_a_referral_and_its_result",
    "mediation:action:referral_result": f"{FORMS}::test_mediator_records_a_referral_and_its_result",
    "mediation:action:relief": f"{FORMS}::test_mediator_records_relief",
    "mediation:action:follow_up_reopen": f"{FORMS}::test_supervisor_reopens_after_a_dissatisfied_follow_up",
    # mediation: supervision notices
    "mediation/notice_issue.html": (
        f"{MEDIATION}::test_supervisor_issues_a_supervision_letter_the_township_acknowledges"
    ),
    "mediation:notice_acknowledge": (
        f"{MEDIATION}::test_supervisor_issues_a_supervision_letter_the_township_acknowledges"
    ),
    "mediation:notice_respond": f"{FORMS}::test_township_responds_to_a_supervision_letter",
    # analytics and the admin
    "analytics/_report.html": f"{FORMS}::test_supervisor_issues_the_quarterly_report",
    "admin/grid/staffprofile/import.html": f"{FORMS}::test_admin_imports_staff_from_a_csv",
}

FORM = re.compile(r"<form\b(?P<attrs>[^>]*)>(?P<body>.*?)</form>", re.S | re.I)
POST = re.compile(r"""\bmethod=["']post["']""", re.I)
# action="{% url 'mediation:action' case.number 'referral' %}" → name and the quoted arguments
URL = re.compile(r"""\b(?:form)?action=["']\{%\s*url\s+'(?P<name>[\w:-]+)'(?P<args>[^%]*)%\}""", re.I)
ACTION_ATTR = re.compile(r"""\baction=""", re.I)
FORMMETHOD_POST = re.compile(r"""\bformmethod=["']post["']""", re.I)
BUTTON = re.compile(r"<button\b(?P<attrs>[^>]*)>", re.I)
WITH_STEP = {"mediation:action", "dispatch:step"}


def _key(match: re.Match) -> str:
    name = match["name"]
    if name in WITH_STEP:
        step = re.findall(r"'([\w-]+)'", match["args"])
        name = f"{name}:{step[-1]}"
    return name


def post_forms_in(text: str, template: str) -> set[str]:
    """The names of the POST forms in one template's text."""
    found = set()
    for form in FORM.finditer(text):
        if not POST.search(form["attrs"]):
            continue
        # Buttons with their own formaction post elsewhere; the form's own action only if it has one.
        targets = {_key(m) for m in URL.finditer(form["body"]) if "formaction" in m.group(0).lower()}
        own = URL.search(form["attrs"])
        if own:
            targets.add(_key(own))
        elif not ACTION_ATTR.search(form["attrs"]) and not targets:
            targets.add(template)
        found |= targets
    # Buttons outside any form that post to a form elsewhere on the page (form="…" formmethod="post").
    outside = FORM.sub("", text)
    for button in BUTTON.finditer(outside):
        if FORMMETHOD_POST.search(button["attrs"]):
            found |= {_key(m) for m in URL.finditer(button["attrs"])}
    return found


def post_forms() -> dict[str, str]:
    """Form name → its template. A name posted from several templates (the claim button is on the queue
    and on the workspace) is one form per template: `name @ template`."""
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        template = path.relative_to(TEMPLATES).as_posix()
        for name in post_forms_in(path.read_text(encoding="utf-8"), template):
            found.setdefault(name, set()).add(template)
    forms = {}
    for name, templates in found.items():
        for template in templates:
            forms[name if len(templates) == 1 else f"{name} @ {template}"] = template
    return forms


def test_the_parser_finds_each_kind_of_form():
    # given one form of each shape
    text = """
    <form method="post" action="{% url 'mediation:action' case.number 'relief' %}">{% csrf_token %}</form>
    <form method="post" id="reason">
      <button formaction="{% url 'dispatch:step' case.number 'suspend' %}">x</button></form>
    <form method="POST">{% csrf_token %}<button>ok</button></form>
    <form method="get" action="{% url 'intake:today' %}"></form>
    <button form="case-form" formmethod="post" formaction="{% url 'intake:repeat_visit' row.case.number %}">
    """
    # when / then
    assert post_forms_in(text, "x/page.html") == {
        "mediation:action:relief",
        "dispatch:step:suspend",
        "x/page.html",
        "intake:repeat_visit",
    }


def test_every_post_form_has_a_browser_test_that_submits_it():
    # given
    forms = post_forms()
    # then: nothing unlisted, nothing listed that is gone
    missing = {name: template for name, template in forms.items() if name not in FORMS_SUBMITTED}
    assert not missing, (
        f"POST forms without a browser test (add one and list it in FORMS_SUBMITTED): {missing}"
    )
    assert not set(FORMS_SUBMITTED) - set(forms), "FORMS_SUBMITTED lists forms no template has"


@pytest.mark.parametrize("name", sorted(FORMS_SUBMITTED))
def test_the_named_browser_test_exists(name):
    # given
    path, test = FORMS_SUBMITTED[name].split("::")
    source = (ROOT / path).read_text(encoding="utf-8")
    # then: the function is there and runs as a browser test
    assert re.search(rf"^def {test}\(", source, re.M), f"{path} has no {test}"
    assert "pytest.mark.browser" in source, f"{path} is not marked as browser tests"


def test_every_workspace_action_and_case_step_has_a_form():
    # given the action tables the views dispatch on
    forms = post_forms()
    # then: a step with no form is either dead code or a form the inventory cannot see
    names = {name.split(" @ ")[0] for name in forms}
    assert {f"mediation:action:{name}" for name in ACTIONS} <= names
    assert {f"dispatch:step:{name}" for name in SIMPLE_STEPS} <= names
