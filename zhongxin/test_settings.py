"""Settings for the test suite: production settings with plain HTTP and without the static manifest
(tests render pages without running collectstatic; the live server speaks plain HTTP)."""

from zhongxin.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins; never in production
# Per-process cache: API throttle counters must not leak from one test into the next.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
