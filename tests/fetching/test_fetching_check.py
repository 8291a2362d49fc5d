"""Checking a source end to end, without Django."""

from __future__ import annotations

import json

from annotations.fetching.check import check_source
from annotations.fetching.client import FetchConfig

pytest_plugins = ["tests.fetch_server"]

PAGE = """<html><head><title>Бюджет на 2026 год</title></head><body>
<nav>Главная · Новости · Контакты</nav>
<article><h1>Бюджет на 2026 год</h1>
<p>Министр финансов заявила, что «дефицит бюджета сократится вдвое к 2026 году». Это стало
известно в среду из официального сообщения министерства, опубликованного на сайте.</p>
<p>Эксперты назвали прогноз оптимистичным, ведь доходы от экспорта снижаются третий год.</p>
</article>
<footer>Редакция не несёт ответственности за комментарии читателей</footer>
</body></html>"""


def test_a_found_quote_is_reported(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/budget", PAGE)
    report = check_source(url, quote="дефицит бюджета сократится вдвое", config=local_fetch_config)
    data = report.to_dict()
    assert data["status"] == "quote_found"
    assert data["http_status"] == 200
    assert data["final_url"] == url
    assert data["title"] == "Бюджет на 2026 год"
    assert data["quote"]["found"] is True
    assert data["quote"]["method"] == "exact"
    assert data["quote"]["passage"] == "дефицит бюджета сократится вдвое"
    start, end = data["quote"]["start"], data["quote"]["end"]
    assert report.page.text[start:end] == data["quote"]["passage"]
    assert data["error"] is None
    json.dumps(data, ensure_ascii=False)


def test_a_quote_outside_the_main_text_is_found_in_the_full_text(
    fetch_server, local_fetch_config
) -> None:
    url = fetch_server.serve("/budget", PAGE)
    report = check_source(
        url, quote="не несёт ответственности за комментарии", config=local_fetch_config
    )
    assert report.status == "quote_found"
    assert report.to_dict()["quote"]["text"] == "full"
    assert report.page.full_text[report.quote.start : report.quote.end] == report.quote.passage


def test_a_missing_quote_comes_with_suggestions(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/budget", PAGE)
    report = check_source(
        url,
        quote="Министр пообещала профицит бюджета",
        claim="Министр заявила о сокращении дефицита бюджета",
        config=local_fetch_config,
    )
    data = report.to_dict()
    assert data["status"] == "quote_not_found"
    assert data["quote"] == {
        "found": False,
        "method": None,
        "score": None,
        "start": None,
        "end": None,
        "passage": None,
        "page": None,
    }
    assert "дефицит бюджета" in data["suggestions"][0]["text"]


def test_without_a_quote_the_page_is_just_fetched(fetch_server, local_fetch_config) -> None:
    url = fetch_server.serve("/budget", PAGE)
    data = check_source(url, config=local_fetch_config).to_dict()
    assert data["status"] == "fetched"
    assert data["quote"] is None
    assert data["suggestions"] == []


def test_a_refused_address_is_blocked(fetch_server) -> None:
    url = fetch_server.serve("/budget", PAGE)
    report = check_source(url, quote="дефицит", config=FetchConfig())
    assert report.status == "blocked"
    assert "loopback" in report.error
    assert report.to_dict()["final_url"] is None


def test_a_failed_fetch_is_reported(fetch_server, local_fetch_config) -> None:
    report = check_source(fetch_server.url("/gone"), quote="x", config=local_fetch_config)
    assert report.status == "failed"
    assert "404" in report.error
    assert report.error_transient is False
