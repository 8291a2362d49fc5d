"""Rating scales: the default one every project starts with, and editing them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Min
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..models import Project, Rating, RatingScale, Role, Verdict
from .errors import ValidationError
from .permissions import role_require

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
def scale_create_default(*, project: Project) -> RatingScale:
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


@dataclass(frozen=True)
class RatingSpec:
    """One rating of a scale as an editor describes it; its position is its place in the list."""

    value: str
    label: str
    description: str = ""
    colour: str = "#888888"
    numeric_value: int | None = None
    alternate_name: str = ""
    translations: dict = field(default_factory=dict)


@transaction.atomic
def scale_update(
    *,
    project: Project,
    actor: AbstractBaseUser | None,
    ratings: Sequence[RatingSpec | Mapping[str, Any]],
) -> RatingScale:
    """Replace the project's ratings with ``ratings``, in that order (editor+).

    Verdicts never change under anyone's feet: if any verdict (even one in the trash)
    uses the current scale, the new ratings go into a copy with the next version number,
    which becomes the project's scale, and the old verdicts keep their old ratings. A
    scale nobody has used yet is edited in place. Returns the project's scale afterwards.
    """
    role_require(actor, project, Role.EDITOR)
    # One editor at a time: two edits must not both claim the next version number.
    project = Project.objects.select_for_update().get(pk=project.pk)
    specs = _clean_specs(ratings)
    scale = project.rating_scale
    if scale is not None and not Verdict.objects.filter(rating__scale=scale).exists():
        for rating in scale.ratings.all():
            rating._history_user = actor
            rating.delete()
    else:
        latest = (
            RatingScale.objects.filter(project=project, name=scale.name if scale else "Default")
            .order_by("-version")
            .first()
        )
        scale = RatingScale(
            project=project,
            name=latest.name if latest else "Default",
            version=latest.version + 1 if latest else 1,
        )
        scale._history_user = actor
        scale.save()
        project.rating_scale = scale
        project._history_user = actor
        project.save(update_fields=["rating_scale"])
    bulk_create_with_history(
        [
            Rating(
                scale=scale,
                position=position,
                value=spec.value,
                label=spec.label,
                description=spec.description,
                colour=spec.colour,
                numeric_value=spec.numeric_value,
                alternate_name=spec.alternate_name or spec.label,
                translations=spec.translations,
            )
            for position, spec in enumerate(specs)
        ],
        Rating,
        default_user=actor,
    )
    return scale


def _clean_specs(ratings: Sequence[RatingSpec | Mapping[str, Any]]) -> list[RatingSpec]:
    specs = []
    for item in ratings:
        try:
            spec = item if isinstance(item, RatingSpec) else RatingSpec(**item)
        except TypeError:
            message = _("Each rating needs a value and a label.")
            raise ValidationError({"ratings": message}) from None
        spec = replace(
            spec,
            value=spec.value.strip(),
            label=spec.label.strip(),
            description=spec.description.strip(),
            alternate_name=spec.alternate_name.strip(),
        )
        if not re.fullmatch(r"[-a-zA-Z0-9_]{1,40}", spec.value):
            raise ValidationError(
                {
                    "ratings": _(
                        "“%(value)s”: a rating's value is up to 40 Latin letters, digits, "
                        "hyphens or underscores."
                    )
                    % {"value": spec.value}
                }
            )
        if not spec.label or len(spec.label) > 100:
            message = _("“%(value)s” needs a label of up to 100 characters.")
            raise ValidationError({"ratings": message % {"value": spec.value}})
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", spec.colour):
            raise ValidationError(
                {"ratings": _("“%(value)s”: give the colour as #rrggbb.") % {"value": spec.value}}
            )
        specs.append(spec)
    if not specs:
        raise ValidationError({"ratings": _("A scale needs at least one rating.")})
    values = [spec.value for spec in specs]
    if len(set(values)) != len(values):
        raise ValidationError({"ratings": _("Each rating's value must be different.")})
    numbers = [spec.numeric_value for spec in specs if spec.numeric_value is not None]
    if len(set(numbers)) != len(numbers):
        # The numbers order the truth scale (agreement, ClaimReview); ties make it ambiguous.
        raise ValidationError({"ratings": _("Each rating's numeric value must be different.")})
    return specs


def claimreview_rating(rating: Rating, language: str | None = None) -> dict[str, Any]:
    """The ClaimReview ``reviewRating`` for a rating, named for readers of ``language``.

    ``alternateName`` is what search engines show: the rating's label in ``language``
    (the project's) when the scale has one, else its own ``alternate_name`` or label.
    ``ratingValue`` is the rating's numeric value, ``bestRating`` and ``worstRating`` the
    highest and lowest numeric values of its scale; a rating outside the truth scale
    (no numeric value) is described by its ``alternateName`` alone.
    """
    translated = rating.translations.get((language or "")[:2], {}).get("label", "")
    result: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": translated or rating.alternate_name or rating.label,
    }
    if rating.numeric_value is not None:
        bounds = rating.scale.ratings.filter(numeric_value__isnull=False).aggregate(
            best=Max("numeric_value"), worst=Min("numeric_value")
        )
        result.update(
            ratingValue=rating.numeric_value,
            bestRating=bounds["best"],
            worstRating=bounds["worst"],
        )
    return result
