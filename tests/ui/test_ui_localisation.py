"""Dates, numbers, plurals and history lines follow the reader's language."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from annotations.models import Claim, Document, Role, Source
from annotations.services.agreement import agreement_for_document
from annotations.services.history import history_record_changes
from annotations.services.matching import claim_link_same, verdict_carry_over
from annotations.services.progress import document_progress_refresh
from annotations.services.sources import source_attach
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.versions import document_add_version
from annotations.services.workflow import claim_update
from tests.factories import ClaimFactory, DocumentFactory
from tests.helpers import document_of_claims
from tests.ui_helpers import HTMX, login

pytestmark = pytest.mark.django_db

NOON_25_NOVEMBER = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def page(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language
    return response.content.decode()


def claims_in(document: Document, count: int) -> None:
    for position in range(count):
        ClaimFactory(document=document, position=position, checkworthiness=0.1)


@pytest.mark.parametrize(
    ("language", "date", "progress"),
    [
        ("en", "Nov. 25, 2026", "1 of 2 reviewed"),
        ("ru", "25 ноября 2026 г.", "проверено 1 из 2"),
    ],
)
def test_the_document_list_shows_dates_and_counts_in_the_readers_language(
    client, project, reviewer, language, date, progress
):
    login(client, reviewer)
    document = DocumentFactory(project=project)
    Document.objects.filter(pk=document.pk).update(created_at=NOON_25_NOVEMBER)
    ClaimFactory(document=document, position=0, status="reviewed")
    ClaimFactory(document=document, position=1)
    # Claims made here bypass the services, which keep the counts: recount them.
    document_progress_refresh(document_ids=[document.pk])

    html = page(client, reverse("document_list", args=[project.slug]), language)

    assert f"<td>{date}</td>" in html
    assert progress in html


@pytest.mark.parametrize(
    ("count", "english", "russian"),
    [
        (1, "1 claim", "1 утверждение"),
        (3, "3 claims", "3 утверждения"),
        (5, "5 claims", "5 утверждений"),
        (11, "11 claims", "11 утверждений"),
        (21, "21 claims", "21 утверждение"),
    ],
)
def test_the_claim_count_takes_the_plural_form_of_its_number(
    client, project, reviewer, count, english, russian
):
    login(client, reviewer)
    document = DocumentFactory(project=project, text="A claim to check. " * count)
    claims_in(document, count)
    url = reverse("document_detail", args=[document.pk])

    assert f"· {english}\n" in page(client, url, "en")
    assert f"· {russian}\n" in page(client, url, "ru")


def test_agreement_figures_use_the_languages_decimal_separator(client, project, member):
    editor = member(Role.EDITOR)
    reviewers = [member(Role.REVIEWER) for _ in range(2)]
    document = DocumentFactory(project=project, text="A claim to check. " * 3)
    for position, ratings in enumerate([("true", "true"), ("false", "mostly_false")]):
        claim = ClaimFactory(
            document=document, position=position, start=position * 18, end=position * 18 + 17
        )
        for reviewer, rating in zip(reviewers, ratings, strict=True):
            verdict_submit(claim=claim, actor=reviewer, rating=rating, rationale="Checked.")
    alpha = agreement_for_document(document).alpha
    assert alpha is not None and round(alpha, 2) != round(alpha)
    login(client, editor)
    url = reverse("document_detail", args=[document.pk])

    english, russian = page(client, url, "en"), page(client, url, "ru")

    assert f"<strong>{alpha:.2f}</strong>" in english
    assert f"<strong>{alpha:.2f}</strong>".replace(".", ",") in russian
    assert "2 claims with two or more verdicts\n  (4 verdicts)" in english
    assert "2 утверждения с двумя и более вердиктами\n  (4 вердикта)" in russian


def test_the_history_names_each_change_as_one_phrase(client, project, reviewer):
    login(client, reviewer)
    claim = ClaimFactory(document=DocumentFactory(project=project))
    claim_update(claim=claim, actor=reviewer, expected_version=claim.version, kind="opinion")
    verdict_submit(claim=claim, actor=reviewer, rating="true", rationale="Checked.")
    url = reverse("document_detail", args=[claim.document_id]) + f"?claim={claim.pk}"

    english = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    russian = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    for phrase in ("Claim created", "Claim changed", "Verdict given"):
        assert phrase in english
    for phrase in ("Утверждение создано", "Утверждение изменено", "Вынесен вердикт"):
        assert phrase in russian


def test_how_alike_an_earlier_claim_is_is_said_in_words_not_a_bare_number(client, project, editor):
    earlier = document_of_claims(
        project, ["Экспорт вырос на 5,7% в 2023 году."], language="ru", title="Торговля"
    ).claims.get()
    claim = document_of_claims(
        project, ["В 2023 году экспорт вырос на 5,7%."], language="ru", title="Повтор"
    ).claims.get()
    login(client, editor)

    html = client.get(
        reverse("claim_similar", args=[claim.pk]), HTTP_ACCEPT_LANGUAGE="ru", headers=HTMX
    ).content.decode()

    assert f"#{earlier.pk}" in html
    assert re.search(r"сходство\s+0,\d\d", html), html


def test_a_sources_address_is_named_in_russian_in_the_history(client, project, reviewer):
    login(client, reviewer)
    claim = ClaimFactory(document=DocumentFactory(project=project))
    source_attach(claim=claim, actor=reviewer, url="https://example.org/report", quote="grew")
    url = reverse("document_detail", args=[claim.document_id]) + f"?claim={claim.pk}"

    russian = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "<li>адрес: <ins>https://example.org/report</ins></li>" in russian
    assert "URL:" not in russian


def test_figures_in_the_history_have_the_russian_decimal_comma(client, project, reviewer):
    login(client, reviewer)
    claim = ClaimFactory(document=DocumentFactory(project=project), checkworthiness=0.25)
    claim_update(claim=claim, actor=reviewer, expected_version=claim.version, kind="opinion")
    Claim.objects.filter(pk=claim.pk).update(checkworthiness=0.875)
    claim.refresh_from_db()
    claim.save()  # a change of its score, as a re-extraction records it
    url = reverse("document_detail", args=[claim.document_id]) + f"?claim={claim.pk}"

    russian = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "<del>0,25</del> → <ins>0,875</ins>" in russian
    assert "0.875" not in russian


def test_the_legend_explains_the_mark_of_a_claim_checked_before(client, project, reviewer):
    login(client, reviewer)
    document = DocumentFactory(project=project)

    russian = client.get(
        reverse("document_detail", args=[document.pk]), HTTP_ACCEPT_LANGUAGE="ru"
    ).content.decode()

    legend = russian.split('<ul class="legend"')[1].split("</ul>")[0]
    assert '<span class="swatch checked-before-mark"></span>Проверялось раньше' in legend


def test_a_claim_moved_by_the_watcher_reads_in_russian_in_the_history(client, project, reviewer):
    login(client, reviewer)
    text = "Exports grew by 5% in 2023. Imports fell."
    document = DocumentFactory(project=project, text=text)
    claim = ClaimFactory(document=document, start=0, end=27, position=0)
    # The watcher runs outside any request, in the default language.
    with translation.override("en"):
        new = document_add_version(document=document, actor=None, text=text + " More.").document
    url = reverse("document_detail", args=[new.pk]) + f"?claim={claim.pk}"

    russian = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    english = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "(перепривязано к версии 2 документа)" in russian
    assert "Re-anchored" not in russian
    assert "(re-anchored onto version 2 of the document)" in english


def test_why_a_claim_changed_after_a_match_is_said_in_russian(client, project, editor):
    earlier, claim = (
        document_of_claims(project, [text], language="ru", title=title).claims.get()
        for text, title in (
            ("Экспорт вырос на 5,7% в 2023 году.", "Торговля"),
            ("В 2023 году экспорт вырос на 5,7%.", "Повтор"),
        )
    )
    claim_set_final_verdict(claim=earlier, actor=editor, rating="true", rationale="ФТС.")
    claim_link_same(claim=claim, same_as=earlier, actor=editor)
    verdict_carry_over(claim=claim, actor=editor, earlier=earlier)
    login(client, editor)
    url = reverse("document_detail", args=[claim.document_id]) + f"?claim={claim.pk}"

    russian = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "(отмечено как то же утверждение)" in russian
    assert "(вердикт перенесён)" in russian
    assert "same claim" not in russian and "carried over" not in russian


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("Экспорт вырос на 5%.".encode("cp1251"), "похоже на текст в Windows-1251"),
        ("Экспорт вырос на 5%.".encode("utf-16"), "в кодировке UTF-16"),
        (bytes(range(256)), "это двоичный файл, а не текст"),
    ],
    ids=["cp1251", "utf-16", "binary"],
)
def test_a_file_that_is_not_utf8_text_is_refused_in_russian(client, project, editor, content, said):
    login(client, editor)
    upload = SimpleUploadedFile("note.txt", content, "text/plain")

    response = client.post(
        reverse("document_new", args=[project.slug]),
        {"via": "upload", "upload-file": upload, "upload-title": ""},
        HTTP_ACCEPT_LANGUAGE="ru",
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert said in page
    assert "--encoding" not in page and "The input" not in page


def test_why_a_source_was_not_fetched_reads_in_russian_in_the_history(client, project, reviewer):
    login(client, reviewer)
    claim = ClaimFactory(document=DocumentFactory(project=project))
    source = source_attach(claim=claim, actor=reviewer, url="https://example.org/gone")
    Source.objects.filter(pk=source.pk).update(
        fetch_state="failed",
        fetch_error="The server answered with status 404.",
        fetch_error_code="http_status",
        fetch_error_params={"status": 404},
    )
    source.refresh_from_db()
    history_record_changes([source], actor=None)
    url = reverse("document_detail", args=[claim.document_id]) + f"?claim={claim.pk}"

    russian = client.get(url, headers=HTMX, HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "<ins>Сервер ответил кодом 404.</ins>" in russian
    assert "The server answered" not in russian
