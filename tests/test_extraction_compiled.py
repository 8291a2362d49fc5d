"""The compiled extraction modules: in use after `make install`, never stale, same claims."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import annotations.extraction as extraction
from annotations.extraction import compiled, extract_claims

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted((ROOT / "tests" / "data" / "extraction").glob("*.txt")) + sorted(
    (ROOT / "annotations" / "fixtures").glob("*.txt")
)
# Inputs that reach the rarer branches: mixed scripts, emoji, lists, quotes, numbers.
EDGE_TEXTS = [
    "",
    " \n\t ",
    "1) Первое. 2) Второе: «Цитата. С точкой.» 3) Третье…",
    "Mr. J. R. R. Tolkien wrote it in 1937. Did he? Yes!",
    "Цены выросли на 9,16 руб. (т.е. на 2,9%) 01.12.2021 — https://example.ru/a.b?c=d 😀",
    "СОМОВ: Подождите. MS. MORENO: I yield back.\n• пункт\n- item two\n",
    "５０ тыс. человек, ١٢ people, 3.5 million dollars",
]


def _require_compiled() -> None:
    if extraction.COMPILED:
        return
    message = "the extraction modules are not compiled (make install builds them)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + "; CI runs the compiled build", pytrace=False)
    pytest.skip(message)


def _claims_of(texts: list[str]) -> list:
    return [
        [claim.to_dict() for claim in extract_claims(text, language=language, entities=False)]
        for text in texts
        for language in (None, "ru", "en")
    ]


def test_the_compiled_modules_are_the_ones_running():
    _require_compiled()
    from annotations.extraction import features, segmentation

    for module in (features, segmentation):
        assert module.__spec__.origin.endswith(".so"), module.__spec__.origin
    from annotations.extraction import claim

    # The result type stays a plain dataclass that callers can pickle and copy.
    assert claim.__spec__.origin.endswith("claim.py")


def test_compiled_and_python_modules_cut_the_same_claims():
    _require_compiled()
    texts = [path.read_text(encoding="utf-8") for path in TEXTS] + EDGE_TEXTS
    program = (
        "import json, sys\n"
        "import annotations.extraction as extraction\n"
        "from tests.test_extraction_compiled import _claims_of\n"
        "assert not extraction.COMPILED\n"
        "json.dump(_claims_of(json.load(sys.stdin)), sys.stdout)\n"
    )
    environment = {**os.environ, compiled.ENVIRONMENT_SWITCH: "0"}
    result = subprocess.run(
        [sys.executable, "-c", program],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        check=True,
        timeout=240,
    )
    python_claims = json.loads(result.stdout)
    compiled_claims = json.loads(json.dumps(_claims_of(texts)))
    assert sum(map(len, compiled_claims)) > 1000
    assert compiled_claims == python_claims


def _built(directory: Path, digest: str) -> Path:
    directory.mkdir(parents=True)
    (directory / compiled.DIGEST_NAME).write_text(digest + "\n", encoding="ascii")
    return directory


def test_a_current_build_goes_first_on_the_package_path(tmp_path):
    directory = _built(tmp_path / "current", compiled.source_digest())
    path = ["/the/sources"]
    assert compiled.activate(path, directory) is True
    assert path == [str(directory), "/the/sources"]


def test_a_build_from_other_sources_is_not_used(tmp_path):
    directory = _built(tmp_path / "stale", "0" * 64)
    path = ["/the/sources"]
    with pytest.warns(RuntimeWarning, match="built from other sources"):
        assert compiled.activate(path, directory) is False
    assert path == ["/the/sources"]


def test_no_build_or_the_switch_off_runs_the_sources(tmp_path, monkeypatch):
    path = ["/the/sources"]
    assert compiled.activate(path, tmp_path / "missing") is False
    directory = _built(tmp_path / "current", compiled.source_digest())
    monkeypatch.setenv(compiled.ENVIRONMENT_SWITCH, "0")
    assert compiled.activate(path, directory) is False
    assert path == ["/the/sources"]


def test_the_digest_follows_every_compiled_source(tmp_path, monkeypatch):
    before = compiled.source_digest()
    for name in compiled.MODULES:
        (tmp_path / f"{name}.py").write_bytes((compiled.PACKAGE_DIR / f"{name}.py").read_bytes())
    monkeypatch.setattr(compiled, "PACKAGE_DIR", tmp_path)
    assert compiled.source_digest() == before
    edited = tmp_path / "features.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert compiled.source_digest() != before


def test_the_rule_scorer_can_be_subclassed_and_its_weights_changed():
    from annotations.extraction import RuleScorer

    class Stricter(RuleScorer):
        base = 0.0

    text = "Москва подписала договор в 2020 году."
    default = extract_claims(text, entities=False)[0]
    stricter = extract_claims(text, entities=False, scorer=Stricter())[0]
    assert stricter.checkworthiness == pytest.approx(default.checkworthiness - 0.3)
