"""Helpers for tests that run the project the way users do: in subprocesses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def subprocess_env() -> dict[str, str]:
    """Environment for a subprocess (manage.py, a worker) that should see the test database."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{conf['NAME']}"
    else:
        user = conf.get("USER") or "postgres"
        host = conf.get("HOST") or "127.0.0.1"
        port = conf.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{conf['NAME']}"
    return env


def manage(*args: str, env: dict[str, str] | None = None, input: bytes | None = None):
    """Run ``manage.py`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env if env is not None else subprocess_env(),
        input=input,
        capture_output=True,
        timeout=120,
        check=False,
    )
