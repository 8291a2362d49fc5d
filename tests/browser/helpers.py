"""Helpers shared by the browser tests."""

from __future__ import annotations

from annotations.models import Membership, Profile
from tests.factories import UserFactory

PASSWORD = "correct horse battery"


def user_with_role(project, username: str, role: str, language: str = ""):
    user = UserFactory(username=username)
    user.set_password(PASSWORD)
    user.save()
    Membership.objects.create(project=project, user=user, role=role)
    if language:
        Profile.objects.create(user=user, language=language)
    return user


# Every page reports what its Content-Security-Policy refused, with the place.
CSP_LISTENER = """document.addEventListener('securitypolicyviolation', event => {
  console.error('CSP violation: ' + event.violatedDirective + ' ' + event.sourceFile + ':'
    + event.lineNumber + ' ' + event.sample);
});"""


def in_view(page, selector: str) -> bool:
    """Whether the element is (at least partly) inside the visible part of the page."""
    return page.evaluate(
        """selector => {
          const box = document.querySelector(selector).getBoundingClientRect();
          return box.bottom > 0 && box.top < window.innerHeight && box.height > 0;
        }""",
        selector,
    )


def overflows(page) -> bool:
    """Whether the page is wider than the screen (it would scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


def log_in(browser, base: str, username: str, width: int = 1280, height: int = 900):
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda message: errors.append(message.text) if "CSP violation" in message.text else None,
    )
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
    page.wait_for_load_state()
    page.errors = errors
    return page
