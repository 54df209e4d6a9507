"""The permission matrix: every page and API route of the project, for every role and anonymous, against
an object inside the caller's jurisdiction and one outside it (tests/matrix_objects.py).

How to read the table (`MATRIX`): one entry per route name, saying how it is probed (method, URL kwargs,
query, body — `Ref("number")` names an object of the side being probed) and which roles may use it on
the inside object. The rules every response must follow:
- anonymous: a page redirects to the login page; the API answers 401 or 403 — unless the entry's roles
  include anonymous (`PUBLIC`, the residents' pages), when anonymous is held to the allowed roles' rules;
- a role outside `roles`: 403, or 404 when the entry lists it in `hidden` (it holds the permission but
  the app hides an object that is not its business); on the outside object 403 or 404 — both refuse
  without telling what exists;
- a role in `roles`, inside object: a read answers `read_status` (200); an action anything but
  401/403/404 (with a minimal body it may answer 400/409 or redirect back with a form error); and the
  outside case's number appears nowhere in the response;
- a role in `roles`, outside object: 404;
- never a 5xx.
A route without an entry, or an entry without a route, fails `test_every_route_has_an_entry`.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix_objects import World, world_build
from tests.roles import NANLING

pytestmark = pytest.mark.django_db

CLERK, GRID, MEDIATOR, SUPERVISOR, ADMIN = "clerk", "grid_worker", "mediator", "supervisor", "admin"
ANONYMOUS = "anonymous"
ROLES = (CLERK, GRID, MEDIATOR, SUPERVISOR, ADMIN)
EVERYONE = frozenset(ROLES)
# intake.view_case: admins keep the configuration and do not read cases.
CASE_READERS = frozenset({CLERK, GRID, MEDIATOR, SUPERVISOR})
# intake.add_case.
REGISTRARS = frozenset({CLERK, GRID})
# mediation.view_mediationrecord / view_agreement.
MEDIATION_READERS = frozenset({GRID, MEDIATOR, SUPERVISOR})
# analytics.view_dashboard.
DASHBOARD = frozenset({SUPERVISOR, ADMIN})
# The handler of the inside case: dispatch.handle_case / mediation.mediate_case act only for the assignee
# (the mediator); the grid worker holds the permission but the case is not theirs.
HANDLER = frozenset({MEDIATOR})
# dispatch.escalate_case / suspend_case also need the case's handling tier (the 南关区 center) in one's
# jurisdiction: the township mediator holds them, but only for cases handled in 南岭街道.
COUNTY_STEP = frozenset({SUPERVISOR})
# Residents' pages: open to anyone, logged in or not (they show no personal data; tested in
# dispatch/tests/test_tracking.py).
PUBLIC = frozenset({*ROLES, ANONYMOUS})

# Routes left out, each with the reason.
SKIPPED_PREFIXES = {
    "admin/": "Django admin: guarded by is_staff and model permissions, tested by Django",
    "accounts/": "Django's auth views (login, logout, password change and reset)",
    "i18n/": "set_language: public by design, changes only the caller's language",
    "healthz": "health check for load balancers: public by design, reveals no data",
    "api/schema/": "OpenAPI schema generation (drf-spectacular)",
    "api/docs/": "Swagger UI over the schema (drf-spectacular)",
}


@dataclass(frozen=True)
class Ref:
    """Names an object (tests.matrix_objects.NAMES: number, notice, region ...) on the side being probed."""

    name: str


@dataclass(frozen=True)
class Probe:
    roles: frozenset[str]
    api: bool
    method: str = "GET"
    kwargs: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    body: dict = field(default_factory=dict)
    # Roles that hold the permission but to whom the inside object does not belong: the app hides it (404).
    hidden: frozenset[str] = frozenset()
    # What a GET answers an allowed role on the inside object.
    read_status: int = 200
    note: str = ""

    @property
    def has_object(self) -> bool:
        return any(isinstance(v, Ref) for v in (*self.kwargs.values(), *self.query.values()))


def page(roles, method: str = "GET", hidden=(), **extra) -> Probe:
    return Probe(frozenset(roles), api=False, method=method, hidden=frozenset(hidden), **extra)


def api(roles, method: str = "GET", hidden=(), **extra) -> Probe:
    return Probe(frozenset(roles), api=True, method=method, hidden=frozenset(hidden), **extra)


CASE = {"number": Ref("number")}
IN_REGION = {"region": Ref("region")}
REASON = {"reason": "权限矩阵测试"}
NOTICE = {"pk": Ref("notice")}
# The inside notice is addressed to the 南岭街道 center: only its staff (the mediator) sign for and answer
# it; the county's clerk and supervisor see it but may not reply for the township.
ADDRESSEE = {MEDIATOR}
# Notices are shown to the issuing jurisdiction and the addressee, not to the village below the addressee.
NOT_FOR_THE_VILLAGE = {GRID}
ANSWER = {"response": "已约谈双方当事人，正在调解。"}
REPORT_BACK = {"method": "phone", "reported_at": "2026-11-20T10:00:00+08:00", "note": "已电话告知申请人"}

MATRIX: dict[str, Probe] = {
    "home": page(EVERYONE, read_status=302, note="redirects each role to its first page"),
    # grid: the tier tree is read by every role (region pickers), within the jurisdiction.
    "grid_api:region-list": api(EVERYONE),
    "grid_api:region-detail": api(EVERYONE, kwargs={"code": Ref("region")}),
    "grid_api:region-ancestors": api(EVERYONE, kwargs={"code": Ref("region")}),
    "grid_api:center-list": api(EVERYONE),
    "grid_api:center-detail": api(EVERYONE, kwargs={"pk": Ref("center")}),
    "grid_api:department-list": api(EVERYONE),
    "grid_api:department-detail": api(EVERYONE, kwargs={"pk": Ref("department")}),
    # intake
    "intake_api:categories": api(EVERYONE),
    "intake_api:channels": api(EVERYONE),
    "intake_api:matter-types": api(EVERYONE),
    "intake_api:case-list": api(CASE_READERS),
    "intake_api:case-detail": api(CASE_READERS, kwargs=CASE),
    "intake:register": page(REGISTRARS),
    "intake:grid_report": page(REGISTRARS),
    "intake:today": page(CASE_READERS),
    "intake:today_export": page(CASE_READERS),
    "intake:duplicates": page(REGISTRARS, "POST"),
    "intake:case_detail": page(CASE_READERS, kwargs=CASE),
    "intake:receipt": page(CASE_READERS, kwargs=CASE),
    "intake:repeat_visit": page({CLERK}, "POST", kwargs=CASE, note="intake.add_repeatvisit: the desk only"),
    "intake:attachment": page(CASE_READERS, kwargs={**CASE, "pk": Ref("attachment")}),
    # dispatch API: one POST per lifecycle step, with a body the serializer accepts so that the
    # transition's guard (permission, then state) answers.
    "dispatch_api:case-triage": api({SUPERVISOR}, "POST", kwargs=CASE, body={"color": "blue"}),
    "dispatch_api:case-assign": api(
        {SUPERVISOR}, "POST", kwargs=CASE, body={"department": Ref("department")}
    ),
    "dispatch_api:case-arbitrate": api({SUPERVISOR}, "POST", kwargs=CASE, body={"decision": "insist"}),
    "dispatch_api:case-sign": api(HANDLER, "POST", kwargs=CASE),
    "dispatch_api:case-respond": api(HANDLER, "POST", kwargs=CASE),
    "dispatch_api:case-return": api(HANDLER, "POST", kwargs=CASE, body=REASON),
    "dispatch_api:case-claim": api(HANDLER, "POST", kwargs=CASE),
    "dispatch_api:case-resolve": api(HANDLER, "POST", kwargs=CASE, body={"outcome": "agreement"}),
    "dispatch_api:case-close": api(HANDLER, "POST", kwargs=CASE, body={"report_back": REPORT_BACK}),
    "dispatch_api:case-send-back": api({SUPERVISOR}, "POST", kwargs=CASE, body=REASON),
    "dispatch_api:case-reopen": api({SUPERVISOR}, "POST", kwargs=CASE, body=REASON),
    "dispatch_api:case-escalate": api(COUNTY_STEP, "POST", kwargs=CASE, body=REASON),
    "dispatch_api:case-hand-down": api(
        COUNTY_STEP, "POST", kwargs=CASE, body={**REASON, "to_center": NANLING}
    ),
    "dispatch_api:case-transfer": api(
        {SUPERVISOR, CLERK}, "POST", kwargs=CASE, body={**REASON, "to": "court"}
    ),
    "dispatch_api:case-suspend": api(COUNTY_STEP, "POST", kwargs=CASE, body=REASON),
    "dispatch_api:case-resume": api(COUNTY_STEP, "POST", kwargs=CASE),
    "dispatch_api:case-request-extension": api(
        HANDLER, "POST", kwargs=CASE, body={**REASON, "extra_days": 2}
    ),
    # Deciding needs dispatch.review_case and the handling center's supervision (the county's supervisor).
    "dispatch_api:case-approve-extension": api({SUPERVISOR}, "POST", kwargs=CASE),
    "dispatch_api:case-refuse-extension": api({SUPERVISOR}, "POST", kwargs=CASE),
    "dispatch_api:extensions-pending": api({SUPERVISOR}),
    "dispatch_api:case-events": api(CASE_READERS, kwargs=CASE),
    "dispatch_api:case-deadlines": api(CASE_READERS, kwargs=CASE),
    # dispatch pages
    "dispatch:triage_board": page({SUPERVISOR}),
    "dispatch:overdue": page({SUPERVISOR}),
    "dispatch_api:overdue": api({SUPERVISOR}),
    "track": page(PUBLIC, note="办理进度查询: residents, no login"),
    "dispatch_api:public-track": api(PUBLIC, "POST", note="an empty body answers 400 naming the fields"),
    "dispatch:inbox": page(EVERYONE, note="one's own notifications"),
    "dispatch:case": page(CASE_READERS, kwargs=CASE),
    "dispatch:triage": page({SUPERVISOR}, "POST", kwargs=CASE, body={"color": "blue"}),
    "dispatch:assign": page({SUPERVISOR}, kwargs=CASE),
    "dispatch:escalate": page({SUPERVISOR, MEDIATOR}, kwargs=CASE),
    "dispatch:transfer": page({SUPERVISOR, CLERK}, "POST", kwargs=CASE, body={**REASON, "to": "court"}),
    "dispatch:hand_down": page(COUNTY_STEP, "POST", kwargs=CASE, body={**REASON, "to_center": NANLING}),
    "dispatch:request_extension": page(HANDLER, "POST", kwargs=CASE, body={**REASON, "extra_days": 2}),
    "dispatch:extensions": page({SUPERVISOR}),
    "dispatch:decide_extension": page({SUPERVISOR}, "POST", kwargs={**CASE, "decision": "refuse"}),
    # The steps without a form (sign, claim, resume) reach the transition's guard with an empty body.
    "dispatch:step": page(COUNTY_STEP, "POST", kwargs={**CASE, "name": "resume"}),
    # mediation API
    "mediation_api:queue-counts": api(MEDIATION_READERS),
    "mediation_api:queue": api(MEDIATION_READERS, kwargs={"queue": "mine"}),
    "mediation_api:mediation-start": api(HANDLER, "POST", kwargs=CASE),
    "mediation_api:session": api(HANDLER, "POST", kwargs={**CASE, "pk": Ref("mediation")}),
    "mediation_api:agreement-generate": api(HANDLER, "POST", kwargs={**CASE, "pk": Ref("mediation")}),
    "mediation_api:conclude": api(HANDLER, "POST", kwargs={**CASE, "pk": Ref("mediation")}),
    "mediation_api:close": api(HANDLER, "POST", kwargs=CASE),
    "mediation_api:follow-up": api({MEDIATOR}, "POST", kwargs=CASE, note="mediation.add_followup"),
    "mediation_api:case-follow-up": api(
        {MEDIATOR}, "POST", kwargs=CASE, note="the lifecycle's follow-up step, served by mediation"
    ),
    "mediation_api:agreement": api(MEDIATION_READERS, kwargs={"pk": Ref("agreement")}),
    "mediation_api:agreement-finalise": api(HANDLER, "POST", kwargs={"pk": Ref("agreement")}),
    "mediation_api:notices": api(CASE_READERS),
    "mediation_api:notice-acknowledge": api(ADDRESSEE, "POST", kwargs=NOTICE),
    "mediation_api:notice-respond": api(ADDRESSEE, "POST", kwargs=NOTICE, body=ANSWER),
    # mediation pages
    "mediation:queue_mine": page(MEDIATION_READERS),
    "mediation:queue_team": page(MEDIATION_READERS),
    "mediation:queue_unclaimed": page(MEDIATION_READERS),
    "mediation:workspace": page(MEDIATION_READERS, kwargs=CASE),
    "mediation:claim": page(HANDLER, "POST", kwargs=CASE),
    "mediation:action": page(HANDLER, "POST", kwargs={**CASE, "name": "session"}),
    "mediation:agreement_print": page(MEDIATION_READERS, kwargs={"pk": Ref("agreement")}),
    "mediation:supervisor_board": page({SUPERVISOR}),
    "mediation:notice_list": page(CASE_READERS),
    "mediation:notice_issue": page({SUPERVISOR}),
    "mediation:notice_detail": page(
        CASE_READERS - NOT_FOR_THE_VILLAGE, kwargs=NOTICE, hidden=NOT_FOR_THE_VILLAGE
    ),
    "mediation:notice_acknowledge": page(ADDRESSEE, "POST", kwargs=NOTICE),
    "mediation:notice_respond": page(ADDRESSEE, "POST", kwargs=NOTICE, body=ANSWER),
    "mediation:notice_print": page(
        CASE_READERS - NOT_FOR_THE_VILLAGE, kwargs=NOTICE, hidden=NOT_FOR_THE_VILLAGE
    ),
    # analytics: the region to analyse is a query parameter.
    "analytics_api:summary": api(DASHBOARD, query=IN_REGION),
    "analytics_api:by_category": api(DASHBOARD, query=IN_REGION),
    "analytics_api:by_region": api(DASHBOARD, query=IN_REGION),
    "analytics_api:trend": api(DASHBOARD, query=IN_REGION),
    "analytics_api:warnings": api(DASHBOARD, query=IN_REGION),
    "analytics:dashboard": page(DASHBOARD, query=IN_REGION),
    "analytics:cases": page(DASHBOARD, query=IN_REGION),
    "analytics:export_breakdowns": page(DASHBOARD, query=IN_REGION),
    "analytics:export_cases": page(DASHBOARD, query=IN_REGION),
    "analytics:report": page(DASHBOARD, query=IN_REGION),
    "analytics:report_issued": page(DASHBOARD, kwargs={"pk": Ref("report")}),
    "analytics:report_pdf": page(DASHBOARD, query=IN_REGION),
    "analytics:report_issued_pdf": page(DASHBOARD, kwargs={"pk": Ref("report")}),
}

# Cells where the code does not yet do what the table says: (route, role, side) -> why. Each is run by
# `test_known_gap` as a strict xfail, so fixing the code turns it red until the entry is removed.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


def _routes(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield prefix + str(entry.pattern), name or f"<unnamed {prefix}{entry.pattern}>"


def project_routes() -> set[str]:
    """Route names of the project, without the skipped prefixes."""
    return {
        name
        for route, name in _routes(get_resolver().url_patterns)
        if not any(route.startswith(skip) for skip in SKIPPED_PREFIXES)
    }


def test_every_route_has_an_entry():
    routes = project_routes()

    missing, stale = sorted(routes - set(MATRIX)), sorted(set(MATRIX) - routes)

    assert not missing, f"routes without an entry in MATRIX: {missing}"
    assert not stale, f"MATRIX entries for routes that no longer exist: {stale}"


def test_known_gaps_name_real_cells():
    for route, role, side in KNOWN_GAPS:
        assert route in MATRIX and role in (*ROLES, ANONYMOUS) and side in ("inside", "outside")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """Built once per module (per xdist worker) in a transaction rolled back at the end. Every test runs
    in a savepoint inside it (pytest-django's `db`), so what one route's probes change is undone."""
    media = tmp_path_factory.mktemp("matrix-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield world_build()
        transaction.set_rollback(True)


@pytest.fixture
def clients(world, db) -> dict[str, Client]:
    """A logged-in client per role, and one for anonymous."""
    # Anonymous API calls share one throttle bucket per address: start every route with an empty one.
    cache.clear()
    clients = {ANONYMOUS: Client()}
    for role, user in world.users.items():
        clients[role] = Client()
        clients[role].force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return clients


@pytest.fixture
def sides(world) -> dict[str, dict]:
    return world.sides


def _resolve(value, side: dict):
    if isinstance(value, Ref):
        return side[value.name]
    if isinstance(value, dict):
        return {key: _resolve(item, side) for key, item in value.items()}
    return value


def _request(client: Client, name: str, probe: Probe, side: dict) -> HttpResponse:
    url = reverse(name, kwargs=_resolve(probe.kwargs, side))
    query = _resolve(probe.query, side)
    if probe.method == "GET":
        return client.get(url, query)
    body = _resolve(probe.body, side)
    if query:
        url = f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}"
    if probe.api:
        return client.post(url, body, content_type="application/json")
    return client.post(url, body)


def _verdict(probe: Probe, role: str, side: str, response: HttpResponse, leak: str) -> str | None:
    """None when `response` is what the table expects, else what is wrong."""
    status = response.status_code
    if status >= 500:
        return f"{status} server error"
    if role == ANONYMOUS and ANONYMOUS not in probe.roles:
        if probe.api:
            return None if status in (401, 403) else f"{status}, expected 401/403"
        login = reverse(settings.LOGIN_URL)
        ok = status == 302 and response["Location"].startswith(login)
        return None if ok else f"{status} {response.get('Location', '')}, expected a redirect to {login}"
    if role not in probe.roles:
        expected = {404 if role in probe.hidden else 403} if side == "inside" else {403, 404}
        return None if status in expected else f"{status}, expected {sorted(expected)} (role not allowed)"
    if side == "outside":
        return None if status == 404 else f"{status}, expected 404 (outside the jurisdiction)"
    if probe.method == "GET" and status != probe.read_status:
        return f"{status}, expected {probe.read_status} for the allowed role"
    if status in (401, 403, 404) or (
        status == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    ):
        return f"{status}, expected the allowed role to get through"
    if not response.streaming and leak in response.content.decode("utf-8", "replace"):
        return f"{status} shows the outside case {leak}"
    return None


def _cells(probe: Probe) -> Iterator[tuple[str, str]]:
    for side in ("inside", "outside") if probe.has_object else ("inside",):
        for role in (*ROLES, ANONYMOUS):
            yield role, side


def _probe(name: str, role: str, side: str, clients: dict[str, Client], sides: dict[str, dict]) -> str | None:
    response = _request(clients[role], name, MATRIX[name], sides[side])
    return _verdict(MATRIX[name], role, side, response, leak=sides["outside"]["number"])


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_route(name, clients, sides):
    # given: the table's entry for this route, the role users and the objects on both sides
    probe = MATRIX[name]

    # when: every role (and anonymous) calls it on each side
    wrong = {
        f"{role}/{side}": verdict
        for role, side in _cells(probe)
        if (role, side) not in {(r, s) for (n, r, s) in KNOWN_GAPS if n == name}
        and (verdict := _probe(name, role, side, clients, sides))
    }

    # then
    assert not wrong, f"{name} ({probe.method}): " + "; ".join(
        f"{cell}: {why}" for cell, why in wrong.items()
    )


@pytest.mark.parametrize(
    "cell",
    [
        pytest.param(cell, marks=pytest.mark.xfail(strict=True, reason=why))
        for cell, why in KNOWN_GAPS.items()
    ],
    ids=["/".join(cell) for cell in KNOWN_GAPS],
)
def test_known_gap(cell, clients, sides):
    name, role, side = cell
    assert _probe(name, role, side, clients, sides) is None
