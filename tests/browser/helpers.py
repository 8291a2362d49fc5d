"""Helpers shared by the browser tests."""

from __future__ import annotations

from annotations.models import Membership
from tests.factories import UserFactory

PASSWORD = "correct horse battery"


def user_with_role(project, username: str, role: str):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(project=project, user=user, role=role)
    return user


def log_in(browser, base: str, username: str, width: int = 1280, height: int = 900):
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    page.wait_for_load_state()
    page.errors = errors
    return page
