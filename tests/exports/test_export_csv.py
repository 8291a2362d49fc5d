from __future__ import annotations

import csv
import io

import pytest

from annotations.exports import export_stream
from annotations.exports.tabular import COLUMNS
from annotations.models import Claim, Document
from tests.factories import ClaimFactory, DocumentFactory, ProjectFactory, UserFactory
from tests.helpers import TRICKY_TEXTS, as_the_csv_module_writes, newsroom, newsrooms


def delimiter_of(text: str) -> str:
    return text[len("\ufeffdocument_id")]


def table(**kwargs) -> tuple[str, list[dict]]:
    kwargs.setdefault("documents", Document.objects.all())
    text = "".join(export_stream(fmt="csv", **kwargs))
    assert text.startswith("\ufeff")
    rows = csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=delimiter_of(text))
    return text, list(rows)


def test_it_has_one_row_per_claim_that_parses_back(db):
    room = newsroom()
    text, found = table()

    assert text[1:].splitlines()[0].split(";") == list(COLUMNS)
    assert [int(row["claim_id"]) for row in found] == [c.pk for c in room.claims[:4]]
    first = found[0]
    assert first["document_id"] == str(room.document.pk)
    assert first["document_title"] == "Экспорт растёт"
    assert first["text"] == room.claims[0].text
    assert (int(first["start"]), int(first["end"])) == (room.claims[0].start, room.claims[0].end)
    assert first["kind"] == "fact"
    assert first["checkworthiness"] == "0,8"  # a Russian project's decimal comma
    assert first["status"] == "published"
    assert first["rating"] == "mostly_false"
    assert first["rating_numeric_value"] == "3"
    assert first["rationale"] == "Росстат даёт 3,9%, а не 5%."
    assert first["source_urls"] == "https://stat.example/exports-2023"


def test_labels_are_in_the_project_language_and_values_stay_english(db):
    newsroom()
    _text, russian = table()
    _text, english = table(language="en")

    assert russian[0]["rating_label"] == "В основном ложь"
    assert english[0]["rating_label"] == "Mostly false"
    assert russian[0]["rating"] == english[0]["rating"] == "mostly_false"
    assert english[0]["kind_label"] == "Fact"
    assert english[0]["status_label"] == "Published"
    assert russian[0]["status"] == english[0]["status"] == "published"


def test_the_file_is_utf8_with_a_byte_order_mark_for_excel(db):
    newsroom()
    data = "".join(export_stream(documents=Document.objects.all(), fmt="csv")).encode("utf-8")

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1][1] == "Экспорт растёт"


def test_quotes_commas_and_line_breaks_survive(db):
    room = newsroom()
    Claim.objects.filter(pk=room.claims[3].pk).update(assignee=room.reviewer)
    tricky = 'Он сказал: "да, конечно",\nи ушёл'
    Document.objects.filter(pk=room.document.pk).update(title=tricky)

    _text, found = table()

    assert found[0]["document_title"] == tricky
    assert found[3]["assignee"] == "reviewer"
    assert found[2]["rating"] == ""


def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(db):
    room = newsroom()
    Document.objects.filter(pk=room.document.pk).update(title="=HYPERLINK(1)")

    _text, found = table()

    assert found[0]["document_title"] == "'=HYPERLINK(1)"


def test_an_assignee_whose_name_a_spreadsheet_would_run_is_defused(db):
    room = newsroom()
    # Django's user names may open with "@", "+" or "-", which spreadsheets run.
    user = UserFactory(username="@bot+1")
    Claim.objects.filter(document=room.document).update(assignee=user)

    _text, found = table()

    assert {row["assignee"] for row in found} == {"'@bot+1"}


def test_the_rows_are_the_bytes_the_csv_module_writes(db):
    # Titles, texts, rationales, URLs, labels and user names with commas, quotes, line
    # breaks and formula starts; floats that repr writes in every form.
    newsrooms()

    for language in (None, "en", "ru"):
        text = "".join(
            export_stream(documents=Document.objects.all(), fmt="csv", language=language)
        )
        delimiter = delimiter_of(text)
        assert text[1:] == as_the_csv_module_writes(text[1:], delimiter)
        assert text.count("\r\n") > len(TRICKY_TEXTS) * 6
        assert f'{delimiter}""""{delimiter}' in text  # a lone quote, doubled and quoted
        assert "'=SUM(A1:A2)" in text


def test_it_writes_one_project_some_claims_and_nothing_the_same_way(db):
    newsrooms()
    every_third = Claim.objects.order_by("pk").values_list("pk", flat=True)[::3]
    scopes = [
        {"documents": Document.objects.filter(project__language="en")},
        {"claims": Claim.objects.filter(pk__in=list(every_third))},
        {"documents": Document.objects.none()},
    ]

    for scope in scopes:
        text = "".join(export_stream(fmt="csv", **scope))
        assert text[1:] == as_the_csv_module_writes(text[1:], delimiter_of(text))
    assert text == "\ufeff" + ",".join(COLUMNS) + "\r\n"


def _closed_early() -> None:
    """Read the start of an export of several chunks and close it."""
    paragraph = "Экспорт вырос. " * 20
    document = DocumentFactory(text=paragraph * 1200)
    Claim.objects.bulk_create(
        Claim(
            document=document,
            position=position,
            start=position * len(paragraph),
            end=(position + 1) * len(paragraph),
            text=paragraph,
        )
        for position in range(1200)
    )
    stream = export_stream(documents=Document.objects.all(), fmt="csv")
    next(stream)
    next(stream)
    stream.close()


def test_a_stream_closed_early_in_a_transaction_leaves_it_usable(db):
    _closed_early()

    assert Claim.objects.count() == 1200


@pytest.mark.django_db(transaction=True)
def test_a_stream_closed_early_outside_a_transaction_leaves_the_connection_usable():
    _closed_early()

    assert Claim.objects.count() == 1200


def test_a_russian_project_is_separated_by_semicolons_and_an_english_one_by_commas(db):
    newsroom()
    english = ProjectFactory(language="en")
    text = "Exports, said the minister, grew."
    ClaimFactory(document__project=english, document__text=text, text=text, start=0, end=len(text))

    russian = "".join(export_stream(fmt="csv", documents=Document.objects.exclude(project=english)))
    in_english = "".join(export_stream(fmt="csv", documents=english.documents.all()))
    relabelled = "".join(export_stream(fmt="csv", documents=english.documents.all(), language="ru"))
    chosen = "".join(
        export_stream(fmt="csv", documents=english.documents.all(), language="ru", delimiter=",")
    )

    assert delimiter_of(russian) == ";"
    assert delimiter_of(in_english) == ","
    assert '"Exports, said the minister, grew."' in in_english
    assert delimiter_of(relabelled) == ";"
    assert "Exports, said the minister, grew." in relabelled.split(";")
    assert delimiter_of(chosen) == ","


def test_fractions_have_a_decimal_comma_with_semicolons_and_a_point_with_commas(db):
    room = newsroom()
    text = "Exports grew 2.5 times, to 0.8 trillion."
    claim = ClaimFactory(
        document__project=room.project,
        document__text=text,
        text=text,
        start=0,
        end=len(text),
        checkworthiness=0.125,
    )

    _text, semicolons = table()
    _text, commas = table(delimiter=",")

    by_id = {int(row["claim_id"]): row for row in semicolons}
    assert by_id[room.claims[0].pk]["checkworthiness"] == "0,8"
    assert by_id[claim.pk]["checkworthiness"] == "0,125"
    assert by_id[room.claims[0].pk]["rating_numeric_value"] == "3"  # whole numbers stay
    # Words stay as written, points and all; so do document ids and offsets.
    assert by_id[claim.pk]["text"] == text
    assert by_id[room.claims[0].pk]["rationale"] == "Росстат даёт 3,9%, а не 5%."
    by_id = {int(row["claim_id"]): row for row in commas}
    assert by_id[room.claims[0].pk]["checkworthiness"] == "0.8"
    assert by_id[claim.pk]["checkworthiness"] == "0.125"
    assert by_id[claim.pk]["text"] == text


def test_an_unknown_delimiter_is_refused_before_anything_is_read(db):
    with pytest.raises(ValueError, match="tab"):
        export_stream(fmt="csv", documents=Document.objects.all(), delimiter="tab")


@pytest.mark.parametrize(
    "text",
    ["-5% за год", "+7 (495) 123-45-67", "-3% by 2030, said (the) minister", "\tTabbed", "Plain"],
)
def test_the_formula_guard_never_changes_a_claim_that_is_data(db, text):
    ClaimFactory(text=text, start=0, end=len(text), document__text=text)

    _text, (row,) = table()

    assert row["text"] == text


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "@SUM(A1:A9)",
        '+HYPERLINK("https://evil.example","click")',
        "-2+3+cmd|' /C calc'!A0",
        "\t=SUM(A1)",
        "\r-IMPORTXML(A1)",
    ],
)
def test_the_formula_guard_defuses_what_a_spreadsheet_would_run(db, text):
    ClaimFactory(text=text, start=0, end=len(text), document__text=text)

    _text, (row,) = table()

    assert row["text"] == "'" + text
