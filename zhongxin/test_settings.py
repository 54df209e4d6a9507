"""Settings for the test suite: production settings with plain HTTP and without the static manifest
(tests render pages without running collectstatic; the live server speaks plain HTTP)."""

import os

# Each pytest-xdist worker has its own database, so it gets its own Celery queue too: a worker started by
# one test process must never run tasks queued by another against the wrong database. Set in the
# environment so that worker subprocesses started by tests inherit it.
os.environ.setdefault("CELERY_QUEUE", f"zhongxin-test-{os.getenv('PYTEST_XDIST_WORKER', 'main')}")

from zhongxin.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins; never in production
# Per-process cache: API throttle counters must not leak from one test into the next.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
