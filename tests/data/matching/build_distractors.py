"""Build the unrelated claims the matching test set hides its targets among.

``distractors-ru.txt`` and ``distractors-en.txt`` hold one claim a line, at least 10,000
each, from three places:

- the claims of the extraction test corpus (``tests/data/extraction/*.gold.json``);
- in English, the ClaimBuster sentences (see ``README.md`` for their credit), read from
  ``../shared/data/checkworthiness/claimbuster-en.jsonl`` beside the checkout;
- claims made from templates over the same subjects, measures and years the targets talk
  about, and every target again with its figures changed: an archive holds the same
  statistic for many years and places, and a matcher must tell them apart by the figure.

The output is fixed by the seed, so the files are rebuilt byte for byte. Run from the
repository root: ``python tests/data/matching/build_distractors.py``.
"""

import json
import random
import re
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent.parent
CORPUS = ROOT / "tests" / "data" / "extraction"
SHARED = next(
    (path for path in (ROOT.parent / "shared", Path("/work/shared")) if path.is_dir()),
    ROOT.parent / "shared",
)
CLAIMBUSTER = SHARED / "data" / "checkworthiness" / "claimbuster-en.jsonl"
SIZE = 10_500

RU_PLACES = [
    "России",
    "Казахстане",
    "Узбекистане",
    "Кыргызстане",
    "Таджикистане",
    "Армении",
    "Грузии",
    "Белоруссии",
    "Москве",
    "Санкт-Петербурге",
    "Новосибирской области",
    "Татарстане",
    "Якутии",
    "Алматы",
    "Астане",
    "Бишкеке",
    "Оренбурге",
    "Кузбассе",
    "Свердловской области",
    "Краснодарском крае",
    "Приморье",
    "Башкирии",
    "Дагестане",
    "Омской области",
    "Калининградской области",
    "Туркменистане",
    "Азербайджане",
]
RU_MEASURES = [
    ("Инфляция", "%", "f"),
    ("Безработица", "%", "f"),
    ("Уровень бедности", "%", "m"),
    ("Рождаемость", " на 1000 жителей", "f"),
    ("Средняя зарплата", " тыс. рублей", "f"),
    ("Средняя пенсия", " тыс. рублей", "f"),
    ("Экспорт зерна", " млн тонн", "m"),
    ("Добыча угля", " млн тонн", "f"),
    ("Ввод жилья", " млн кв. м", "m"),
    ("Число туристов", " млн человек", "n"),
    ("Товарооборот с Китаем", " млрд долларов", "m"),
    ("Бюджет региона", " млрд рублей", "m"),
    ("Государственный долг", " трлн рублей", "m"),
    ("Число ДТП", " тыс.", "n"),
    ("Смертность от инсульта", " на 100 тысяч", "f"),
    ("Численность населения", " млн человек", "f"),
    ("Доля возобновляемой энергетики", "%", "f"),
    ("Цена бензина", " рублей за литр", "f"),
    ("Производство автомобилей", " тыс. штук", "n"),
    ("Число мигрантов", " тыс. человек", "n"),
    ("Урожай пшеницы", " млн тонн", "m"),
    ("Пассажиропоток аэропорта", " млн пассажиров", "m"),
    ("Площадь лесных пожаров", " тыс. гектаров", "f"),
    ("Число школьников", " млн", "n"),
]
# Past-tense endings by the measure's gender: "составила", "составил", "составило".
RU_ENDINGS = {
    "f": {"a": "а", "la": "ла", "sja": "ась"},
    "m": {"a": "", "la": "", "sja": "ся"},
    "n": {"a": "о", "la": "ло", "sja": "ось"},
}
RU_VERBS = [
    "в {year} году составил{a} {value}{unit}",
    "в {year} году вырос{la} до {value}{unit}",
    "за {year} год снизил{sja} до {value}{unit}",
    "по итогам {year} года достиг{la} {value}{unit}",
    "в {year} году не превысил{a} {value}{unit}",
    "к концу {year} года сократил{sja} до {value}{unit}",
]
RU_SAYERS = [
    "сообщил Росстат",
    "заявил министр финансов",
    "говорится в докладе Всемирного банка",
    "сообщила пресс-служба губернатора",
    "следует из данных статистического комитета",
    "заявил депутат",
    "",
]

EN_PLACES = [
    "the United States",
    "Britain",
    "Canada",
    "Germany",
    "France",
    "Japan",
    "India",
    "China",
    "Brazil",
    "Mexico",
    "Nigeria",
    "Australia",
    "California",
    "Texas",
    "Florida",
    "New York City",
    "the city",
    "the state",
    "the county",
    "the district",
    "Ohio",
    "Michigan",
    "Ireland",
    "Kazakhstan",
    "Russia",
    "Ukraine",
    "Georgia",
    "Italy",
    "Spain",
]
EN_MEASURES = [
    ("Unemployment", "%"),
    ("Inflation", "%"),
    ("The poverty rate", "%"),
    ("Violent crime", "%"),
    ("The average rent", " dollars a month"),
    ("The minimum wage", " dollars an hour"),
    ("Grain exports", " million tonnes"),
    ("Coal production", " million tons"),
    ("The number of tourists", " million"),
    ("Public debt", " billion dollars"),
    ("The budget deficit", " billion dollars"),
    ("Traffic deaths", " thousand"),
    ("The homeless population", " thousand"),
    ("Life expectancy", " years"),
    ("The share of renewable energy", "%"),
    ("The price of gas", " dollars a gallon"),
    ("Car production", " thousand vehicles"),
    ("Net migration", " thousand people"),
    ("Overdose deaths", " thousand"),
    ("Tuition at public universities", " thousand dollars"),
    ("Teacher pay", " thousand dollars a year"),
    ("The prison population", " thousand"),
    ("Wildfire damage", " million hectares"),
    ("The price of eggs", " dollars a dozen"),
]
EN_VERBS = [
    "in {place} was {value}{unit} in {year}",
    "in {place} rose to {value}{unit} in {year}",
    "in {place} fell to {value}{unit} in {year}",
    "in {place} reached {value}{unit} by the end of {year}",
    "in {place} did not exceed {value}{unit} in {year}",
    "in {place} dropped to {value}{unit} last year, down from {year}",
]
EN_SAYERS = [
    "the governor said",
    "according to official statistics",
    "the ministry reported",
    "a new report found",
    "the senator claimed",
    "",
]

_FIGURE = re.compile(r"\d+(?:[.,]\d+)?")


def corpus_claims(prefix: str) -> list[str]:
    claims = []
    for path in sorted(CORPUS.glob(f"{prefix}-*.gold.json")):
        claims.extend(item["text"] for item in json.loads(path.read_text())["claims"])
    return [claim for claim in claims if len(claim.split()) >= 4]


def claimbuster() -> list[str]:
    with CLAIMBUSTER.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


def targets(language: str) -> list[str]:
    found = []
    for split in ("dev", "heldout"):
        with (HERE / f"{language}-{split}.jsonl").open(encoding="utf-8") as lines:
            found.extend(json.loads(line)["claim"] for line in lines)
    return found


def changed_figures(claim: str, rng: random.Random) -> str | None:
    """The claim with each figure in it replaced by another one of the same shape."""
    if not _FIGURE.search(claim):
        return None

    def other(match: re.Match[str]) -> str:
        figure = match.group()
        if figure.isdigit() and len(figure) == 4 and figure.startswith(("19", "20")):
            return str(int(figure) + rng.choice([-3, -2, -1, 1, 2]))
        digits = [char for char in figure]
        for index, char in enumerate(digits):
            if char.isdigit():
                digits[index] = str((int(char) + rng.randint(1, 8)) % 10)
                break
        if digits[0] == "0" and len(digits) > 1 and digits[1].isdigit():
            digits[0] = "1"
        return "".join(digits)

    changed = _FIGURE.sub(other, claim)
    return changed if changed != claim else None


def figure(rng: random.Random, language: str) -> str:
    value = rng.choice([rng.randint(2, 99), round(rng.uniform(0.5, 99.9), 1)])
    text = str(value)
    return text.replace(".", ",") if language == "ru" else text


def templated(language: str, rng: random.Random) -> str:
    year = rng.randint(1995, 2024)
    value = figure(rng, language)
    if language == "ru":
        measure, unit, gender = rng.choice(RU_MEASURES)
        verb = rng.choice(RU_VERBS).format(year=year, value=value, unit=unit, **RU_ENDINGS[gender])
        claim = f"{measure} в {rng.choice(RU_PLACES)} {verb}"
        sayer = rng.choice(RU_SAYERS)
    else:
        measure, unit = rng.choice(EN_MEASURES)
        verb = rng.choice(EN_VERBS).format(
            place=rng.choice(EN_PLACES), year=year, value=value, unit=unit
        )
        claim = f"{measure} {verb}"
        sayer = rng.choice(EN_SAYERS)
    return f"{claim}, {sayer}." if sayer else f"{claim}."


def build(language: str) -> list[str]:
    rng = random.Random(f"matching-{language}")
    chosen: list[str] = []
    seen: set[str] = set(targets(language))

    def add(claim: str | None) -> None:
        if claim and claim not in seen:
            seen.add(claim)
            chosen.append(" ".join(claim.split()))

    prefix = "ru" if language == "ru" else "en"
    base = corpus_claims(prefix) + (claimbuster() if language == "en" else [])
    for claim in base:
        add(claim)
    for claim in targets(language):
        add(changed_figures(claim, rng))
    for claim in corpus_claims(prefix):
        add(changed_figures(claim, rng))
    while len(chosen) < SIZE:
        add(templated(language, rng))
    return chosen


def main() -> None:
    for language in ("ru", "en"):
        claims = build(language)
        (HERE / f"distractors-{language}.txt").write_text("\n".join(claims) + "\n")
        print(language, len(claims))


if __name__ == "__main__":
    main()
