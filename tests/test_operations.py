"""The README's Operations section, walked exactly as written on a fresh PostgreSQL database (migrate →
import_regions → open_centers → create_staff → drf_create_token → a clerk registers through the API and
the supervisor reads the case), and `migrate` alone giving complete roles and the cache table."""

import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from grid.choices import Role
from grid.roles import role_permission_codes

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.xdist_group("operations")

ROLES_PRINTED = (
    "import json; from django.contrib.auth.models import Group; print(json.dumps({g.name: sorted("
    "f'{p.content_type.app_label}.{p.codename}' for p in g.permissions.all()) for g in Group.objects.all()}))"
)
CACHE_ROUND_TRIP = "from django.core.cache import cache; cache.set('ops', 'ok'); print(cache.get('ops'))"


def readme_operations() -> list[list[str]]:
    """The commands of the first sh block of the README's Operations section."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Operations", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]


def production_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a deployment: production settings, its own database, its own Celery queue."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ZHONGXIN_", "PYTEST", "DJANGO_"))}
    return (
        env
        | {
            "DJANGO_SETTINGS_MODULE": "zhongxin.settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "CELERY_QUEUE": f"zhongxin-operations-{secrets.token_hex(4)}",
        }
        | extra
    )


def http(method: str, url: str, token: str = "", body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def run(command: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{shlex.join(command)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run([str(ROOT / ".venv" / "bin" / "python"), "manage.py", *args], env)


def assert_roles_complete(env: dict[str, str]) -> None:
    groups = json.loads(manage(env, "shell", "-c", ROLES_PRINTED).strip().splitlines()[-1])
    for role in Role:
        assert set(groups[role.value]) == role_permission_codes(role), role


@pytest.fixture
def fresh_postgres(postgres):
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    db = settings.DATABASES["default"]
    name = f"{db['NAME']}_ops"[:63]
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "dbname": "postgres"}
    if db.get("PASSWORD"):
        server["password"] = db["PASSWORD"]
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    yield f"postgres://{db['USER']}{password}@{db['HOST']}:{server['port']}/{name}"
    with psycopg.connect(**server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def web_server():
    """Starts gunicorn for an environment; stopped afterwards."""
    started: list[subprocess.Popen] = []

    def start(env: dict[str, str]) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "zhongxin.wsgi:application"]
        started.append(subprocess.Popen([*command, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env))
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                http("GET", f"{url}/healthz")
                return url
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        pytest.fail("gunicorn did not answer within 60 s")

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def test_the_operations_section_works_on_a_fresh_database(fresh_postgres, web_server):
    # given a fresh database and the README's commands
    env = production_env(fresh_postgres)
    commands = readme_operations()
    assert [c[2] for c in commands[:3]] == ["migrate", "import_regions", "open_centers"]

    # when each is run as written
    outputs = [run(command, env) for command in commands]

    # then centers are open, roles complete, and the tokens were printed
    assert re.search(r"新增 \d+", outputs[2])
    assert_roles_complete(env)
    tokens = {
        user: key for key, user in re.findall(r"Generated token (\w+) for user (\w+)", "".join(outputs))
    }
    clerk, supervisor = (tokens[c[-1]] for c in commands if c[2] == "drf_create_token")

    # and the clerk registers a case through the API, which the supervisor then reads
    url = web_server(env)
    case = {
        "channel": "walk_in",
        "category": "0104",
        "region": "220102001001",
        "summary": "楼上卫生间漏水致楼下天花板受损",
        "description": "申请人称楼上住户卫生间漏水两月未修，协商未果。",
        "parties": [{"kind": "person", "name": "张桂兰", "phone": "13904311234", "role": "applicant"}],
    }
    status, created = http("POST", f"{url}/api/v1/cases/", clerk, case)
    assert status == 201, created
    number = created["number"]
    status, read = http("GET", f"{url}/api/v1/cases/{number}/", supervisor)
    assert status == 200, read
    assert read["summary"] == case["summary"]
    assert number.startswith("220102000000-")


def test_migrate_alone_gives_complete_roles_and_the_cache_table_on_sqlite(tmp_path):
    # given the embedded mode's database, never touched by load_demo
    env = production_env(f"sqlite:///{tmp_path / 'db.sqlite3'}", DEBUG="1")
    env.pop("REDIS_URL", None)

    # when
    manage(env, "migrate", "--no-input")

    # then
    assert_roles_complete(env)
    assert manage(env, "shell", "-c", CACHE_ROUND_TRIP).strip().splitlines()[-1] == "ok"
