"""Settings for the test run: the project's settings with test defaults in the environment.

The defaults go into ``os.environ`` so that subprocesses the tests start (``manage.py``,
Celery workers) inherit them. The suite talks to the real Redis broker, on a database
number of its own so that a developer's running app is not disturbed.
"""

import os
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("FACTCHECK_DATA_DIR", str(_ROOT / "data" / "test"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdefghijklmnop")
# The test client speaks plain HTTP; production keeps the redirect on.
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
# Tests render templates without running collectstatic first.
os.environ.setdefault("STATIC_MANIFEST", "false")

from factcheck.settings import *  # noqa: E402, F403

# WhiteNoise serves from STATIC_ROOT, which only `collectstatic` fills; tests don't need it.
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405

# Hashing test users' passwords with the production hasher would dominate the suite's time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Rate counts stay in this process's memory: in the shared Redis, one test's counts would
# carry into the next test's users, which get the same ids. The tests of shared counting
# point the cache at Redis themselves.
CACHES = {
    **CACHES,  # noqa: F405
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rates"},
}

# The suite makes many API requests as one user within a minute; the throttling tests
# lower the rates themselves.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/minute",
        "user": "100000/minute",
        "token": "100000/minute",
    },
}
