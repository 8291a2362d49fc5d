"""Named entities (PER, LOC, ORG) with offsets into the text they were found in.

Russian uses natasha's news NER model, loaded once per process on first use. English
uses a light heuristic, not a model: runs of capitalised words that do not open the
sentence, and runs ending in a known organisation suffix ("Inc.", "Ministry", "Bank").
It misses lower-case and sentence-initial names and guesses types from word lists, so
treat English entities as hints for the reviewer rather than as facts.
"""

import re
import threading
from typing import Any

from .lexicon import word_set
from .morphology import morph_analyzer

_lock = threading.Lock()
_natasha: dict[str, Any] = {}


def news_embedding() -> Any:
    """natasha's Russian news word vectors (navec), loaded once and shared by the entity
    tagger and the scorer (``meaning``)."""
    if "embedding" not in _natasha:
        with _lock:
            if "embedding" not in _natasha:
                from natasha import NewsEmbedding

                _natasha["embedding"] = NewsEmbedding()
    return _natasha["embedding"]


def _natasha_models() -> dict[str, Any]:
    if "ner" not in _natasha:
        embedding = news_embedding()
        with _lock:
            if "ner" not in _natasha:
                from natasha import NewsNERTagger, Segmenter

                _natasha["segmenter"] = Segmenter()
                _natasha["ner"] = NewsNERTagger(embedding)
    return _natasha


# The NER model holds a whole document's tensors at once; feeding it pieces of about this
# many characters, cut at line breaks, keeps memory flat on long documents.
_CHUNK = 20_000


def russian_entities(text: str) -> list[dict[str, Any]]:
    """Return entities found by natasha in ``text`` (offsets relative to ``text``)."""
    entities: list[dict[str, Any]] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= _CHUNK else text.rfind("\n", start, start + _CHUNK)
        if end <= start:
            end = min(len(text), start + _CHUNK)
            # No line break nearby: cut at a space so no word is split in two.
            space = text.rfind(" ", start, end)
            end = space if space > start and end < len(text) else end
        entities.extend(_chunk_entities(text, start, end))
        start = end
    return entities


def _chunk_entities(text: str, chunk_start: int, chunk_end: int) -> list[dict[str, Any]]:
    from natasha import Doc

    models = _natasha_models()
    doc = Doc(text[chunk_start:chunk_end])
    doc.segment(models["segmenter"])
    doc.tag_ner(models["ner"])
    entities = []
    for span in doc.spans:
        start, end = _trim(text, chunk_start + span.start, chunk_start + span.stop)
        if start >= end:
            continue
        surface = text[start:end]
        if span.type == "PER" and _common_word(surface):
            continue
        entities.append(
            {
                "start": start,
                "end": end,
                "text": surface,
                "type": span.type,
                "normal": normalise_russian_name(surface),
            }
        )
    return entities


def _common_word(surface: str) -> bool:
    """True for a one-word "person" that the dictionary knows only as an ordinary word.

    The model sometimes tags a capitalised sentence opener ("Осенью") as a name.
    """
    if " " in surface or not _RUSSIAN_WORD.fullmatch(surface):
        return False
    parses = morph_analyzer().parse(surface)
    names = {"Name", "Surn", "Patr"}
    return all(parse.is_known and not names & set(parse.tag.grammemes) for parse in parses)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:…!?—–-"):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


_RUSSIAN_WORD = re.compile(r"[А-Яа-яЁё]+")


def normalise_russian_name(surface: str) -> str:
    """Put every inflected Russian word of a name into the nominative case.

    "Центральной Азии" becomes "Центральная Азия"; abbreviations, initials and words in
    quotation marks are left as written.
    """
    analyzer = morph_analyzer()
    quoted = _quoted_ranges(surface)
    pieces: list[str] = []
    cursor = 0
    for match in _RUSSIAN_WORD.finditer(surface):
        word = match.group()
        pieces.append(surface[cursor : match.start()])
        cursor = match.end()
        hyphenated = surface[match.end() : match.end() + 1] == "-" or (
            match.start() > 0 and surface[match.start() - 1] == "-"
        )
        # Parts of hyphenated names ("Усть-Кут") and quoted names do not inflect alone.
        if (
            word.isupper()
            or len(word) < 2
            or hyphenated
            or any(a <= match.start() < b for a, b in quoted)
        ):
            pieces.append(word)
            continue
        pieces.append(_nominative(analyzer, word))
    pieces.append(surface[cursor:])
    return "".join(pieces)


def _nominative(analyzer: Any, word: str) -> str:
    parses = analyzer.parse(word)
    # Prefer readings as a name or place, which is what an entity word usually is.
    preferred = [
        p for p in parses if {"Name", "Surn", "Patr", "Geox", "Orgn"} & set(p.tag.grammemes)
    ]
    for parse in preferred or parses:
        if parse.tag.case is None:
            continue
        try:
            # natasha's analyzer takes Universal Dependencies names for grammemes.
            inflected = parse.inflect({"Nom"})
        except (KeyError, ValueError):
            # Some dictionary entries have no paradigm to inflect through.
            continue
        if inflected is not None:
            return _same_case_as(word, inflected.word)
    return word


def _same_case_as(original: str, word: str) -> str:
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"«[^»]*»|\"[^\"]*\"|„[^“]*“", text)]


_ORG_SUFFIXES = word_set("""
    Inc Inc. Corp Corp. Corporation Ltd Ltd. LLC PLC Plc Co. Company Group Bank Ministry
    Agency Association Institute University Council Commission Committee Court Party Fund
    Foundation Office Department Service Authority Organization Organisation Union Reuters
    Parliament Senate Congress Police Army Navy Times Post News Press Board Bureau
    """)
_ORG_WORDS = word_set("""
    NATO UN EU IMF WHO OPEC FBI CIA NASA BBC CNN AP AFP Reuters Bloomberg Google Apple
    Microsoft Amazon Meta Gazprom Rosneft Kremlin Pentagon
    """)
_PLACE_WORDS = word_set("""
    Russia Kazakhstan Ukraine China America Britain England France Germany Italy Spain
    Poland Japan India Iran Iraq Israel Turkey Europe Asia Africa Moscow London Paris Berlin
    Washington Beijing Kyiv Kiev Astana Almaty Tashkent Uzbekistan Kyrgyzstan Tajikistan
    Belarus Georgia Armenia Azerbaijan Canada Mexico Brazil Australia Syria Egypt York
    California Texas Texas Brussels Geneva Vienna Tokyo Seoul Korea Afghanistan Pakistan
    """)
_TITLES = word_set("Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. Prof Prof. President Minister Senator")
_CONNECTORS = frozenset({"of", "for", "and", "the", "de", "van", "von"})
_STOP_CAPITALS = word_set("""
    I The A An In On At By For From To Of And But Or If When While After Before This That
    These Those It Its He She We They His Her Their Our My Your There Here Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July
    August September October November December According However Meanwhile Also Maybe
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Yes No Not Some Many Most Q A
    """)
_TOKEN = re.compile(r"[A-Z][\w'’\-]*\.?|[a-z]+|\S")


def english_entities(text: str, sentence_starts: list[int]) -> list[dict[str, Any]]:
    """Guess entities in English ``text`` by capitalisation (see the module docstring)."""
    starts = set(sentence_starts)
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    # A sentence opening with a quote or a dash starts at its first word.
    first_word = next((t[0] for t in tokens if t[2][:1].isalpha()), None)
    if first_word is not None and not text[:first_word].strip(" \"“‘'—–-(«"):
        starts.add(first_word)
    entities: list[dict[str, Any]] = []
    index = 0
    while index < len(tokens):
        start, _end, word = tokens[index]
        if not _capitalised(word) or (start in starts and word.rstrip(".") in _STOP_CAPITALS):
            index += 1
            continue
        run = [index]
        cursor = index + 1
        while cursor < len(tokens):
            nxt = tokens[cursor][2]
            if (_capitalised(nxt) and nxt.rstrip(".") not in _STOP_CAPITALS) or (
                nxt in _CONNECTORS
                and cursor + 1 < len(tokens)
                and _capitalised(tokens[cursor + 1][2])
            ):
                run.append(cursor)
            else:
                break
            cursor += 1
        words = [tokens[i][2] for i in run]
        while words and words[0] in _TITLES:
            words.pop(0)
            run.pop(0)
        if words and not (
            len(words) == 1
            and tokens[run[0]][0] in starts
            and words[0].rstrip(".") not in _PLACE_WORDS
        ):
            entity = _english_entity(text, tokens, run, words)
            if entity is not None:
                entities.append(entity)
        index = cursor
    return entities


def _capitalised(word: str) -> bool:
    return (word[:1].isupper() and word.rstrip(".") not in _STOP_CAPITALS) or word in _TITLES


def _english_entity(
    text: str, tokens: list[tuple[int, int, str]], run: list[int], words: list[str]
) -> dict[str, Any] | None:
    start = tokens[run[0]][0]
    end = tokens[run[-1]][1]
    start, end = _trim(text, start, end)
    if start >= end:
        return None
    bare = [word.rstrip(".") for word in words]
    if any(word in _ORG_SUFFIXES or word.rstrip(".") in _ORG_WORDS for word in words):
        kind = "ORG"
    elif any(word in _PLACE_WORDS for word in bare):
        kind = "LOC"
    elif len(words) >= 2 or tokens[run[0]][2] in _TITLES:
        kind = "PER"
    elif words[0].isupper() and len(words[0]) > 1:
        kind = "ORG"
    else:
        kind = "PER"
    surface = text[start:end]
    return {"start": start, "end": end, "text": surface, "type": kind, "normal": surface}
