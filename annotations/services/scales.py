"""Rating scales: the default one every project starts with."""

from __future__ import annotations

from django.db import transaction

from ..models import Project, Rating, RatingScale

# value, label, Russian label, colour, numeric value (None: outside the truth scale),
# English description, Russian description.
DEFAULT_RATINGS: list[tuple[str, str, str, str, int | None, str, str]] = [
    ("true", "True", "Правда", "#1a7f37", 6,
     "The statement is accurate and nothing significant is missing.",
     "Утверждение точно, и ничего существенного не упущено."),
    ("mostly_true", "Mostly true", "В основном правда", "#4c9a2a", 5,
     "Accurate but needs clarification or additional information.",
     "Утверждение точно, но требует уточнений или дополнительной информации."),
    ("half_true", "Half true", "Полуправда", "#b08800", 4,
     "Partially accurate but leaves out important details or takes things out of context.",
     "Частично точно, но упускает важные детали или вырывает факты из контекста."),
    ("mostly_false", "Mostly false", "В основном ложь", "#d4650f", 3,
     "Contains an element of truth but ignores critical facts.",
     "Содержит долю правды, но игнорирует важнейшие факты."),
    ("false", "False", "Ложь", "#cf222e", 2,
     "The statement is not accurate.",
     "Утверждение не соответствует действительности."),
    ("misleading", "Misleading", "Вводит в заблуждение", "#8250df", 1,
     "Accurate facts presented so as to give a false impression.",
     "Верные факты поданы так, что создают ложное впечатление."),
    ("unverifiable", "Unverifiable", "Невозможно проверить", "#57606a", None,
     "There is not enough public evidence to confirm or refute it.",
     "Недостаточно публичных данных, чтобы подтвердить или опровергнуть."),
    ("not_factual", "Not a factual claim", "Не фактическое утверждение", "#8c959f", None,
     "An opinion, prediction or question rather than a checkable statement of fact.",
     "Мнение, прогноз или вопрос, а не проверяемое утверждение о фактах."),
]  # fmt: skip


@transaction.atomic
def create_default_scale(*, project: Project) -> RatingScale:
    scale = RatingScale.objects.create(project=project, name="Default")
    Rating.objects.bulk_create(
        Rating(
            scale=scale,
            value=value,
            position=position,
            label=label,
            description=description,
            translations={"ru": {"label": label_ru, "description": description_ru}},
            colour=colour,
            numeric_value=numeric,
            alternate_name=label,
        )
        for position, (
            value,
            label,
            label_ru,
            colour,
            numeric,
            description,
            description_ru,
        ) in enumerate(DEFAULT_RATINGS)
    )
    project.rating_scale = scale
    project.save(update_fields=["rating_scale"])
    return scale
