"""Turning uploaded bytes and marked-up sources into the plain text that gets annotated."""

import pytest

from annotations.extraction import TextDecodeError, decode_text, guess_format, to_plain_text
from annotations.extraction.markup import DocumentTooLarge, check_size

RUSSIAN = "Москва и Казахстан подписали договор. Это важно."


def test_it_decodes_utf8_and_drops_a_byte_order_mark():
    assert decode_text(RUSSIAN.encode()) == RUSSIAN
    assert decode_text("\ufeff".encode() + RUSSIAN.encode()) == RUSSIAN


@pytest.mark.parametrize("data", [b"", b"   \n\t "])
def test_it_refuses_empty_input(data):
    with pytest.raises(TextDecodeError, match="empty") as error:
        decode_text(data)
    assert error.value.reason == "empty"


def test_it_recognises_cp1251_and_suggests_the_encoding():
    with pytest.raises(TextDecodeError, match="--encoding cp1251") as error:
        decode_text(RUSSIAN.encode("cp1251"))
    assert error.value.reason == "cp1251"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_it_recognises_utf16_and_suggests_the_encoding(codec):
    with pytest.raises(TextDecodeError, match="--encoding utf-16") as error:
        decode_text("Hello, world. Привет.".encode(codec))
    assert error.value.reason == "utf-16"


def test_it_decodes_with_an_explicit_encoding():
    assert decode_text(RUSSIAN.encode("cp1251"), "cp1251") == RUSSIAN
    assert decode_text(RUSSIAN.encode("utf-16"), "utf-16") == RUSSIAN


def test_it_refuses_binary_input():
    data = bytes(range(256)) * 4
    with pytest.raises(TextDecodeError, match="binary") as error:
        decode_text(data)
    assert error.value.reason == "binary"


def test_it_refuses_an_unknown_encoding():
    with pytest.raises(TextDecodeError, match="Unknown encoding") as error:
        decode_text(b"abc", "no-such-codec")
    assert error.value.reason == "unknown-encoding"


def test_it_reports_bytes_that_do_not_fit_the_given_encoding():
    with pytest.raises(TextDecodeError, match="not valid utf-8") as error:
        decode_text(b"\xff\xfe\xfa abc", "utf-8")
    assert error.value.reason == "undecodable"


def test_a_decode_error_is_a_value_error():
    assert issubclass(TextDecodeError, ValueError)


def test_plain_text_stays_as_it_is():
    plain = to_plain_text("Текст *без* разметки.", "text")
    assert plain.text == "Текст *без* разметки."
    assert plain.links == []


def test_markdown_loses_its_markup_but_keeps_link_text_and_offsets():
    source = (
        "# Итоги года\n\n"
        "По данным **Росстата**, инфляция [снизилась](https://rosstat.gov.ru/a) до _6%_.\n"
        "- пункт с `кодом`\n"
        "> цитата\n"
        "See [the report][r].\n\n"
        "[r]: https://example.org/report"
    )
    plain = to_plain_text(source, "markdown")
    assert plain.text.splitlines()[0] == "Итоги года"
    assert "По данным Росстата, инфляция снизилась до 6%." in plain.text
    assert "- пункт с кодом" in plain.text
    assert "цитата" in plain.text and ">" not in plain.text
    assert "[r]:" not in plain.text
    urls = [link["url"] for link in plain.links]
    assert urls == ["https://rosstat.gov.ru/a", "https://example.org/report"]
    for link in plain.links:
        assert plain.text[link["start"] : link["end"]] == link["text"]
    assert [link["text"] for link in plain.links] == ["снизилась", "the report"]


def test_markdown_keeps_snake_case_and_arithmetic():
    plain = to_plain_text("Поле user_name и 2 * 3 * 4.", "markdown")
    assert plain.text == "Поле user_name и 2 * 3 * 4."


def test_html_keeps_blocks_as_lines_and_drops_scripts():
    source = (
        "<html><head><style>p{}</style><title>T</title></head><body>"
        "<h1>Заголовок</h1><p>Первый &laquo;абзац&raquo; с <a href='https://a.example/x'>"
        "ссылкой</a>.<br>Вторая строка.</p><script>alert(1)</script>"
        "<ul><li>один</li><li>два</li></ul><div>Конец &amp; всё.</div></body></html>"
    )
    plain = to_plain_text(source, "html")
    assert plain.text.splitlines() == [
        "Заголовок",
        "Первый «абзац» с ссылкой.",
        "Вторая строка.",
        "один",
        "два",
        "Конец & всё.",
    ]
    (link,) = plain.links
    assert link["url"] == "https://a.example/x"
    assert plain.text[link["start"] : link["end"]] == "ссылкой" == link["text"]


def test_it_guesses_the_format_from_the_name_or_the_content():
    assert guess_format("article.md", "") == "markdown"
    assert guess_format("page.HTML", "") == "html"
    assert guess_format("notes.txt", "# not a heading") == "text"
    assert guess_format(None, "<!DOCTYPE html><html><body>x</body></html>") == "html"
    assert guess_format(None, "# Title\n\nSome **bold** text.") == "markdown"
    assert guess_format(None, "Просто текст. Без разметки.") == "text"


def test_it_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="unknown format"):
        to_plain_text("x", "rtf")


def test_it_checks_the_size_limit():
    check_size("a" * 10, limit_chars=10)
    with pytest.raises(DocumentTooLarge, match="11 characters; the limit is 10"):
        check_size("a" * 11, limit_chars=10)


def test_links_become_candidate_sources_of_the_claim_that_holds_them():
    from annotations.extraction import extract_claims
    from annotations.extraction.markup import links_within

    plain = to_plain_text(
        "Inflation fell, [the agency said](https://stat.example/r). Prices rose.", "markdown"
    )
    first, second = extract_claims(plain.text, entities=False)
    assert [link["url"] for link in links_within(first.start, first.end, plain.links)] == [
        "https://stat.example/r"
    ]
    assert links_within(second.start, second.end, plain.links) == []
