"""Build the extraction test corpus: ``src/NAME.ann`` → ``NAME.txt`` + ``NAME.gold.json``.

An ``.ann`` file is the document text with every claim wrapped as ``[[kind:claim text]]``;
everything outside the brackets (list markers, blank lines) is document text that belongs
to no claim. The first line may be ``#language: ru`` or ``#language: en``; without it the
gold carries no language and the extractor decides per line.

Conventions the annotations follow where a choice is open:

- A pictograph that opens a line belongs to its claim ("🔥 ЦБ vs инфляция", "👁 15,2K",
  "⚡️ВНИМАНИЕ!") unless neighbouring lines open with the same pictograph, which then
  marks list items and stays outside ("📌 Сбер: …" / "📌 ВТБ: …"); a pictograph before a
  dash ("👍 — да") and a keycap digit ("1️⃣") are item markers too.
- A line without a letter or a digit ("###", "* * *") is no claim.
- A footnote mark after a sentence ("…ошибочна.[1]") belongs to no claim; a reference
  entry ("Поспелов Е. М. Названия. — М.: АСТ, 2008. — С. 102.") is one claim, ``other``.

Run from the repository root: ``python tests/data/extraction/build_gold.py``.
"""

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
KINDS = {"fact", "opinion", "prediction", "question", "other"}
_CLAIM = re.compile(r"\[\[(?P<kind>[a-z]+):(?P<text>.*?)\]\]", re.DOTALL)


def build(source: Path) -> None:
    raw = source.read_text(encoding="utf-8")
    language = None
    if raw.startswith("#language:"):
        header, raw = raw.split("\n", 1)
        language = header.split(":", 1)[1].strip()
    pieces: list[str] = []
    claims = []
    length = 0
    cursor = 0
    for match in _CLAIM.finditer(raw):
        outside = raw[cursor : match.start()]
        pieces.append(outside)
        length += len(outside)
        kind, text = match["kind"], match["text"]
        if kind not in KINDS or text != text.strip() or not text:
            raise ValueError(f"{source.name}: bad claim {match.group()!r}")
        claims.append(
            {
                "start": length,
                "end": length + len(text),
                "text": text,
                "kind": kind,
                "checkworthy": kind == "fact",
            }
        )
        pieces.append(text)
        length += len(text)
        cursor = match.end()
    pieces.append(raw[cursor:])
    document = "".join(pieces)
    if "[[" in document or "]]" in document:
        raise ValueError(f"{source.name}: unbalanced claim brackets")
    name = source.stem
    (HERE / f"{name}.txt").write_text(document, encoding="utf-8")
    gold = {"document": f"{name}.txt", "claims": claims}
    if language:
        gold = {"document": f"{name}.txt", "language": language, "claims": claims}
    (HERE / f"{name}.gold.json").write_text(
        json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    for path in sorted((HERE / "src").glob("*.ann")):
        build(path)
