"""Full-text search over claims and titles: word forms in Russian and English, scoped."""

from __future__ import annotations

import pytest

from annotations import selectors
from annotations.models import Claim
from annotations.search import query_words, search_claims, search_documents
from tests.factories import DocumentFactory, ProjectFactory

RUSSIAN = (
    "Казахстан увеличил экспорт зерна в Россию. "
    "Переговоры о торговле прошли в Астане. "
    "Погода в Москве была тёплой."
)
ENGLISH = (
    "The ministry said exports grew by five percent. "
    "Running costs of the railways fell. "
    "Kazakhstan signed new trade agreements."
)


def _document(project, text: str, language: str, title: str = "Article"):
    """A document whose claims are its sentences, in order."""
    document = DocumentFactory(project=project, text=text, language=language, title=title)
    start = 0
    for position, sentence in enumerate(text.split(". ")):
        end = start + len(sentence) + (1 if not sentence.endswith(".") else 0)
        end = min(end, len(text))
        Claim.objects.create(
            document=document, position=position, start=start, end=end, text=text[start:end]
        )
        start = end + 1
    return document


def _texts(claims) -> list[str]:
    return sorted(claim.text for claim in claims)


@pytest.fixture
def archive(db):
    project = ProjectFactory()
    russian = _document(project, RUSSIAN, "ru", title="Отношения с Казахстаном")
    english = _document(project, ENGLISH, "en", title="Railway reports")
    return project, russian, english


def test_a_russian_word_form_finds_another_form(archive):
    found = search_claims("в Казахстане")
    assert _texts(found) == ["Казахстан увеличил экспорт зерна в Россию."]


def test_every_word_of_the_query_must_match(archive):
    assert _texts(search_claims("переговорах в Астане")) == [
        "Переговоры о торговле прошли в Астане."
    ]
    assert list(search_claims("переговорах в Москве")) == []


def test_any_word_finds_candidates_for_each_word(archive):
    found = search_claims("переговорах в Москве", match="any")
    assert _texts(found) == [
        "Переговоры о торговле прошли в Астане.",
        "Погода в Москве была тёплой.",
    ]


def test_a_russian_verb_form_finds_another_form(archive):
    assert _texts(search_claims("увеличит")) == ["Казахстан увеличил экспорт зерна в Россию."]


def test_english_word_forms_match(archive):
    assert _texts(search_claims("run", language="en")) == ["Running costs of the railways fell."]
    assert _texts(search_claims("exported")) == ["The ministry said exports grew by five percent."]


def test_english_plural_and_singular_match(archive):
    assert _texts(search_claims("railway cost")) == ["Running costs of the railways fell."]
    assert _texts(search_claims("agreement", language="en")) == [
        "Kazakhstan signed new trade agreements."
    ]


def test_a_latin_word_is_found_in_either_language(archive):
    assert _texts(search_claims("Kazakhstan")) == ["Kazakhstan signed new trade agreements."]


def test_a_query_of_function_words_finds_nothing(archive):
    assert query_words("в и the of") == []
    assert list(search_claims("в и the of")) == []


def test_search_is_limited_to_the_scope(archive, outsider):
    _project, russian, _ = archive
    assert list(search_claims("Казахстан", scope=selectors.claims_for(outsider))) == []
    scoped = search_claims("Казахстан", scope=Claim.objects.filter(document=russian))
    assert len(scoped) == 1


def test_search_follows_edits_and_deletes(archive):
    _, russian, _ = archive
    claim = Claim.objects.get(document=russian, position=2)
    Claim.objects.filter(pk=claim.pk).update(start=claim.start, text=claim.text)
    assert _texts(search_claims("погоду")) == ["Погода в Москве была тёплой."]
    claim.delete()
    assert list(search_claims("погоду")) == []


def test_better_matches_rank_higher(archive):
    project, _, _ = archive
    _document(project, "Казахстан и Казахстан снова. Рядом был Казахстан.", "ru")
    ranked = list(search_claims("Казахстан", ranked=True).order_by("-search_rank", "pk"))
    assert ranked[0].text == "Казахстан и Казахстан снова."


def test_lists_in_an_order_of_their_own_do_not_pay_for_a_rank(archive, reviewer):
    """A rank per row of a common word is what made the queue's search slow in a large
    archive on SQLite; the queue, the API and the admin order by their own columns."""
    ranked = search_claims("Казахстан", ranked=True)
    listed = selectors.queue_for(reviewer, selectors.QueueFilters(query="Казахстан"))
    assert "rank" in str(ranked.query)
    assert "rank" not in str(listed.query)
    assert "rank" not in str(search_claims("Казахстан").query)


def test_documents_are_found_by_title_word_forms(archive):
    project, russian, english = archive
    scope = project.documents.all()
    assert list(search_documents("казахстан", scope=scope, in_text=False)) == [russian]
    assert list(search_documents("railways report", scope=scope, in_text=False)) == [english]


def test_documents_are_found_by_their_claims(archive):
    project, russian, english = archive
    scope = project.documents.all()
    assert list(search_documents("Астаной", scope=scope)) == [russian]
    assert list(search_documents("agreement", scope=scope)) == [english]


def test_a_document_is_found_by_its_text_whatever_became_of_its_claims(archive):
    """The list finds an article by what it says: a claim put in the trash is a
    reviewer's decision about the claim, not about the article's words."""
    from django.utils import timezone

    project, russian, _ = archive
    Claim.objects.filter(document=russian, text__contains="Астане").update(
        deleted_at=timezone.now()
    )
    assert list(search_documents("Астане", scope=project.documents.all())) == [russian]
    assert list(search_documents("Астане", scope=project.documents.all(), in_text=False)) == []


def test_every_word_may_be_anywhere_in_the_text_but_all_must_be_there(archive):
    project, russian, _ = archive
    scope = project.documents.all()
    # "зерна" and "Москве" are in two sentences of the same article.
    assert list(search_documents("зерно Москва", scope=scope)) == [russian]
    assert list(search_documents("зерно railways", scope=scope)) == []


def test_a_renamed_document_is_found_by_its_new_title_only(archive):
    """The title's search vector is kept in a column on PostgreSQL: it must follow edits."""
    project, russian, _ = archive
    scope = project.documents.all()
    russian.title = "Пенсионная реформа"
    russian.save(update_fields=["title"])
    assert list(search_documents("пенсионной", scope=scope, in_text=False)) == [russian]
    assert list(search_documents("Казахстаном", scope=scope, in_text=False)) == []
