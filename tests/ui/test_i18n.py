"""The interface speaks Russian and English: every string is marked, the catalogue is whole."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType
from django.test import Client

from tests.factories import UserFactory
from tests.helpers import ROOT

TEMPLATE_DIRS = [ROOT / "templates"]
PO = ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")

# Words that are the same in every language: names and symbols.
NOT_TRANSLATED = {
    "factcheck", "htmx", "JSON", "CSV", "ClaimReview", "API", "URL", "ID", "Esc", "Ctrl",
}  # fmt: skip
TRANSLATABLE_ATTRIBUTE = re.compile(
    r'\b(?:title|placeholder|aria-label|alt|label)="([^"\x00]*[A-Za-zА-Яа-я][^"\x00]*)"'
)
TAG = re.compile(r"<[^>]*>", re.DOTALL)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1>", re.DOTALL | re.IGNORECASE)
ENTITY = re.compile(r"&[#\w]+;")


def unmarked_strings(source: str) -> list[str]:
    """Text a user would read that is not inside {% translate %} or {% blocktranslate %}."""
    # Template tags and variables become a placeholder, translated blocks vanish; what is
    # left is plain HTML whose text and labelling attributes must hold no words.
    skeleton: list[str] = []
    inside_block = 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans", "comment"):
                inside_block += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment"):
                inside_block -= 1
            skeleton.append("\x00")
        elif token.token_type == TokenType.TEXT and not inside_block:
            skeleton.append(token.contents)
        elif token.token_type == TokenType.VAR:
            skeleton.append("\x00")
    html = SCRIPT_OR_STYLE.sub(" ", "".join(skeleton))
    found = [m for m in TRANSLATABLE_ATTRIBUTE.findall(html) if m not in NOT_TRANSLATED]
    text = ENTITY.sub(" ", TAG.sub(" ", html))
    for word in re.findall(r"[A-Za-zА-Яа-яЁё]{2,}(?:[ '’-][A-Za-zА-Яа-яЁё]+)*", text):
        if word not in NOT_TRANSLATED:
            found.append(word)
    return found


def templates() -> list[Path]:
    return sorted(p for d in TEMPLATE_DIRS for p in d.rglob("*.html"))


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_template_string_is_marked_for_translation(template):
    assert unmarked_strings(template.read_text(encoding="utf-8")) == []


def test_the_check_catches_an_unmarked_string():
    source = '{% load i18n %}<p>{% translate "Fine" %}</p><button title="Save it">Save</button>'
    assert unmarked_strings(source) == ["Save it", "Save"]


def test_the_russian_catalogue_is_complete_and_compiled(tmp_path):
    """Extract messages from a copy of the code: nothing new, untranslated or fuzzy."""
    assert PO.exists() and MO.exists(), "run `make messages` and translate locale/ru"
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to check the catalogue (apt-get install gettext)")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "data", ".git", "node_modules", "staticfiles", "__pycache__", "*.mo"
        ),
    )
    env = {"DEBUG": "true", "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ru", "--no-obsolete",
         "--ignore", "tests/*", "--ignore", "bench/*"],
        cwd=copy, env={**env, "FACTCHECK_DATA_DIR": str(tmp_path / "data")},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    extracted = polib.pofile(str(copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"))
    committed = polib.pofile(str(PO))
    translated = {(e.msgctxt, e.msgid) for e in committed.translated_entries()}
    missing = [e.msgid for e in extracted if (e.msgctxt, e.msgid) not in translated]
    assert missing == [], f"{len(missing)} strings lack a Russian translation"
    assert [e.msgid for e in committed.fuzzy_entries()] == []
    # Russian has a fourth form, for fractions ("1,5 утверждения"); gettext refuses fewer.
    forms = int(committed.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [e.msgid for e in committed if e.msgid_plural and len(e.msgstr_plural) != forms]
    assert short == [], f"plural translations without all {forms} forms"
    compiled = polib.mofile(str(MO))
    assert {(e.msgctxt, e.msgid) for e in compiled} >= translated, "run `make messages`"


@pytest.mark.django_db
def test_the_profile_language_wins_over_the_browser(client: Client):
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    client.cookies.clear()
    client.force_login(user)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.headers["Content-Language"] == "ru"


@pytest.mark.django_db
def test_the_browser_language_is_used_without_a_profile_setting(client: Client):
    client.force_login(UserFactory())
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru").headers["Content-Language"] == "ru"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_api_errors_follow_accept_language():
    response = Client().get("/api/v1/projects/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 401
    assert "Учетные данные" in response.json()["detail"]


def test_percentages_are_set_as_each_language_sets_them():
    from django.utils import translation

    from annotations.templatetags.review import percent

    with translation.override("en"):
        assert percent(0.4) == "40%"
    with translation.override("ru"):
        assert percent(0.4) == "40\u00a0%"
    assert percent(None) == "—"
