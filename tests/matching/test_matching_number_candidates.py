"""A rewording that spells its figures in words and shares few words with the archived
claim is still a candidate when many other claims share more of its words: the full-text
step also looks claims up by their figures, normalised ("5,7 млн" = "пять целых семь
десятых миллиона" = "5.7 million")."""

from __future__ import annotations

import pytest

from annotations.models import Claim, Role
from annotations.similar import CANDIDATES, similar_to_text
from tests.factories import MembershipFactory, ProjectFactory
from tests.helpers import document_of_claims

ARCHIVED_RU = "Безработица в стране выросла до 5,7 млн человек."
REWORDED_RU = "Число безработных граждан достигло пяти целых семи десятых миллиона."
ARCHIVED_EN = "Unemployment climbed to 5.7 million people."
REWORDED_EN = "The count of jobless citizens reached five point seven million."


def distractors_ru(count: int) -> list[str]:
    # Each shares more words with the rewording than the archived claim does.
    return [
        f"Число безработных граждан в районе {i} достигло {i + 10} тысяч, миллиона не будет."
        for i in range(count)
    ]


def distractors_en(count: int) -> list[str]:
    return [
        f"The count of jobless citizens in district {i} reached {i + 10} thousand, not a million."
        for i in range(count)
    ]


@pytest.fixture
def archive(db):
    project = ProjectFactory(language="ru")
    reader = MembershipFactory(project=project, role=Role.REVIEWER).user
    count = CANDIDATES + 60
    document_of_claims(project, distractors_ru(count), language="ru", title="Районы")
    document_of_claims(project, distractors_en(count), language="en", title="Districts")
    document_of_claims(project, [ARCHIVED_RU], language="ru", title="Март")
    document_of_claims(project, [ARCHIVED_EN], language="en", title="March")
    return project, reader


@pytest.mark.parametrize(
    ("reworded", "archived", "language"),
    [(REWORDED_RU, ARCHIVED_RU, "ru"), (REWORDED_EN, ARCHIVED_EN, "en")],
)
def test_a_rewording_in_words_finds_the_claim_in_figures_among_many_alike(
    archive, reworded, archived, language
):
    _project, reader = archive

    found = similar_to_text(reader, reworded, language=language, limit=5)

    assert found[0].text == archived, [match.text for match in found]


def test_the_figures_in_words_of_an_archived_claim_are_found_from_digits(archive):
    project, reader = archive
    document_of_claims(project, [REWORDED_RU], language="ru", title="Апрель")

    found = similar_to_text(reader, "Безработных стало 5,7 млн.", language="ru", limit=5)

    assert REWORDED_RU in [match.text for match in found]


def test_the_archive_knows_each_claims_figures_whatever_their_notation(archive):
    digits = Claim.objects.get(text=ARCHIVED_RU)
    words = document_of_claims(archive[0], [REWORDED_RU], language="ru").claims.get()

    assert digits.number_terms
    assert digits.number_terms == words.number_terms
