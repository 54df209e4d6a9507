import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")

    body = response.json()
    assert body["database"] == "ok"
    assert set(body) == {"status", "database", "broker"}
    assert response.status_code == (200 if body["broker"] == "ok" else 503)


def test_login_page_is_chinese_by_default(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})

    response = client.get("/accounts/login/")

    assert 'lang="en"' in response.content.decode()


def test_home_sends_each_role_to_its_first_page(client, admin_user):
    client.force_login(admin_user)

    response = client.get("/")

    assert response.status_code == 302


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get("/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "zhongxin.settings"}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings as s; {code}",
        ],
        cwd=ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_come_from_the_environment():
    result = run_settings(
        {
            "DATABASE_URL": "postgres://u:p@db.example:5433/zx",
            "REDIS_URL": "redis://cache:6379/2",
            "ALLOWED_HOSTS": "a.example,b.example",
            "DEBUG": "0",
        },
        "print(s.DATABASES['default']['HOST'], s.DATABASES['default']['PORT'], s.CELERY_BROKER_URL, "
        "s.ALLOWED_HOSTS, s.DEBUG, s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ)",
    )

    assert result.stdout.split() == [
        "db.example",
        "5433",
        "redis://cache:6379/2",
        "['a.example',",
        "'b.example']",
        "False",
        "zh-hans",
        "Asia/Shanghai",
        "True",
    ]


def test_embedded_default_is_sqlite_and_filesystem_broker():
    result = run_settings({}, "print(s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL)")

    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"]


def test_a_bad_boolean_is_refused():
    result = run_settings({"DEBUG": "maybe"}, "pass")

    assert result.returncode != 0 and "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize("with_secret", [True, False])
def test_check_deploy_is_clean_only_with_a_real_secret(with_secret):
    env = {"ALLOWED_HOSTS": "zz.example.gov.cn", "DEBUG": "0"}
    if with_secret:
        env["SECRET_KEY"] = "k8#Vq2!rZp0s@Lm4^Tn7&Wx1*Yc5(Ud9)Hf3_Gj6+Ob8=Ie2-Qa7%Rb4~Sc1"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert (result.returncode == 0) is with_secret, result.stdout + result.stderr


def test_every_page_carries_a_strict_content_security_policy(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]

    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_api_docs_load_their_scripts_from_our_origin_only(client, clerk):
    client.force_login(clerk)

    page = client.get("/api/docs/").content.decode()

    assert "<script>" not in page and "<style>" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page


def test_each_test_process_has_its_own_redis_database():
    from zhongxin.test_settings import _own_redis_database

    url = "redis://127.0.0.1:6379/0"
    assert [_own_redis_database(url, worker) for worker in ("gw0", "gw1", "")] == [
        "redis://127.0.0.1:6379/1",
        "redis://127.0.0.1:6379/2",
        url,
    ]
