import pytest

from tests.browser import login, screenshot


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_clerk_signs_in_and_sees_the_role_navigation(page, live_server, clerk):
    login(page, live_server, "clerk")

    shot = screenshot(page, "login-clerk-home")

    assert "王晓丽" in page.inner_text(".userbox")
    assert shot.stat().st_size > 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wrong_password_shows_a_chinese_error(page, live_server, clerk):
    login(page, live_server, "clerk", "wrong-password")

    assert "用户名或密码不正确" in page.inner_text("main")
