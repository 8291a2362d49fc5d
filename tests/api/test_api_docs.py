"""Swagger UI at /api/docs/: pinned assets served by the app, under the site's CSP."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from annotations.middleware import POLICY

pytestmark = pytest.mark.django_db


def test_swagger_ui_loads_only_the_apps_own_files_under_its_policy(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == POLICY
    page = response.content.decode()
    assert "<style" not in page and "cdn" not in page.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    # The bundle, its preset and the start-up script; no inline code.
    assert len(scripts) == 3 and page.count("<script") == 3
    static_prefix = static("")
    for asset in assets:
        assert asset.startswith("/"), asset
        if asset.startswith(static_prefix):
            assert finders.find(asset.removeprefix(static_prefix)), asset
    assert any("swagger-ui-bundle.js" in asset for asset in scripts)


def test_the_start_up_script_is_a_file_under_the_same_policy(client, reviewer):
    client.force_login(reviewer)
    page = client.get("/api/docs/").content.decode()
    start = next(s for s in re.findall(r'<script[^>]*src="([^"]+)"', page) if "script" in s)
    response = client.get(start.replace("&amp;", "&"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Content-Security-Policy"] == POLICY
    assert "/api/schema/" in response.content.decode()
