"""How well extracted claims match a gold file: exact-span P/R/F1 and per-kind P/R.

Run ``python -m annotations.extraction.evaluation GOLD.json [...]`` to print the
figures for one or more gold files and their total.
"""

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

Span = dict[str, Any]


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def span_scores(gold: Sequence[Span], predicted: Sequence[Span]) -> dict[str, float]:
    """Exact-match precision, recall and F1 of ``(start, end)`` spans."""
    gold_spans = {(item["start"], item["end"]) for item in gold}
    predicted_spans = {(item["start"], item["end"]) for item in predicted}
    matched = len(gold_spans & predicted_spans)
    precision = _ratio(matched, len(predicted_spans))
    recall = _ratio(matched, len(gold_spans))
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "matched": matched,
        "gold": len(gold_spans),
        "predicted": len(predicted_spans),
    }


def kind_scores(gold: Sequence[Span], predicted: Sequence[Span], kind: str) -> dict[str, float]:
    """Precision and recall of one kind: a prediction counts when span and kind both match."""
    gold_kind = {(item["start"], item["end"]) for item in gold if item["kind"] == kind}
    predicted_kind = {(item["start"], item["end"]) for item in predicted if item["kind"] == kind}
    matched = len(gold_kind & predicted_kind)
    precision = _ratio(matched, len(predicted_kind))
    recall = _ratio(matched, len(gold_kind))
    return {
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "matched": matched,
        "gold": len(gold_kind),
        "predicted": len(predicted_kind),
    }


def load_gold(path: str | Path) -> tuple[str, dict[str, Any]]:
    """Return the document text and the gold record of a gold JSON file.

    The text is either inline under "text" or in the file named by "document", next to
    the gold file.
    """
    path = Path(path)
    record = json.loads(path.read_text(encoding="utf-8"))
    if "text" in record:
        return record["text"], record
    return (path.parent / record["document"]).read_text(encoding="utf-8"), record


def evaluate(gold_paths: Iterable[str | Path], *, entities: bool = True) -> dict[str, Any]:
    """Run extraction on each gold document; return per-file and pooled figures."""
    from .claims import extract_claims

    files = {}
    pooled_gold: list[Span] = []
    pooled_predicted: list[Span] = []
    shift = 0
    for path in gold_paths:
        text, record = load_gold(path)
        gold = record["claims"]
        predicted = [
            claim.to_dict()
            for claim in extract_claims(text, language=record.get("language"), entities=entities)
        ]
        files[str(path)] = _figures(gold, predicted)
        # Pooling needs distinct offsets per file, so each file gets its own range.
        pooled_gold.extend(_shifted(gold, shift))
        pooled_predicted.extend(_shifted(predicted, shift))
        shift += len(text) + 1
    return {"files": files, "total": _figures(pooled_gold, pooled_predicted)}


def _shifted(items: Sequence[Span], shift: int) -> list[Span]:
    return [
        {"start": item["start"] + shift, "end": item["end"] + shift, "kind": item["kind"]}
        for item in items
    ]


def _figures(gold: Sequence[Span], predicted: Sequence[Span]) -> dict[str, Any]:
    figures: dict[str, Any] = {"spans": span_scores(gold, predicted)}
    for kind in ("fact", "opinion", "prediction", "question", "other"):
        if any(item["kind"] == kind for item in gold) or any(
            item["kind"] == kind for item in predicted
        ):
            figures[kind] = kind_scores(gold, predicted, kind)
    return figures


def format_figures(name: str, figures: dict[str, Any]) -> str:
    """One readable block of figures."""
    spans = figures["spans"]
    lines = [
        f"{name}",
        f"  spans  P={spans['precision']:.3f} R={spans['recall']:.3f} F1={spans['f1']:.3f}"
        f"  (gold {spans['gold']}, predicted {spans['predicted']}, exact {spans['matched']})",
    ]
    for kind, scores in figures.items():
        if kind == "spans":
            continue
        lines.append(
            f"  {kind:<10} P={scores['precision']:.3f} R={scores['recall']:.3f}"
            f"  (gold {scores['gold']}, predicted {scores['predicted']})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="+", help="gold JSON files")
    parser.add_argument("--no-entities", action="store_true", help="skip entity recognition")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = parser.parse_args(argv)
    report = evaluate(args.gold, entities=not args.no_entities)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for name, figures in report["files"].items():
        print(format_figures(name, figures))
    if len(report["files"]) > 1:
        print(format_figures("TOTAL", report["total"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
