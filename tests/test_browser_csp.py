"""The strict Content-Security-Policy must not break any page: no violation on the main page of each role."""

import pytest

from tests.browser import login

PAGES_BY_USER = {
    "clerk": ["/intake/register/", "/intake/today/"],
    "grid": ["/intake/grid/report/"],
    "mediator": ["/mediation/mine/", "/mediation/unclaimed/"],
    "supervisor": [
        "/dispatch/triage/",
        "/dispatch/overdue/",
        "/mediation/board/",
        "/analytics/",
        "/api/docs/",
    ],
}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("username", sorted(PAGES_BY_USER))
def test_no_csp_violation_on_the_pages_of_each_role(
    page, live_server, clerk, grid_worker, mediator, supervisor, username
):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    login(page, live_server, username)

    for path in PAGES_BY_USER[username]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")

    assert violations == []
