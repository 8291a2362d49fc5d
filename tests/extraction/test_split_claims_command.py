"""``manage.py split_claims``: JSON and text output, stdin, encodings, refusals."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "annotations" / "fixtures" / "kz-ru-relations.ru.txt"
FIELDS = {
    "start",
    "end",
    "text",
    "kind",
    "checkworthiness",
    "reasons",
    "entities",
    "dates",
    "quantities",
    "attribution",
}


def split(*args: str, stdin: bytes | None = None) -> str:
    out = io.StringIO()
    options = {"stdout": out}
    if stdin is not None:
        options["stdin"] = io.BytesIO(stdin)
    call_command("split_claims", *args, **options)
    return out.getvalue()


def run_command(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "split-claims-command-tests-only-not-a-real-secret-key")
    return subprocess.run(
        [sys.executable, "manage.py", "split_claims", *args],
        input=stdin,
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_it_prints_the_demo_claims_as_json():
    report = json.loads(split(str(DEMO)))
    text = DEMO.read_text(encoding="utf-8")
    assert report["language"] == "ru"
    assert len(report["claims"]) == 27
    for claim in report["claims"]:
        assert set(claim) == FIELDS
        assert text[claim["start"] : claim["end"]] == claim["text"]
    assert report["claims"][0]["kind"] == "fact"


def test_it_prints_one_line_per_claim_as_text():
    lines = split(str(DEMO), "--format", "text", "--no-entities").splitlines()
    assert len(lines) == 27
    span, kind, score, text = lines[-1].split("\t")
    assert span == "3087-3183"
    assert kind in {"fact", "opinion", "prediction", "question", "other"}
    assert 0.0 <= float(score) <= 1.0
    assert text.startswith("Также характер")


def test_it_reads_standard_input_and_keeps_cyrillic_readable():
    output = split("-", "--language", "en", stdin="Mr. Smith met Д. Иванов. They spoke.".encode())
    assert "Д. Иванов" in output
    report = json.loads(output)
    assert report["language"] == "en"
    assert [claim["text"] for claim in report["claims"]] == [
        "Mr. Smith met Д. Иванов.",
        "They spoke.",
    ]


def test_it_decodes_with_the_given_encoding():
    data = "Москва подписала договор.".encode("cp1251")
    report = json.loads(split("-", "--encoding", "cp1251", stdin=data))
    assert report["claims"][0]["text"] == "Москва подписала договор."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        ("Привет, мир.".encode("cp1251"), "--encoding cp1251"),
        ("Hello, world.".encode("utf-16"), "--encoding utf-16"),
        (bytes(range(256)), "binary"),
    ],
)
def test_it_refuses_unusable_input_with_exit_code_2(data, message):
    with pytest.raises(CommandError, match=message) as error:
        split("-", stdin=data)
    assert error.value.returncode == 2


def test_it_refuses_a_missing_file_with_exit_code_2(tmp_path):
    with pytest.raises(CommandError, match="Cannot read") as error:
        split(str(tmp_path / "missing.txt"))
    assert error.value.returncode == 2


def test_the_process_exits_2_with_one_line_on_stderr_for_cp1251_input():
    result = run_command("-", stdin="Москва подписала договор.".encode("cp1251"))
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert "--encoding cp1251" in lines[0]
    assert result.stdout == b""


def test_the_process_exits_0_and_prints_json_for_good_input():
    result = run_command("-", "--no-entities", stdin="Москва подписала договор.".encode())
    assert result.returncode == 0
    assert json.loads(result.stdout)["claims"][0]["kind"] == "fact"
