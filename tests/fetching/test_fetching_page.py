"""Turning fetched bytes into page text and metadata."""

from __future__ import annotations

import codecs

import pytest

from annotations.fetching.client import FetchResult, fetch
from annotations.fetching.page import compress_body, decode_body, decompress_body, extract_page

pytest_plugins = ["tests.fetch_server"]

RUSSIAN = (
    "Министр финансов заявила, что дефицит бюджета сократится вдвое к концу следующего года. "
    "Эксперты считают прогноз чересчур оптимистичным: доходы от экспорта снижаются, "
    "а расходы на социальные программы растут. Съешь же ещё этих мягких французских булок."
)

ARTICLE = f"""<!doctype html>
<html lang="ru"><head>
<meta charset="{{charset}}">
<title>Дефицит бюджета сократится вдвое</title>
<meta name="author" content="Анна Смирнова">
<meta property="og:site_name" content="Вестник">
<meta property="article:published_time" content="2024-03-05T10:00:00+03:00">
</head><body>
<nav><a href="/">Главная</a> <a href="/news">Новости</a></nav>
<article><h1>Дефицит бюджета сократится вдвое</h1>
<p>{RUSSIAN}</p>
<p>Второй абзац рассказывает, как именно министерство считало прогноз и кто его оспорил.</p>
</article>
<footer>Подписывайтесь на рассылку редакции</footer>
</body></html>"""


def result_for(body: bytes, content_type: str = "text/html", charset: str | None = None):
    return FetchResult(
        url="https://example.org/a",
        final_url="https://example.org/a",
        status=200,
        content_type=content_type,
        charset=charset,
        body=body,
        sha256="",
        headers={},
        redirects=[],
        elapsed=0.0,
    )


def test_the_header_charset_wins() -> None:
    body = ARTICLE.format(charset="utf-8").encode("cp1251")
    text, charset = decode_body(body, "windows-1251")
    assert charset == "cp1251"
    assert RUSSIAN in text


def test_a_meta_charset_is_used_without_a_header_charset() -> None:
    text, charset = decode_body(ARTICLE.format(charset="windows-1251").encode("cp1251"), None)
    assert charset == "cp1251"
    assert RUSSIAN in text


def test_the_charset_is_detected_when_nothing_declares_it() -> None:
    text, _charset = decode_body(RUSSIAN.encode("cp1251"), None, "text/plain")
    assert text == RUSSIAN


def test_a_byte_order_mark_wins() -> None:
    text, charset = decode_body(codecs.BOM_UTF8 + RUSSIAN.encode(), "windows-1251")
    assert (text, charset) == (RUSSIAN, "utf-8-sig")


def test_latin_1_is_read_as_windows_1252() -> None:
    text, charset = decode_body(b"\x93quoted\x94", "iso-8859-1", "text/plain")
    assert (text, charset) == ("“quoted”", "cp1252")


def test_an_unknown_charset_falls_back_to_detection() -> None:
    text, _charset = decode_body(b"<p>ok</p>", "no-such-charset")
    assert text == "<p>ok</p>"


def test_it_extracts_main_text_and_metadata() -> None:
    page = extract_page(result_for(ARTICLE.format(charset="utf-8").encode(), charset="utf-8"))
    assert page.title == "Дефицит бюджета сократится вдвое"
    assert page.author == "Анна Смирнова"
    assert page.date == "2024-03-05"
    assert page.site_name == "Вестник"
    assert page.language == "ru"
    assert page.url == "https://example.org/a"
    assert RUSSIAN in page.text
    assert "Подписывайтесь" not in page.text
    assert "Подписывайтесь" in page.full_text
    assert "Главная" in page.full_text


def test_a_plain_text_page_is_passed_through() -> None:
    page = extract_page(result_for(RUSSIAN.encode("cp1251"), "text/plain", "windows-1251"))
    assert page.text == page.full_text == RUSSIAN
    assert page.title is None


def test_an_empty_page_gives_empty_text() -> None:
    page = extract_page(result_for(b"", charset="utf-8"))
    assert page.text == ""


def test_a_windows_1251_page_decodes_end_to_end(fetch_server, local_fetch_config) -> None:
    body = ARTICLE.format(charset="windows-1251").encode("cp1251")
    url = fetch_server.serve("/cp1251", body, content_type="text/html")
    page = extract_page(fetch(url, local_fetch_config))
    assert page.charset == "cp1251"
    assert RUSSIAN in page.text


@pytest.mark.parametrize("limit", [10, 10_000])
def test_compressed_bodies_round_trip_within_the_limit(limit: int) -> None:
    body = ARTICLE.encode() * 20
    stored = compress_body(body, limit)
    assert decompress_body(stored) == body[:limit]
    assert compress_body(body, limit) == stored


def test_an_xhtml_page_with_an_xml_declaration_is_read() -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>X</title></head><body><p>{RUSSIAN}</p><footer>Подвал</footer></body></html>"
    ).encode()
    page = extract_page(result_for(body, "application/xhtml+xml", "utf-8"))
    assert RUSSIAN in page.text
    assert "Подвал" in page.full_text
    assert "<?xml" not in page.full_text
