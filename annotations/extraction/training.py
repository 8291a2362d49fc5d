"""Fitting the learned scorer's model from labelled sentences; its cross-validation.

Training data: ClaimBuster's English debate sentences (``data/claimbuster-en.jsonl``,
labelled check-worthy or not; every tenth sentence is held out for measuring) and the
project's annotated Russian and English documents (``tests/data/extraction`` and the
demo article: every claim with its kind; a claim is check-worthy when it is a
``fact``). The corpus is written news, posts, transcripts and notices in both
languages, so its claims weigh more than a debate sentence each. Spoken sentences
(ClaimBuster's, and the turns extraction finds in the corpus's transcripts) are
trained with their debate copies (``vectors.as_debate``).

scikit-learn is imported here only: the running application reads the fitted weights
from JSON (see ``learned``) and never needs it.
"""

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from .checkworthiness import Labelled, roc_auc
from .claims import extract_claims
from .entities import english_entities, russian_entities
from .evaluation import load_gold
from .features import SentenceFeatures, describe
from .learned import MODEL_PATH
from .scoring import KINDS, RuleScorer, Scored
from .vectors import as_debate, as_written, vectorise

DATA_DIR = Path(__file__).resolve().parent / "data"
CLAIMBUSTER = DATA_DIR / "claimbuster-en.jsonl"
CORPUS_DIR = Path(__file__).resolve().parent.parent.parent / "tests" / "data" / "extraction"
# The demo article, a Russian opinion piece: the genre the rest of the data has least of.
DEMO_GOLD = Path(__file__).resolve().parent.parent / "fixtures" / "kz-ru-relations.ru.gold.json"
# Every tenth ClaimBuster sentence (by its id) is kept out of training to measure on.
HELDOUT_EVERY = 10
# A stem must occur in this many training sentences to get a weight of its own.
MIN_STEM_COUNT = 3
# One corpus claim counts as this many debate sentences.
CORPUS_WEIGHT = 3.0
# Inverse strength of the penalty on large weights (scikit-learn's C).
REGULARISATION = 0.5
FOLDS = 5
# The reading each sentence gets from extraction (see ``cross_validate``).
GENRE = "genre"


class Example(NamedTuple):
    values: dict[str, float]
    checkworthy: bool
    kind: str | None  # None where the source labels check-worthiness only
    origin: str  # "claimbuster", "corpus-ru", "corpus-en"
    # Said in a transcript and trained with its debate copies (``vectors.as_debate``).
    spoken: bool = False


def claimbuster(*, heldout: bool = False, path: Path = CLAIMBUSTER) -> list[Labelled]:
    """ClaimBuster's training sentences, or with ``heldout`` its held-out slice."""
    items = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if (record["sentence_id"] % HELDOUT_EVERY == 0) == heldout:
                items.append(Labelled(record["text"], "en", bool(record["label"])))
    return items


def sentence_features(text: str, language: str) -> SentenceFeatures:
    """The features of ``text`` taken whole as one sentence, entities included."""
    found = english_entities(text, [0]) if language == "en" else russian_entities(text)
    return describe(text, 0, language, found)


class _Recorder:
    """A scorer that keeps the features of every segment it is shown."""

    def __init__(self) -> None:
        self.seen: list[SentenceFeatures] = []

    def score(self, features: SentenceFeatures) -> Scored:
        self.seen.append(features)
        return Scored("other", 0.0, [])


def corpus_examples(directory: Path = CORPUS_DIR) -> list[Example]:
    """Every gold claim of the corpus and of the demo article that extraction cuts exactly
    as the gold does, with the features extraction gives it in its document."""
    rules = RuleScorer()
    examples = []
    for path in [*sorted(directory.glob("*.gold.json")), DEMO_GOLD]:
        text, record = load_gold(path)
        recorder = _Recorder()
        claims = extract_claims(text, language=record.get("language"), scorer=recorder)
        by_span = {
            (claim.start, claim.end): features
            for claim, features in zip(claims, recorder.seen, strict=True)
        }
        for gold in record["claims"]:
            features = by_span.get((gold["start"], gold["end"]))
            if features is None:
                continue
            # A transcript's turns are read as debate by extraction (see ``transcripts``),
            # so they are learned with their debate copies, as ClaimBuster's are.
            values = vectorise(features, rules.score(features))
            spoken = bool(features.spoken)
            examples.append(
                Example(
                    as_debate(values) if spoken else values,
                    bool(gold["checkworthy"]),
                    gold["kind"],
                    f"corpus-{features.language}",
                    spoken,
                )
            )
    return examples


def sentence_examples(
    items: Sequence[Labelled], origin: str, *, debate: bool = False
) -> list[Example]:
    rules = RuleScorer()
    examples = []
    for item in items:
        features = sentence_features(item.text, item.language)
        values = vectorise(features, rules.score(features))
        examples.append(
            Example(as_debate(values) if debate else values, item.checkworthy, None, origin, debate)
        )
    return examples


def language_of(example: Example) -> str:
    return "ru" if "language.ru" in example.values else "en"


def training_examples() -> list[Example]:
    """The whole training set, in a fixed order."""
    return corpus_examples() + sentence_examples(claimbuster(), "claimbuster", debate=True)


def feature_names(examples: Sequence[Example]) -> list[str]:
    """Every shared feature seen, and the stems seen often enough, sorted."""
    counts: dict[str, int] = {}
    for example in examples:
        for name in example.values:
            counts[name] = counts.get(name, 0) + 1
    return sorted(
        name
        for name, count in counts.items()
        if not name.startswith("word.") or count >= MIN_STEM_COUNT
    )


def _matrix(examples: Sequence[Example], names: list[str]) -> Any:
    from scipy.sparse import csr_matrix

    column = {name: index for index, name in enumerate(names)}
    data, indices, pointers = [], [], [0]
    for example in examples:
        for name, value in example.values.items():
            if name in column:
                indices.append(column[name])
                data.append(value)
        pointers.append(len(indices))
    matrix = csr_matrix((data, indices, pointers), shape=(len(examples), len(names)))
    # A row's values come in the order of its dict, which follows string hashing and so
    # changes from process to process; sorted, every sum is taken in the same order and
    # retraining gives the same weights.
    matrix.sort_indices()
    return matrix


def _weights(examples: Sequence[Example]) -> list[float]:
    return [1.0 if example.origin == "claimbuster" else CORPUS_WEIGHT for example in examples]


def _regression() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=REGULARISATION, max_iter=5000)


def fit(examples: Sequence[Example]) -> dict[str, Any]:
    """The model record that ``learned.ScorerModel`` reads.

    The check-worthiness weights are fitted on every example, spoken ones (ClaimBuster's
    debate sentences and the corpus's transcripts) with their debate copies
    (``vectors.as_debate``). Their margins on sentences each fold did not see, read as
    written text, then calibrate them and choose, for each language, the probability
    from which a sentence is called a fact; the margins of the spoken sentences read as
    debate do the same for the debate reading.
    """
    from sklearn.model_selection import StratifiedKFold

    names = feature_names(examples)
    matrix = _matrix(examples, names)
    written = _matrix([_written(example) for example in examples], names)
    labels = [example.checkworthy for example in examples]
    weights = _weights(examples)
    regression = _regression().fit(matrix, labels, sample_weight=weights)
    margins = [0.0] * len(examples)
    debated = [0.0] * len(examples)
    strata = [f"{example.origin}-{example.checkworthy}" for example in examples]
    for train_part, test_part in StratifiedKFold(FOLDS).split(strata, strata):
        fold = _regression().fit(
            matrix[train_part],
            [labels[index] for index in train_part],
            sample_weight=[weights[index] for index in train_part],
        )
        for index, margin, as_said in zip(
            test_part,
            fold.decision_function(written[test_part]),
            fold.decision_function(matrix[test_part]),
            strict=True,
        ):
            margins[index], debated[index] = float(margin), float(as_said)
    # Read as written text, every sentence calibrates: debates read that way too.
    slope, offset = _sigmoid_fit(margins, labels)
    thresholds = {}
    for language in ("en", "ru"):
        chosen = [
            index for index, example in enumerate(examples) if language_of(example) == language
        ]
        thresholds[language] = _fact_threshold(
            [_sigmoid(slope * margins[index] + offset) for index in chosen],
            [labels[index] for index in chosen],
        )
    debates = [index for index, example in enumerate(examples) if example.spoken]
    debate_slope, debate_offset = _sigmoid_fit(
        [debated[index] for index in debates], [labels[index] for index in debates]
    )
    debate_threshold = _fact_threshold(
        [_sigmoid(debate_slope * debated[index] + debate_offset) for index in debates],
        [labels[index] for index in debates],
    )

    kinded = [index for index, example in enumerate(examples) if example.kind is not None]
    kinds = _regression().fit(matrix[kinded], [examples[index].kind for index in kinded])
    classes = [str(kind) for kind in kinds.classes_]
    if set(classes) != set(KINDS):
        raise ValueError(f"the corpus must hold every kind; it holds {classes}")
    return {
        "format": 2,
        "features": names,
        "checkworthy": {
            "coefficients": _rounded(regression.coef_[0]),
            "intercept": round(float(regression.intercept_[0]), 6),
            # Probability = logistic(slope · margin + offset).
            "calibration": {"slope": round(slope, 6), "offset": round(offset, 6)},
            "fact_thresholds": thresholds,
            # Read as debate: the calibration and the fact threshold of debate sentences.
            "debate": {
                "calibration": {"slope": round(debate_slope, 6), "offset": round(debate_offset, 6)},
                "fact_threshold": debate_threshold,
            },
        },
        "kinds": {
            "classes": classes,
            "coefficients": [_rounded(row) for row in kinds.coef_],
            "intercepts": _rounded(kinds.intercept_),
        },
    }


def _written(example: Example) -> Example:
    return example._replace(values=as_written(example.values))


def _sigmoid_fit(margins: list[float], labels: list[bool]) -> tuple[float, float]:
    """Platt scaling: the logistic curve of one margin that best fits the labels."""
    from sklearn.linear_model import LogisticRegression

    curve = LogisticRegression(C=1e6).fit([[margin] for margin in margins], labels)
    return float(curve.coef_[0][0]), float(curve.intercept_[0])


def _fact_threshold(probabilities: list[float], labels: list[bool]) -> float:
    """The probability from which a sentence is called a fact: the one that makes the
    most of precision and recall together (F1) on sentences the weights did not see.

    Below 0.5 a fact is still more likely not worth checking than worth it, as many
    plain facts are ("I was in Ohio last week").
    """
    best, best_f1 = 0.5, -1.0
    for step in range(20, 81):
        threshold = step / 100
        hits = chosen = relevant = 0
        for probability, label in zip(probabilities, labels, strict=True):
            if probability >= threshold:
                chosen += 1
                hits += label
            relevant += label
        f1 = 2 * hits / (chosen + relevant) if chosen + relevant else 0.0
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exponential = math.exp(value)
    return exponential / (1.0 + exponential)


def _rounded(values: Any) -> list[float]:
    return [round(float(value), 6) for value in values]


def write(record: dict[str, Any], output: Path = MODEL_PATH) -> None:
    """Save a model record as the JSON that ``learned`` reads, replacing it whole."""
    staging = output.with_name(output.name + ".new")
    staging.write_text(json.dumps(record, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    staging.replace(output)


def cross_validate(examples: Sequence[Example]) -> dict[str, dict[str, float]]:
    """Out-of-fold figures by origin and reading: each fold is scored by a model ``fit``
    without it, calibration and fact threshold included, reading every sentence as
    written text, as debate and as either (``learned.READINGS``), and as its genre
    (named by the origin alone: ClaimBuster and the corpus's transcripts as a transcript
    is read, the rest as written text). ROC-AUC of the probability; precision and recall of the
    kind ``fact`` against the check-worthy label."""
    from sklearn.model_selection import StratifiedKFold

    from .learned import READINGS, TRANSCRIPT_READING, WRITTEN, ScorerModel

    # Stratified by origin and label together, so every fold holds some of each.
    strata = [f"{example.origin}-{example.checkworthy}" for example in examples]
    # Each reading for every sentence, and "genre": the reading extraction gives it (a
    # transcript's turns and ClaimBuster's debates as transcripts, the rest as written).
    probabilities = {reading: [0.0] * len(examples) for reading in (*READINGS, GENRE)}
    facts = {reading: [False] * len(examples) for reading in (*READINGS, GENRE)}
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    for train_part, test_part in folds.split(strata, strata):
        model = ScorerModel(fit([examples[index] for index in train_part]))
        for index in test_part:
            values = as_written(examples[index].values)
            language = language_of(examples[index])
            for reading in READINGS:
                probability = model.probability(values, reading=reading)
                probabilities[reading][index] = probability
                threshold = model.fact_threshold(language, reading=reading)
                facts[reading][index] = probability >= threshold
            own = TRANSCRIPT_READING if examples[index].spoken else WRITTEN
            probabilities[GENRE][index] = probabilities[own][index]
            facts[GENRE][index] = facts[own][index]
    results = {}
    for origin in sorted({example.origin for example in examples}):
        chosen = [index for index, example in enumerate(examples) if example.origin == origin]
        truth = [examples[index].checkworthy for index in chosen]
        for reading in (GENRE, *READINGS):
            name = origin if reading == GENRE else f"{origin}, read as {reading}"
            predicted = [facts[reading][index] for index in chosen]
            hits = sum(1 for fact, label in zip(predicted, truth, strict=True) if fact and label)
            results[name] = {
                "sentences": len(chosen),
                "roc_auc": roc_auc(truth, [probabilities[reading][index] for index in chosen]),
                "precision": hits / sum(predicted) if any(predicted) else 0.0,
                "recall": hits / sum(truth) if any(truth) else 0.0,
            }
    return results
