"""A reviewer switches the interface to Russian in the header and reads the demo document
in it: labels, plurals and dates are Russian, and the choice outlives the session."""

from __future__ import annotations

import re

from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from annotations.models import Document, Profile, Role
from tests.browser.helpers import log_in, user_with_role


def russian_plural(count: int, one: str, few: str, many: str) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return one
    if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
        return few
    return many


def test_the_demo_document_reads_in_russian(browser, live_server, transactional_db):
    call_command("setup_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    document = Document.objects.get(project__slug="demo")
    reviewer = user_with_role(document.project, "rita", Role.REVIEWER)
    base = live_server.url
    page = log_in(browser, base, "rita")
    assert page.get_attribute("html", "lang") == "en"

    # The switcher in the header submits itself and comes back to the same page.
    with page.expect_navigation():
        page.select_option("#language-switch", "ru")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "ru"
    assert Profile.objects.get(user=reviewer).language == "ru"

    page.goto(f"{base}/documents/{document.pk}/")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "ru"
    assert page.inner_text(".crumbs").startswith("Проекты")
    assert page.inner_text(".export-label") == "Экспорт:"
    assert "Чтобы проверить утверждение" in page.inner_text(".document-column .hint")
    assert page.inner_text("nav").count("Моя очередь") == 1

    meta = " ".join(page.inner_text(".heading-row + p.meta").split())
    with translation.override("ru"):
        created = date_format(timezone.localtime(document.created_at), "DATE_FORMAT")
    assert re.fullmatch(r"\d{1,2} [а-я]+ \d{4} г\.", created), created
    assert created in meta
    claims = document.claims.count()
    noun = russian_plural(claims, "утверждение", "утверждения", "утверждений")
    assert f"· {claims} {noun} ·" in meta

    # A fresh session of the same reviewer opens in Russian: the profile remembers.
    again = log_in(browser, base, "rita")
    assert again.get_attribute("html", "lang") == "ru"
    assert page.errors == [] and again.errors == []
