"""Review endpoints: verdicts, comments, workflow transitions, history, agreement."""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from .. import selectors
from ..models import Claim, Project, Rating, Role, Verdict
from ..services import comments as comment_services
from ..services import trash as trash_services
from ..services import verdicts as verdict_services
from ..services import workflow
from ..services.agreement import agreement_for_claim, agreement_for_document
from ..services.history import STREAMS, HistoryEntry
from ..services.permissions import role_at_least
from . import serializers as s
from .concurrency import expected_version, with_etag
from .filters import IdFilter, ProjectFilter, SinceFilter
from .pagination import KeysetPagination


def resolve_rating(project: Project, raw: str | int) -> Rating:
    """A rating on the project's current scale, named by id, value or label (any language)."""
    ratings = Rating.objects.filter(scale_id=project.rating_scale_id)
    text = str(raw).strip()
    # Only ASCII digits name an id: "²" is a digit to str.isdigit but not to int().
    if re.fullmatch(r"[0-9]{1,18}", text):
        found = ratings.filter(pk=int(text)).first()
    elif "\x00" in text:
        found = None  # no rating has one, and PostgreSQL refuses it in a query
    else:
        found = ratings.filter(Q(value=text) | Q(label__iexact=text)).first()
        if found is None:
            lowered = text.casefold()
            found = next(
                (
                    rating
                    for rating in ratings
                    if any(
                        (entry.get("label") or "").casefold() == lowered
                        for entry in rating.translations.values()
                    )
                ),
                None,
            )
    if found is None:
        raise ValidationError(
            {"rating": [_("No rating “%(name)s” on this project's scale.") % {"name": text}]}
        )
    return found


def _if_match_optional(request: Request, obj) -> int | None:
    return expected_version(request, obj) if request.headers.get("If-Match") else None


class ClaimReviewActions:
    """Actions mixed into the claim viewset (routes under /claims/{id}/)."""

    # The viewset provides _claim(pk), _claim_response(claim), get_queryset, get_serializer.

    @extend_schema(request=s.ClaimPatchSerializer, responses=s.ClaimSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        data = s.ClaimPatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = workflow.claim_update(
            claim=claim,
            actor=request.user,
            expected_version=expected_version(request, claim),
            **data.validated_data,
        )
        return self._claim_response(updated)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        trash_services.claim_delete(claim=claim, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        methods=["POST"], request=s.VerdictInputSerializer, responses={201: s.VerdictSerializer}
    )
    @extend_schema(methods=["GET"], responses=s.VerdictSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def verdicts(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        if request.method == "POST":
            data = s.VerdictInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            project = claim.document.project
            # Replacing one's own earlier verdict needs its ETag, like any update.
            existing = Verdict.objects.filter(claim=claim, reviewer=request.user).first()
            verdict = verdict_services.verdict_submit(
                claim=claim,
                actor=request.user,
                rating=resolve_rating(project, values["rating"]),
                rationale=values["rationale"],
                sources=values.get("sources", ()),
                expected_version=_if_match_optional(request, existing) if existing else None,
            )
            verdict = verdict_queryset().get(pk=verdict.pk)
            return with_etag(
                Response(s.VerdictSerializer(verdict).data, status=status.HTTP_201_CREATED),
                verdict,
            )
        visible = selectors.verdicts_visible_to(request.user, claim)
        verdicts = verdict_queryset().filter(pk__in=visible.values("pk"))
        return Response(s.VerdictSerializer(verdicts, many=True).data)

    @extend_schema(request=s.FinalVerdictSerializer, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"], url_path="final-verdict")
    def final_verdict(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        project = claim.document.project
        data = s.FinalVerdictSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        verdict_id = values.get("verdict")
        if verdict_id is not None:
            verdict = claim.verdicts.filter(pk=verdict_id, deleted_at__isnull=True).first()
            if verdict is None:
                raise ValidationError({"verdict": [_("No such verdict on this claim.")]})
            kwargs = {"verdict": verdict}
        else:
            if not values.get("rating"):
                raise ValidationError({"rating": [_("Give a verdict id or a rating.")]})
            kwargs = {
                "rating": resolve_rating(project, values["rating"]),
                "rationale": values.get("rationale", ""),
            }
        updated = verdict_services.claim_set_final_verdict(
            claim=claim,
            actor=request.user,
            expected_version=_if_match_optional(request, claim),
            **kwargs,
        )
        return self._claim_response(updated)

    def _transition(self, request: Request, pk: str, service) -> Response:
        claim = self._claim(pk)
        updated = service(
            claim=claim, actor=request.user, expected_version=_if_match_optional(request, claim)
        )
        return self._claim_response(updated)

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, pk, workflow.claim_approve)

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, pk, workflow.claim_publish)

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, pk, workflow.claim_unpublish)

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        return self._transition(request, pk, workflow.claim_reopen)

    @extend_schema(request=None, responses=s.ClaimSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        claim = selectors.trash_item_get(request.user, Claim, int(pk))
        trash_services.claim_restore(claim=claim, actor=request.user)
        return self._claim_response(claim)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def purge(self, request: Request, pk: str | None = None) -> Response:
        """Delete a claim in the trash for good (project admins)."""
        claim = selectors.purge_target_get(request.user, Claim, int(pk))
        trash_services.claim_purge(claim=claim, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.AssignSerializer, responses=s.ClaimSerializer(many=True))
    @action(detail=False, methods=["post"])
    def assign(self, request: Request) -> Response:
        data = s.AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data["claims"]
        claims = list(selectors.claims_for(request.user).filter(pk__in=ids))
        if len(claims) != len(set(ids)):
            raise NotFound()
        assignee = get_user_model().objects.filter(username=data.validated_data["assignee"]).first()
        if assignee is None:
            raise ValidationError({"assignee": [_("No such user.")]})
        workflow.claims_assign(claims=claims, actor=request.user, assignee=assignee)
        queryset = self.get_queryset().filter(pk__in=ids)
        return Response(self.get_serializer(queryset, many=True).data)

    @extend_schema(
        methods=["POST"], request=s.CommentInputSerializer, responses={201: s.CommentSerializer}
    )
    @extend_schema(methods=["GET"], responses=s.CommentSerializer(many=True))
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def comments(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        if request.method == "POST":
            data = s.CommentInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            parent = None
            if data.validated_data.get("parent"):
                parent = selectors.comment_get(request.user, data.validated_data["parent"])
            comment = comment_services.comment_add(
                claim=claim, actor=request.user, body=data.validated_data["body"], parent=parent
            )
            return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        nodes = selectors.comments_for(claim)
        return Response(
            [
                {**s.CommentSerializer(node.comment).data, "depth": node.depth}
                for node in nodes
                if not node.deleted
            ]
        )

    @extend_schema(responses=s.HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        entries = selectors.claim_history_for(request.user, claim)
        return Response([_history_entry(entry) for entry in entries])

    @extend_schema(responses=inline_serializer("Agreement", {
        "n_claims": serializers.IntegerField(),
        "n_verdicts": serializers.IntegerField(),
        "percent_agreement": serializers.FloatField(allow_null=True),
        "alpha": serializers.FloatField(allow_null=True),
    }))  # fmt: skip
    @action(detail=True, methods=["get"])
    def agreement(self, request: Request, pk: str | None = None) -> Response:
        claim = self._claim(pk)
        if not role_at_least(request.user, claim.document.project, Role.EDITOR):
            raise PermissionDenied(_("Agreement figures are for editors."))
        return Response(asdict(agreement_for_claim(claim)))


class HistoryView(APIView):
    """``GET /history/?project=SLUG``: the project's history, oldest first, in cursor
    pages; ``claim`` narrows it to one claim, ``since`` to what was recorded from a moment
    on. Under blind review it leaves out what the claim panel's history leaves out."""

    @extend_schema(parameters=[s.HistoryQuerySerializer], responses=s.HistoryPageSerializer)
    def get(self, request: Request) -> Response:
        query = s.HistoryQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        given = query.validated_data
        project = selectors.project_get(request.user, given["project"])
        claim = None
        if "claim" in given:
            claim = selectors.claim_get(request.user, given["claim"])
            if claim.document.project_id != project.pk:
                raise NotFound(_("No such claim in this project."))
        after = None
        if given.get("cursor"):
            moment, stream, history_id = KeysetPagination.decode(given["cursor"], 3)
            if not isinstance(moment, datetime) or stream not in range(len(STREAMS)):
                raise ValidationError({"cursor": ["Not a cursor of this list; start again."]})
            after = (moment, stream, history_id)
        entries, last = selectors.history_page(
            request.user,
            project,
            claim=claim,
            since=given.get("since"),
            after=after,
            size=given.get("page_size", 100),
        )
        link = None
        if last is not None:
            link = replace_query_param(
                request.build_absolute_uri(), "cursor", KeysetPagination._encode(list(last))
            )
        return Response({"next": link, "results": [_history_entry(e) for e in entries]})


def _history_entry(entry: HistoryEntry) -> dict:
    return {
        "when": entry.when,
        "who": entry.who.get_username() if entry.who else None,
        "model": entry.model,
        "object_id": entry.object_id,
        "claim": entry.claim_id,
        "action": entry.action,
        "reason": entry.reason,
        "changes": [
            {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in entry.changes
        ],
    }


def _plain(value):
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value if not isinstance(value, list) else [str(v) for v in value]
    return str(value)


def verdict_queryset() -> QuerySet[Verdict]:
    return (
        Verdict.objects.filter(deleted_at__isnull=True)
        .select_related("reviewer", "rating")
        .prefetch_related("sources")
    )


class VerdictFilter(django_filters.FilterSet):
    claim = IdFilter(field_name="claim_id")
    project = ProjectFilter(field_name="claim__document__project_id")
    reviewer = django_filters.CharFilter(field_name=f"reviewer__{get_user_model().USERNAME_FIELD}")
    updated_since = SinceFilter(
        help_text="Only what changed at or after this moment (ISO 8601).",
    )

    class Meta:
        model = Verdict
        fields = ["claim", "project", "reviewer"]


class VerdictPagination(KeysetPagination):
    orderings = {"id": ("id",), "updated": ("updated_at", "id")}
    default_ordering = "id"


class VerdictViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Verdicts the user may see (blind review applies); the list pages by cursor."""

    lookup_value_regex = r"[0-9]{1,18}"
    serializer_class = s.VerdictSerializer
    pagination_class = VerdictPagination
    filterset_class = VerdictFilter

    def get_object(self) -> Verdict:
        verdict = selectors.verdict_get(self.request.user, int(self.kwargs["pk"]))
        return verdict_queryset().get(pk=verdict.pk)

    def get_queryset(self) -> QuerySet:  # the list; single objects come from get_object
        return (
            selectors.verdicts_for(self.request.user)
            .select_related("reviewer", "rating")
            .prefetch_related("sources")
        )

    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        verdict = self.get_object()
        return with_etag(Response(s.VerdictSerializer(verdict).data), verdict)

    @extend_schema(request=s.VerdictPatchSerializer, responses=s.VerdictSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        verdict = self.get_object()
        data = s.VerdictPatchSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "rating" in values:
            values["rating"] = resolve_rating(verdict.claim.document.project, values["rating"])
        updated = verdict_services.verdict_update(
            verdict=verdict,
            actor=request.user,
            expected_version=expected_version(request, verdict),
            **values,
        )
        updated = verdict_queryset().get(pk=updated.pk)
        return with_etag(Response(s.VerdictSerializer(updated).data), updated)

    @extend_schema(request=None, responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        verdict = self.get_object()
        trash_services.verdict_delete(verdict=verdict, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=s.VerdictSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        """Bring a verdict back from the trash (its reviewer, or an editor+)."""
        verdict = selectors.trash_item_get(request.user, Verdict, int(pk))
        trash_services.verdict_restore(verdict=verdict, actor=request.user)
        restored = verdict_queryset().get(pk=verdict.pk)
        return with_etag(Response(s.VerdictSerializer(restored).data), restored)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post"])
    def purge(self, request: Request, pk: str | None = None) -> Response:
        """Delete a verdict in the trash for good (project admins)."""
        verdict = selectors.purge_target_get(request.user, Verdict, int(pk))
        trash_services.verdict_purge(verdict=verdict, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentAgreement:
    @extend_schema(responses=inline_serializer("DocumentAgreement", {
        "n_claims": serializers.IntegerField(),
        "n_verdicts": serializers.IntegerField(),
        "percent_agreement": serializers.FloatField(allow_null=True),
        "alpha": serializers.FloatField(allow_null=True),
    }))  # fmt: skip
    @action(detail=True, methods=["get"])
    def agreement(self, request: Request, pk: str | None = None) -> Response:
        document = self.get_object()
        if not role_at_least(request.user, document.project, Role.EDITOR):
            raise PermissionDenied(_("Agreement figures are for editors."))
        return Response(asdict(agreement_for_document(document)))
