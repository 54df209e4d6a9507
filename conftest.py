"""Project-wide pytest set-up: real services when configured, role fixtures on a real region slice."""

import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine
from django.db import connection

pytest_plugins = ["tests.roles", "tests.browser"]

FIXTURES = Path(__file__).parent / "tests" / "fixtures"
REQUIRE_SERVICES = os.getenv("ZHONGXIN_REQUIRE_SERVICES") == "1"
# ZHONGXIN_TEST_NOW=2031-06-17T10:00+08:00 runs the whole session on that date (the clock still ticks): a
# test that reads the real clock instead of freezing its own fails there. CI runs the suite so a second time.
TEST_NOW = os.getenv("ZHONGXIN_TEST_NOW", "")


def pytest_configure(config) -> None:
    # Started before collection, so a date computed at import time is the far one too.
    if TEST_NOW:
        time_machine.travel(dt.datetime.fromisoformat(TEST_NOW), tick=True).start()


def _unavailable(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing (ZHONGXIN_REQUIRE_SERVICES=1): {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    """Marks a test that needs real PostgreSQL (row locks, concurrent connections)."""
    if connection.vendor != "postgresql":
        _unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.getenv("REDIS_URL", "")
    if not url:
        _unavailable("needs Redis: set REDIS_URL=redis://...")
    import redis

    try:
        redis.Redis.from_url(url).ping()
    except redis.RedisError as error:
        _unavailable(f"Redis at {url} unreachable: {error}")
    return url


@pytest.fixture
def regions(db):
    """A real slice of the official codes: 吉林省/长春市/南关区 in full and 兰州市城关区酒泉路街道."""
    from grid.services import regions_import

    regions_import(path=FIXTURES / "regions_slice.csv")
    from grid.models import Region

    return {region.code: region for region in Region.objects.all()}
