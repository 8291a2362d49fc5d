"""Forms of the reviewer pages: they check the shape of the input; services decide the rest."""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from .models import AuthorType, ClaimKind, ClaimStatus, Document, Role, Stance


def normalise_newlines(text: str) -> str:
    # Browsers send a textarea's line breaks as CRLF; the text the user typed has LF.
    return text.replace("\r\n", "\n")


class PanelForm(forms.Form):
    """A form of the claim panel: field ids carry the form's name, so that several
    forms on one page (each with a ``version``) never share an id."""

    id_prefix = "form"

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class PasteDocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    content = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}), strip=False
    )
    source_format = forms.ChoiceField(
        label=_("Format"), choices=Document.Format.choices, initial=Document.Format.TEXT
    )
    author = forms.CharField(label=_("Author"), max_length=300, required=False)

    def clean_content(self) -> str:
        return normalise_newlines(self.cleaned_data["content"])


class UploadDocumentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("Plain text, Markdown, HTML or PDF (.txt, .md, .html, .pdf).")
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to use the file's first heading, or else its name."),
    )


class UrlDocumentForm(forms.Form):
    url = forms.URLField(label=_("Address of the page"), max_length=2000, assume_scheme="https")
    title = forms.CharField(
        label=_("Title"),
        max_length=500,
        required=False,
        help_text=_("Leave empty to use the page's title."),
    )


class DocumentMetadataForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=500)
    author = forms.CharField(
        label=_("Author"),
        max_length=300,
        required=False,
        help_text=_("Who made the claims in the text."),
    )
    author_type = forms.ChoiceField(
        label=_("The author is"),
        choices=[("", _("guessed from the text")), *AuthorType.choices],
        required=False,
    )
    source_url = forms.URLField(
        label=_("Address of the original"), max_length=2000, required=False, assume_scheme="https"
    )
    published_on = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ProjectRulesForm(forms.Form):
    blind_review = forms.BooleanField(
        label=_("Blind review"),
        required=False,
        help_text=_("Reviewers see other verdicts only after giving their own."),
    )
    separate_duties = forms.BooleanField(
        label=_("Separation of duties"),
        required=False,
        help_text=_("An editor cannot approve or publish a claim whose only verdict is their own."),
    )


class MemberInviteForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("For someone without an account yet: one is created for them."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REVIEWER)


class ReferenceImportForm(forms.Form):
    """Other fact-checkers' ClaimReview for the reference archive: a file or an address."""

    file = forms.FileField(
        label=_("ClaimReview file"),
        required=False,
        help_text=_("JSON-LD: one ClaimReview, a list, a feed, or a saved page with them."),
    )
    url = forms.URLField(
        label=_("Or the address of a fact-checker's page or feed"),
        max_length=2000,
        required=False,
        assume_scheme="https",
    )

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(_("Choose a file or give an address, one of the two."))
        return data


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RatingForm(forms.Form):
    value = forms.SlugField(
        label=_("Code"), max_length=40, help_text=_("Stable, in Latin letters: mostly_false.")
    )
    label = forms.CharField(label=_("Label in English"), max_length=100)
    label_ru = forms.CharField(label=_("Label in Russian"), max_length=100, required=False)
    colour = forms.CharField(
        label=_("Colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"})
    )
    numeric_value = forms.IntegerField(
        label=_("Place on the truth scale"),
        required=False,
        help_text=_("Empty for ratings outside it, such as Unverifiable."),
    )


class BaseRatingFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        values = [
            form.cleaned_data.get("value")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if len(values) != len(set(values)):
            raise ValidationError(_("Each rating needs its own code."))


RatingFormSet = forms.formset_factory(
    RatingForm, formset=BaseRatingFormSet, extra=1, can_delete=True, min_num=2, validate_min=True
)


class VersionForm(PanelForm):
    """An action on a claim as the reviewer saw it (``version``)."""

    id_prefix = "action"

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class NewVersionForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the new version"),
        widget=forms.Textarea(attrs={"rows": 12}),
        strip=False,
        help_text=_("Paste the article as it reads now; its claims are moved onto it."),
    )


class PlaceClaimForm(forms.Form):
    passage = forms.CharField(
        label=_("Its passage in the latest version"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Copy the words of the latest version that make this claim now."),
    )


class SplitForm(VersionForm):
    id_prefix = "split"
    at = forms.IntegerField(label=_("Split at (character offset)"), min_value=0)


class BoundaryForm(VersionForm):
    id_prefix = "boundary"
    start = forms.IntegerField(label=_("Start (character offset)"), min_value=0)
    end = forms.IntegerField(label=_("End (character offset)"), min_value=1)
    # The selected text as the page saw it: a mismatch means the offsets went wrong.
    text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)


class ClaimEditForm(VersionForm):
    id_prefix = "edit"
    kind = forms.ChoiceField(label=_("Kind"), choices=ClaimKind.choices)
    attribution = forms.CharField(label=_("Attribution"), max_length=500, required=False)


def source_choice_label(source) -> str:
    """A source as a reviewer tells it from the others: its title, the site it is on and
    the start of its quote (two articles of one site often share a title)."""
    site = urlsplit(source.url).hostname or source.url
    parts = [source.title or source.url, site if source.title else ""]
    if source.quote:
        quote = source.quote if len(source.quote) <= 60 else source.quote[:59] + "…"
        parts.append(pgettext("quotation marks around a text", "“%(text)s”") % {"text": quote})
    return " · ".join(part for part in parts if part)


class VerdictForm(PanelForm):
    id_prefix = "verdict"
    rating = forms.ChoiceField(label=_("Rating"))
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20_000
    )
    sources = forms.TypedMultipleChoiceField(
        label=_("Sources relied on"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version of the reviewer's own verdict they saw; empty for a first verdict.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, ratings=(), sources=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", _("Choose a rating"))] + [
            (rating.value, rating.display_label()) for rating in ratings
        ]
        self.fields["sources"].choices = [
            (source.pk, source_choice_label(source)) for source in sources
        ]

    def clean_rationale(self) -> str:
        return normalise_newlines(self.cleaned_data["rationale"])


class FinalVerdictForm(VersionForm):
    id_prefix = "final"
    verdict = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SourceForm(PanelForm):
    id_prefix = "source"
    url = forms.URLField(label=_("Source address"), max_length=2000, assume_scheme="https")
    quote = forms.CharField(
        label=_("Quoted statement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("The words the source is cited for; they are looked for on the page."),
    )
    stance = forms.ChoiceField(label=_("Stance"), choices=Stance.choices, initial=Stance.SUPPORTS)
    title = forms.CharField(label=_("Title"), max_length=500, required=False)


class SuggestionForm(PanelForm):
    id_prefix = "suggestion"
    passage = forms.CharField(widget=forms.HiddenInput, strip=False)


class CommentForm(PanelForm):
    id_prefix = "comment"
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=10_000
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def clean_body(self) -> str:
        return normalise_newlines(self.cleaned_data["body"])


class AssignForm(forms.Form):
    claims = forms.TypedMultipleChoiceField(label=_("Claims"), coerce=int)
    assignee = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args, claims=(), reviewers=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claims"].choices = [(claim.pk, str(claim)) for claim in claims]
        self.fields["assignee"].choices = [("", _("Choose a reviewer"))] + [
            (user.pk, user.get_username()) for user in reviewers
        ]


class DocumentListForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("title", _("By title")),
            ("claims", _("Most claims first")),
        ],
    )


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *ClaimStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("Any kind")), *ClaimKind.choices], required=False
    )
    rating = forms.ChoiceField(label=_("My rating"), required=False)
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("document", _("Document by document")),
            ("checkworthy", _("Most check-worthy first")),
            ("updated", _("Recently changed first")),
        ],
    )
    # Set from a claim's "this document only" link: the queue may span thousands.
    document = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1
    )

    def __init__(self, *args, ratings=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", _("Any rating")), *ratings]


def add_service_error(
    form: forms.Form, error: ValidationError, renamed: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it
    (``renamed`` maps a service's name for a value to the form's, e.g. text → content)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = (renamed or {}).get(name, name)
            target = (
                field if field in form.fields and not form.fields[field].widget.is_hidden else None
            )
            for message in messages:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class PublicationForm(PanelForm):
    """How an editor publishes a claim's fact-check (the service checks the addresses)."""

    id_prefix = "publication"
    summary = forms.CharField(
        label=_("Claim as published"),
        max_length=300,
        required=False,
        help_text=_("A short wording for readers and search engines; the claim's text if empty."),
    )
    article_url = forms.CharField(
        label=_("Article address"),
        max_length=2000,
        required=False,
        help_text=_("Where your newsroom publishes this fact-check; our public page if empty."),
    )
    first_appearance_url = forms.CharField(
        label=_("First appearance"),
        max_length=2000,
        required=False,
        help_text=_("Where the claim was first made, if known."),
    )
