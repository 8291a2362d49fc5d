"""How well a scorer ranks and labels check-worthy sentences on labelled sets.

Run ``python -m annotations.extraction.checkworthiness`` to print, for each held-out set,
the ROC-AUC of the check-worthiness score, the precision and recall of the kind ``fact``
against the labels, and the same ROC-AUC for the "digit first, then longer" baseline.

A labelled set is a list of ``(text, language, checkworthy)``. The sets shipped with the
project: ``tests/data/checkworthiness/heldout-*.tsv`` (``kind<TAB>sentence``, a
sentence is check-worthy when its kind is ``fact``), written after the rules and never
trained on, and the held-out slice of ClaimBuster (see ``training.claimbuster``). With
``--blind``, the blind sets instead: ``blind-DATE-LANG.tsv`` in the same format (DATE
``YYYY-MM`` or ``YYYY-MM-DD``, a letter after it for a second set of the same day),
running text labelled before the model they measure was changed and never used to
choose it.
``blind-YYYY-MM-DD-documents-LANG.tsv`` hold whole documents instead: a line ``# genre:
what it is`` opens each (genre ``transcript``, ``news`` or ``op-ed``), then one labelled
sentence a line, each line a line of the document; extraction reads each document whole,
and the figures are given per genre.

With ``--debates``, how well each scorer ranks the lines of whole transcripts for a
fact-checker, as the CheckThat! 2019 lab measured it: ``checkthat-style-*-LANG.tsv``
hold transcripts of debates, town halls, rallies and briefings in the documents' format
(``# transcript: what it is``, then ``label<TAB>line``), a line labelled ``1`` when a
fact-checker would pick it to check and ``0`` otherwise. Each transcript is read whole
through extraction, its lines ranked by score, and the figure is the mean over
transcripts of the average precision of that ranking, for the model, the rules and the
baseline.

With ``--kinds``, how well each kind is given on the blind sets (sentences alone, and
documents read whole): the share of sentences given their labelled kind, and each kind's
precision and recall against the label.
"""

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .claims import extract_claims
from .scoring import KINDS, ClaimScorer

ROOT = Path(__file__).resolve().parent.parent.parent
HELDOUT_DIR = ROOT / "tests" / "data" / "checkworthiness"


class Labelled(NamedTuple):
    text: str
    language: str
    checkworthy: bool
    # The labelled kind, where the set gives one (ClaimBuster's sentences have none).
    kind: str | None = None


LANGUAGES = ("en", "ru")


def heldout_sentences(path: Path) -> list[Labelled]:
    """Hand-labelled sentences: ``kind<TAB>sentence`` lines of a file whose name holds its
    language between dashes (``heldout-en-running.tsv``, ``blind-2026-12-ru.tsv``)."""
    language = next(part for part in path.stem.split("-") if part in LANGUAGES)
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, text = line.split("\t", 1)
        items.append(Labelled(text, language, kind == "fact", kind))
    return items


class LabelledDocument(NamedTuple):
    genre: str
    language: str
    lines: list[tuple[str, str]]  # (kind, line), in document order
    title: str = ""

    @property
    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


def heldout_documents(path: Path) -> list[LabelledDocument]:
    """Hand-labelled documents: ``# genre: title`` then ``kind<TAB>line`` lines."""
    language = next(part for part in path.stem.split("-") if part in LANGUAGES)
    documents: list[LabelledDocument] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            genre, _, title = line.lstrip("# ").partition(":")
            documents.append(LabelledDocument(genre.strip(), language, [], title.strip()))
        elif line.strip():
            kind, text = line.split("\t", 1)
            documents[-1].lines.append((kind, text))
    return documents


def roc_auc(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """The chance that a random positive scores above a random negative (ties count half)."""
    ranked = sorted(zip(scores, labels, strict=True))
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return 0.0
    # Mid-ranks of tied scores, then the Mann-Whitney statistic.
    rank_sum = 0.0
    index = 0
    while index < len(ranked):
        tied = index
        while tied + 1 < len(ranked) and ranked[tied + 1][0] == ranked[index][0]:
            tied += 1
        middle = (index + tied) / 2 + 1
        rank_sum += middle * sum(1 for _, label in ranked[index : tied + 1] if label)
        index = tied + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def average_precision(labels: Sequence[bool], scores: Sequence[float]) -> float:
    """The mean, over the positives, of the precision of the ranking by score down to each
    of them: 1.0 when every positive comes first. Ties keep the given order (a stable sort,
    as CheckThat!'s scorer did), so a transcript's tied lines rank in document order."""
    order = sorted(range(len(scores)), key=lambda index: scores[index], reverse=True)
    found = 0
    total = 0.0
    for rank, index in enumerate(order, start=1):
        if labels[index]:
            found += 1
            total += found / rank
    return total / found if found else 0.0


def baseline_score(text: str) -> float:
    """Sentences with a digit first, then longer sentences first."""
    has_digit = any(character.isdigit() for character in text)
    return float(has_digit) + min(len(text), 999) / 1000


def judge(
    items: Sequence[Labelled], scorer: ClaimScorer | None = None, *, entities: bool = True
) -> list[tuple[float, str]]:
    """Score and kind of each sentence as extraction gives them: the claim with the highest
    score when a sentence is cut in several."""
    judged = []
    for item in items:
        claims = extract_claims(item.text, language=item.language, entities=entities, scorer=scorer)
        if not claims:
            judged.append((0.0, "other"))
            continue
        best = max(claims, key=lambda claim: claim.checkworthiness)
        judged.append((best.checkworthiness, best.kind))
    return judged


def figures(
    items: Sequence[Labelled], scorer: ClaimScorer | None = None, *, entities: bool = True
) -> dict[str, Any]:
    """ROC-AUC of the score and of the baseline; precision and recall of the kind fact."""
    return _figures(items, judge(items, scorer, entities=entities))


def _figures(items: Sequence[Labelled], judged: list[tuple[float, str]]) -> dict[str, Any]:
    labels = [item.checkworthy for item in items]
    facts = [kind == "fact" for _, kind in judged]
    found = sum(1 for fact, label in zip(facts, labels, strict=True) if fact and label)
    return {
        "sentences": len(items),
        "checkworthy": sum(labels),
        "roc_auc": roc_auc(labels, [score for score, _ in judged]),
        "baseline_roc_auc": roc_auc(labels, [baseline_score(item.text) for item in items]),
        "fact_precision": found / sum(facts) if any(facts) else 0.0,
        "fact_recall": found / sum(labels) if any(labels) else 0.0,
    }


def judge_documents(
    documents: Sequence[LabelledDocument], scorer: ClaimScorer | None = None
) -> list[tuple[float, str]]:
    """Score and kind of each labelled line as extraction of its whole document gives them:
    the claim with the highest score when a line is cut in several."""
    judged = []
    for document in documents:
        text = document.text
        claims = extract_claims(text, language=document.language, scorer=scorer)
        start = 0
        for _, line in document.lines:
            end = start + len(line)
            inside = [claim for claim in claims if start <= claim.start < end]
            if inside:
                best = max(inside, key=lambda claim: claim.checkworthiness)
                judged.append((best.checkworthiness, best.kind))
            else:
                judged.append((0.0, "other"))
            start = end + 1
    return judged


def document_figures(
    documents: Sequence[LabelledDocument], scorer: ClaimScorer | None = None
) -> dict[str, Any]:
    """``figures`` for lines of whole documents, each read in its document."""
    return _figures(_document_lines(documents), judge_documents(documents, scorer))


def _document_lines(documents: Sequence[LabelledDocument]) -> list[Labelled]:
    return [
        Labelled(line, document.language, kind == "fact", kind)
        for document in documents
        for kind, line in document.lines
    ]


def kind_figures(items: Sequence[Labelled], judged: Sequence[tuple[float, str]]) -> dict[str, Any]:
    """The share of sentences given their labelled kind, and each kind's precision and
    recall against the labels (``judged`` as ``judge`` gives it); None where a kind was
    never given (precision) or never labelled (recall)."""
    pairs = [(item.kind, kind) for item, (_, kind) in zip(items, judged, strict=True)]
    result: dict[str, Any] = {
        "sentences": len(pairs),
        "accuracy": sum(1 for label, kind in pairs if label == kind) / len(pairs) if pairs else 0.0,
    }
    for kind in KINDS:
        hits = sum(1 for label, given in pairs if label == kind and given == kind)
        given = sum(1 for _, other in pairs if other == kind)
        labelled = sum(1 for label, _ in pairs if label == kind)
        result[kind] = (hits / given if given else None, hits / labelled if labelled else None)
    return result


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def print_kinds(scorer: ClaimScorer | None = None) -> None:
    """The kinds table of the blind sets: sentences alone, then documents read whole."""
    header = " | ".join(f"{kind} P / R" for kind in KINDS)
    print(f"| blind set | sentences | kind right | {header} |")
    print("|---|---|---|" + "---|" * len(KINDS))
    rows = [(name, items, judge(items, scorer)) for name, items in blind_sets().items()]
    for name, documents in blind_documents().items():
        rows.append((name, _document_lines(documents), judge_documents(documents, scorer)))
    for name, items, judged in rows:
        result = kind_figures(items, judged)
        cells = " | ".join(
            f"{_share(result[kind][0])} / {_share(result[kind][1])}" for kind in KINDS
        )
        print(f"| {name} | {result['sentences']} | {result['accuracy']:.2f} | {cells} |")


def blind_documents() -> dict[str, list[LabelledDocument]]:
    """The blind sets of whole documents by language and genre: transcripts, and running
    text (news and op-eds)."""
    sets: dict[str, list[LabelledDocument]] = {}
    for language, name in (("en", "English"), ("ru", "Russian")):
        for path in sorted(HELDOUT_DIR.glob(f"blind-*-documents-{language}.tsv")):
            dated = path.stem.removeprefix("blind-").removesuffix(f"-documents-{language}")
            documents = heldout_documents(path)
            transcripts = [document for document in documents if document.genre == "transcript"]
            running = [document for document in documents if document.genre != "transcript"]
            sets[f"{name}, blind {dated} documents: transcripts"] = transcripts
            sets[f"{name}, blind {dated} documents: news and op-eds"] = running
            sets[f"{name}, blind {dated} documents: all"] = documents
    return sets


def debate_sets() -> dict[str, list[LabelledDocument]]:
    """The sets of transcripts labelled with the lines a fact-checker would pick (``1``),
    by the date of each file (``checkthat-style-2026-12-07b-en.tsv``: ``2026-12-07b``)."""
    return {
        path.stem.removeprefix("checkthat-style-").rsplit("-", 1)[0]: heldout_documents(path)
        for path in sorted(HELDOUT_DIR.glob("checkthat-style-*.tsv"))
    }


class Ranked(NamedTuple):
    title: str
    lines: int
    picked: int
    spoken: int  # lines extraction reads as a transcript's
    precision: dict[str, float]  # average precision by scorer name


def rank_transcripts(
    documents: Sequence[LabelledDocument], scorers: dict[str, ClaimScorer | None]
) -> list[Ranked]:
    """Average precision of each scorer's ranking of each transcript's lines, every line
    scored as extraction of the whole transcript scores it (``judge_documents``), and of
    the baseline's ranking (under ``"baseline"``)."""
    from .transcripts import Genres

    ranked = []
    for document in documents:
        labels = [kind == "1" for kind, _ in document.lines]
        precision = {
            name: average_precision(
                labels, [score for score, _ in judge_documents([document], scorer)]
            )
            for name, scorer in scorers.items()
        }
        precision["baseline"] = average_precision(
            labels, [baseline_score(line) for _, line in document.lines]
        )
        genres = Genres(document.text)
        spoken = 0
        start = 0
        for _, line in document.lines:
            spoken += genres.spoken_at(start) is True
            start += len(line) + 1
        ranked.append(Ranked(document.title, len(labels), sum(labels), spoken, precision))
    return ranked


def mean_average_precision(ranked: Sequence[Ranked], name: str) -> float:
    return sum(result.precision[name] for result in ranked) / len(ranked)


def print_debates() -> None:
    """The table of ``--debates``: each set's transcripts and the mean over them, then the
    mean over every transcript."""
    from .scoring import RuleScorer

    scorers: dict[str, ClaimScorer | None] = {"model": None, "rules": RuleScorer()}
    names = ("model", "rules", "baseline")
    print(
        "| transcript | lines (picked) | read as transcript | model AP | rules AP | baseline AP |"
    )
    print("|---|---|---|---|---|---|")
    every: list[Ranked] = []
    for name, documents in debate_sets().items():
        ranked = rank_transcripts(documents, scorers)
        for result in ranked:
            cells = " | ".join(f"{result.precision[scorer]:.3f}" for scorer in names)
            print(
                f"| {result.title} | {result.lines} ({result.picked}) | {result.spoken} | {cells} |"
            )
        print(_mean_row(f"mean average precision, {name}", ranked, names))
        every.extend(ranked)
    print(_mean_row("mean average precision, every transcript", every, names))


def _mean_row(title: str, ranked: Sequence[Ranked], names: Sequence[str]) -> str:
    lines = sum(result.lines for result in ranked)
    picked = sum(result.picked for result in ranked)
    spoken = sum(result.spoken for result in ranked)
    cells = " | ".join(f"{mean_average_precision(ranked, name):.3f}" for name in names)
    return f"| {title} | {lines} ({picked}) | {spoken} | {cells} |"


def format_row(name: str, result: dict[str, Any]) -> str:
    return (
        f"| {name} | {result['sentences']} ({result['checkworthy']} check-worthy) "
        f"| {result['roc_auc']:.3f} | {result['baseline_roc_auc']:.3f} "
        f"| {result['fact_precision']:.2f} | {result['fact_recall']:.2f} |"
    )


def heldout_sets() -> dict[str, list[Labelled]]:
    """Every held-out set by name, and each language's sets written here together."""
    from .training import claimbuster

    sets: dict[str, list[Labelled]] = {}
    for language, name in (("en", "English"), ("ru", "Russian")):
        single = heldout_sentences(HELDOUT_DIR / f"heldout-{language}.tsv")
        running = heldout_sentences(HELDOUT_DIR / f"heldout-{language}-running.tsv")
        sets[f"{name}, written here: single sentences"] = single
        sets[f"{name}, written here: running text"] = running
        sets[f"{name}, written here: both"] = single + running
    sets["English, ClaimBuster held-out slice"] = claimbuster(heldout=True)
    return sets


def blind_sets() -> dict[str, list[Labelled]]:
    """The blind sets: running text labelled before the model they measure was changed,
    and scored only to report, never to choose a feature or a setting."""
    return {
        f"{name}, blind {path.stem.removeprefix('blind-').rsplit('-', 1)[0]}": (
            heldout_sentences(path)
        )
        for language, name in (("en", "English"), ("ru", "Russian"))
        for path in sorted(HELDOUT_DIR.glob(f"blind-*-{language}.tsv"))
        if "-documents-" not in path.name
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", action="store_true", help="score with the hand-written rules")
    parser.add_argument("--no-entities", action="store_true", help="skip entity recognition")
    parser.add_argument(
        "--blind", action="store_true", help="measure on the blind sets instead of the others"
    )
    parser.add_argument(
        "--kinds", action="store_true", help="each kind's precision and recall on the blind sets"
    )
    parser.add_argument(
        "--debates",
        action="store_true",
        help="mean average precision of ranking transcripts' lines for a fact-checker",
    )
    args = parser.parse_args(argv)
    if args.debates:
        print_debates()
        return 0
    scorer: ClaimScorer | None = None
    if args.rules:
        from .scoring import RuleScorer

        scorer = RuleScorer()
    if args.kinds:
        print_kinds(scorer)
        return 0
    print("| held-out set | sentences | ROC-AUC | baseline ROC-AUC | fact P | fact R |")
    print("|---|---|---|---|---|---|")
    run: Callable[[Sequence[Labelled]], dict[str, Any]] = lambda items: figures(  # noqa: E731
        items, scorer, entities=not args.no_entities
    )
    sets = blind_sets() if args.blind else heldout_sets()
    for name, items in sets.items():
        print(format_row(name, run(items)))
    if args.blind:
        for name, documents in blind_documents().items():
            print(format_row(name, document_figures(documents, scorer)))
    if args.rules:
        return 0
    # Sentences scored alone show no genre and are read as either (``learned``); the
    # same sentences again as they are read inside their documents: the blind sets' and
    # the running text's as written text, the debate's as debate.
    from .learned import LearnedScorer

    readings = {False: "read as written text", True: "read as debate"}
    for name, items in sets.items():
        spoken = "ClaimBuster" in name
        chosen = [spoken] if args.blind or not spoken else [True, False]
        if not args.blind and "running text" not in name and not spoken:
            continue
        for debate in chosen:
            result = figures(items, LearnedScorer(debate=debate), entities=not args.no_entities)
            print(format_row(f"{name}, {readings[debate]}", result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
