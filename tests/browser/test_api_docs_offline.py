"""Swagger UI renders the API from the app's own files, with no network beyond the app
and no complaint from the page's Content-Security-Policy."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.browser.helpers import log_in, user_with_role
from tests.factories import ProjectFactory


def test_swagger_ui_works_offline_under_the_sites_policy(browser, live_server, transactional_db):
    user_with_role(ProjectFactory(), "api-reader", "reviewer")
    base = live_server.url
    page = log_in(browser, base, "api-reader")
    outside: list[str] = []
    console: list[str] = []
    # Anything not served by the app is refused, as on a machine without a network.
    host = urlsplit(base).netloc

    def only_the_app(route):
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_app)
    page.on("console", lambda message: console.append(message.text))
    page.goto(base + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "factcheck API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock-tag", timeout=20_000)
    assert page.locator(".opblock").count() > 20
    assert outside == []
    assert [text for text in console if "Content Security Policy" in text] == []
    assert page.errors == []
