"""Words of a claim as the matcher compares them: lemmas, with synonyms folded together.

Russian words get their pymorphy2 lemma (the analyzer the extractor already loads);
English and other Latin-script words get simplemma's. Function words are dropped;
names (a capital letter not opening the sentence, an abbreviation, or a place, first
name or surname to pymorphy2) are marked, because a claim about another country or
person is another claim however alike the rest of it reads.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Final, NamedTuple

from ..extraction.lexicon import word_set
from ..extraction.morphology import morph_analyzer
from .numbers import NUMBER_LEMMAS

_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_CYRILLIC: Final = re.compile(r"[а-яё]", re.IGNORECASE)

# Parts of speech that carry no content of their own in Russian.
_RUSSIAN_FUNCTION_POS: Final = {"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"}
_RUSSIAN_NAME_TAGS: Final = {"Geox", "Name", "Surn", "Orgn", "Abbr"}
_RUSSIAN_STOP: Final = word_set(
    "быть это этот тот который весь свой его её их также ещё уже так как чем"
)
_ENGLISH_STOP: Final = word_set(
    """
    a an the and or but if of in on at to for from by with about as into than then that
    this these those there here it its it's is are was were be been being am do does did
    have has had having will would shall should can could may might must not no nor so
    such very just also only too all any both each every other some own same he she they
    we you i me him her them us our your their his my who whom whose which what when
    where why how up out off over under again further once s t don't doesn't didn't
    isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't couldn't
    """
)

# Words that say the same thing in a claim, folded to one concept. Kept to general
# news vocabulary: trends, comparisons, reporting, money, people, places' adjectives.
_SYNONYMS: Final = {
    "~up": """rise increase grow climb jump surge expand gain raise hike go_up soar
        вырасти увеличиться увеличить подняться поднять повыситься повысить рост
        увеличение повышение расти возрасти прирост increased growth""",
    "~down": """fall drop decline decrease shrink contract cut reduce lower plunge slump
        sink dip снизиться снизить сократиться сократить упасть уменьшиться уменьшить
        падение снижение сокращение спад понизиться уменьшение decline""",
    "~say": """say claim tell report announce according assert заявить сказать
        сообщить говорить утверждать слово отметить заявление пообещать""",
    "~more": """more over exceed top pass surpass above больше более свыше превысить
        превышать перевалить выше""",
    "~less": "less fewer under below меньше менее ниже",
    "~price": "price cost стоимость цена стоить expensive cheap",
    "~pricier": "подорожать",
    "~cheaper": "подешеветь",
    "~wage": "зарплата заработный оклад pay wage salary earnings",
    "~people": "человек житель гражданин люди people person resident inhabitant citizen",
    "~build": "построить возвести строительство строить build construct construction",
    "~die": "погибнуть умереть смерть гибель kill die death dead умирать",
    "~work": "работать трудиться занятый занять работа employ work employment",
    "~ban": "запрет запретить запрещать запрещающий ban prohibit forbid",
    "~spend": "потратить тратить расход обойтись spend expenditure spending",
    "~pay": "заплатить уплатить платить pay paid",
    "~child": "ребёнок ребенок дети child kid",
    "~car": "автомобиль машина car vehicle automobile",
    "~pupil": "школьник ученик student pupil",
    "~teacher": "учитель педагог teacher",
    "~doctor": "врач доктор doctor physician",
    "~percent": "процент percent per_cent pct",
    "~year": "год year ежегодно annual annually yearly",
    "~record": "рекорд рекордный record",
    "~shortage": "нехватка дефицит хватать shortage lack",
    "~approve": "одобрить утвердить approve endorse",
    "~economy": "экономика ввп gdp economy economic",
    "~leader": "лидер крупнейший largest biggest leader top",
    "~double": "удвоиться double twofold вдвое",
    "~triple": "утроиться triple threefold втрое",
    "~first": "впервые первый first",
    "~average": "средний average mean",
    "~number": "число количество численность number amount",
    "~country": "страна country nation государство",
    "~capital": "столица capital",
    "~promise": "обещать pledge promise vow",
    "~produce": "производство производить выпуск выпускать produce production output make",
    "~export": "экспорт вывоз export",
    "~import": "импорт ввоз import",
    "~flood": "паводок наводнение flood flooding",
    "~university": "вуз университет university college",
    "~abroad": "рубеж граница заграница abroad",
    "~russia": "россия рф российский россиянин russia russian",
    "~usa": "сша америка американский usa us america american united_states",
    "~china": "китай китайский china chinese",
    "~kazakhstan": "казахстан казахстанский казахстанец kazakhstan kazakh",
    "~uzbekistan": "узбекистан узбекский uzbekistan uzbek",
    "~kyrgyzstan": "кыргызстан киргизия кыргызстанец kyrgyzstan kyrgyz",
    "~belarus": "белоруссия беларусь белорусский belarus belarusian",
    "~britain": "великобритания британия британский uk britain british united_kingdom",
    "~germany": "германия немецкий germany german",
    "~france": "франция французский france french",
    "~ukraine": "украина украинский ukraine ukrainian",
    "~georgia": "грузия грузинский georgia georgian",
    "~turkey": "турция турецкий turkey turkish",
    "~japan": "япония японский japan japanese",
    "~india": "индия индийский india indian",
    "~europe": "европа европейский eu europe european european_union",
    "~moscow": "москва московский москвич moscow",
    "~petersburg": "санкт-петербург петербург петербургский peterburg petersburg",
    "~brazil": "бразилия бразильский brazil brazilian",
    "~mexico": "мексика мексиканский mexico mexican",
    "~nyc": "nyc new_york_city",
    "~congo": "конго congo",
    "~fed": "фрс fed federal_reserve",
    "~cb": "центробанк цб банк_россии central_bank",
    "~minfin": "минфин министерство_финансов",
    "~minzdrav": "минздрав министерство_здравоохранения",
}
SYNONYMS: Final = {word: concept for concept, words in _SYNONYMS.items() for word in words.split()}
# Phrases folded before lemmas are looked up ("United States" → "united_states"), by
# their first word, longest first.
_PHRASES: Final[dict[str, list[list[str]]]] = {}
for _phrase in sorted((word.split("_") for word in SYNONYMS if "_" in word), key=len, reverse=True):
    _PHRASES.setdefault(_phrase[0], []).append(_phrase)
# Concepts that the matcher weighs less: they appear in half of all claims.
LIGHT: Final = {"~say", "~year", "~percent", "~people", "~number", "~first"}

_lock = threading.Lock()
_russian_cache: dict[str, tuple[str, str, bool]] = {}
_english_cache: dict[str, str] = {}


@dataclass(frozen=True)
class Word:
    """One content word of a claim: its lemma (or concept) and whether it names something."""

    lemma: str
    name: bool


def _russian(word: str) -> tuple[str, str, bool]:
    """(lemma, part of speech, is a name) of a lower-case Russian word."""
    cached = _russian_cache.get(word)
    if cached is None:
        parse = morph_analyzer().parse(word)[0]
        tag = parse.tag
        name = bool(_RUSSIAN_NAME_TAGS & tag.grammemes)
        cached = (parse.normal_form.replace("ё", "е"), str(tag.POS or ""), name)
        if len(_russian_cache) > 200_000:
            with _lock:
                _russian_cache.clear()
        _russian_cache[word] = cached
    return cached


def _english(word: str) -> str:
    cached = _english_cache.get(word)
    if cached is None:
        import simplemma

        cached = simplemma.lemmatize(word, lang="en").lower()
        if len(_english_cache) > 200_000:
            with _lock:
                _english_cache.clear()
        _english_cache[word] = cached
    return cached


class Analysed(NamedTuple):
    """One word as written and as the matcher reads it."""

    surface: str  # lower case
    lemma: str
    capital: bool
    name: bool  # a place, person or organisation to pymorphy2
    stop: bool  # a function word


def lemmas(text: str) -> list[Analysed]:
    """Every word of ``text``, analysed, in order.

    Function words are kept here (numbers in words need "с половиной", "one in five");
    ``content_words`` drops them.
    """
    found: list[Analysed] = []
    for match in _WORD.finditer(text):
        surface = match.group()
        lower = surface.lower().replace("’", "'")
        capital = surface[0].isupper()
        if _CYRILLIC.search(lower):
            for part in lower.split("-") if "-" in lower else [lower]:
                lemma, pos, name = _russian(part)
                stop = pos in _RUSSIAN_FUNCTION_POS or lemma in _RUSSIAN_STOP
                found.append(Analysed(part, lemma, capital, name, stop))
        else:
            # "US" is a name, "us" a pronoun.
            upper = len(surface) > 1 and surface.isupper()
            lemma = lower if upper else _english(lower)
            stop = not upper and (lower in _ENGLISH_STOP or lemma in _ENGLISH_STOP)
            found.append(Analysed(lower, lemma, capital, upper, stop))
    return found


def _phrase_at(analysed: list[Analysed], index: int, item: Analysed) -> list[str] | None:
    for key in (item.surface, item.lemma):
        for phrase in _PHRASES.get(key, ()):
            window = analysed[index : index + len(phrase)]
            if [w.surface for w in window] == phrase or [w.lemma for w in window] == phrase:
                return phrase
    return None


def content_words(analysed: list[Analysed]) -> list[Word]:
    """The content words of an analysed claim, synonyms folded, phrases joined."""
    words: list[Word] = []
    index = 0
    count = len(analysed)
    first = True
    while index < count:
        item = analysed[index]
        phrase = _phrase_at(analysed, index, item)
        if phrase:
            words.append(Word(SYNONYMS["_".join(phrase)], name=True))
            index += len(phrase)
            first = False
            continue
        lemma, capital, known_name, stop = item[1:]
        index += 1
        if not stop and len(lemma) > 1 and lemma not in NUMBER_LEMMAS:
            concept = SYNONYMS.get(lemma, lemma)
            # A capital that opens the claim says nothing about a name.
            name = known_name or (capital and not first)
            words.append(Word(concept, name=name))
        first = False
    return words
