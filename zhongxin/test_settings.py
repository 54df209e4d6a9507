"""Settings for the test suite: production settings with plain HTTP and without the static manifest
(tests render pages without running collectstatic; the live server speaks plain HTTP)."""

import os
import urllib.parse

# Each pytest-xdist worker has its own database, so it gets its own Celery queue too: a worker started by
# one test process must never run tasks queued by another against the wrong database. Set in the
# environment so that worker subprocesses started by tests inherit it.
os.environ.setdefault("CELERY_QUEUE", f"zhongxin-test-{os.getenv('PYTEST_XDIST_WORKER', 'main')}")


def _own_redis_database(url: str, worker: str) -> str:
    """gw0 -> the configured database + 1, gw1 -> + 2: tests that flush their Redis database (a broker
    restarting empty) must not drop the messages of the other test process."""
    if not url or not worker.startswith("gw"):
        return url
    parts = urllib.parse.urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{base + 1 + int(worker[2:])}"))


if os.getenv("REDIS_URL"):
    os.environ["REDIS_URL"] = _own_redis_database(
        os.environ["REDIS_URL"], os.getenv("PYTEST_XDIST_WORKER", "")
    )

from zhongxin.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins; never in production
# Per-process cache: API throttle counters must not leak from one test into the next.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
