"""``manage.py check_source`` as tools call it: a separate process, JSON on stdout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest_plugins = ["tests.fetch_server"]

PROJECT_DIR = Path(__file__).resolve().parents[2]
PAGE = (
    "<html><head><title>Бюджет</title></head><body><article><p>Министр финансов заявила, "
    "что «дефицит бюджета сократится вдвое к 2026 году». Об этом сообщили в среду "
    "в официальном заявлении министерства финансов.</p></article></body></html>"
)


def run_command(*args: str, allowed_networks: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["FETCH_ALLOWED_NETWORKS"] = allowed_networks
    env.setdefault("SECRET_KEY", "check-source-command-tests-only-not-a-real-secret-key")
    return subprocess.run(
        [sys.executable, "manage.py", "check_source", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_prints_a_found_quote_as_json(fetch_server) -> None:
    url = fetch_server.serve("/budget", PAGE)
    completed = run_command(
        url,
        "--quote",
        "Дефицит бюджета сократится вдвое",
        "--format",
        "json",
        allowed_networks="127.0.0.1/32",
    )
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["status"] == "quote_found"
    assert data["http_status"] == 200
    assert data["title"] == "Бюджет"
    assert data["quote"]["method"] == "normalized"
    assert data["quote"]["passage"] == "дефицит бюджета сократится вдвое"
    assert data["error"] is None
    # Russian stays readable in the output rather than \u-escaped.
    assert "дефицит" in completed.stdout


def test_it_suggests_passages_for_a_claim(fetch_server) -> None:
    url = fetch_server.serve("/budget", PAGE)
    completed = run_command(
        url, "--claim", "Министр заявила о дефиците бюджета", allowed_networks="127.0.0.1/32"
    )
    assert completed.returncode == 0, completed.stderr
    data = json.loads(completed.stdout)
    assert data["status"] == "fetched"
    assert data["quote"] is None
    assert "дефицит бюджета" in data["suggestions"][0]["text"]


def test_a_refused_address_exits_3(fetch_server) -> None:
    url = fetch_server.serve("/budget", PAGE)
    completed = run_command(url, "--quote", "дефицит", "--format", "json", allowed_networks="")
    assert completed.returncode == 3
    assert json.loads(completed.stdout)["status"] == "blocked"
    assert f"Refused to fetch {url}" in completed.stderr
    assert fetch_server.requests == []


@pytest.mark.parametrize("path", ["/missing"])
def test_other_failures_exit_1_with_the_report(fetch_server, path: str) -> None:
    completed = run_command(
        fetch_server.url(path), "--format", "json", allowed_networks="127.0.0.1/32"
    )
    assert completed.returncode == 1
    data = json.loads(completed.stdout)
    assert data["status"] == "failed"
    assert "404" in data["error"]
    assert "Could not fetch" in completed.stderr


def test_a_bad_allowed_network_is_a_configuration_error(fetch_server) -> None:
    url = fetch_server.serve("/budget", PAGE)
    completed = run_command(url, allowed_networks="127.0.0.1/32,not-a-network")
    assert completed.returncode != 0
    assert "FETCH_ALLOWED_NETWORKS" in completed.stderr
    assert "not-a-network" in completed.stderr
    assert fetch_server.requests == []
