from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .views import public

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.project_list, name="project_list"),
    # Published fact-checks, for anyone: readers, search engines, link previews.
    path("fact-checks/<int:pk>/", public.public_claim, name="public_claim"),
    path("fact-checks/documents/<int:pk>/", public.public_document, name="public_document"),
    path(
        "fact-checks/styles/<slug:slug>.css",
        public.public_rating_styles,
        name="public_rating_styles",
    ),
    path("queue/", views.my_queue, name="my_queue"),
    path("p/<slug:slug>/", views.document_list, name="document_list"),
    path("p/<slug:slug>/new/", views.document_new, name="document_new"),
    path("p/<slug:slug>/trash/", views.project_trash, name="project_trash"),
    path("p/<slug:slug>/settings/", views.project_settings, name="project_settings"),
    path("p/<slug:slug>/settings/rules/", views.project_rules, name="project_rules"),
    path("p/<slug:slug>/settings/members/", views.project_member_add, name="project_member_add"),
    path(
        "p/<slug:slug>/settings/members/<int:pk>/",
        views.project_member_change,
        name="project_member_change",
    ),
    path("p/<slug:slug>/settings/scale/", views.project_scale, name="project_scale"),
    path("p/<slug:slug>/ratings.css", views.rating_styles, name="rating_styles"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/status/", views.document_status, name="document_status"),
    path("documents/<int:pk>/assign/", views.document_assign, name="document_assign"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/trash/", views.document_trash, name="document_trash"),
    path("documents/<int:pk>/retry/", views.document_retry, name="document_retry"),
    path(
        "trash/documents/<int:pk>/restore/",
        views.document_restore_view,
        name="document_restore",
    ),
    path("documents/<int:pk>/export/<slug:fmt>/", views.document_export, name="document_export"),
    path("claims/<int:pk>/", views.claim_panel, name="claim_panel"),
    path("claims/<int:pk>/sources/", views.claim_sources, name="claim_sources"),
    path("claims/<int:pk>/sources/add/", views.claim_source_add, name="claim_source_add"),
    path("claims/<int:pk>/split/", views.claim_split_view, name="claim_split"),
    path("claims/<int:pk>/merge/", views.claim_merge_view, name="claim_merge"),
    path("claims/<int:pk>/unmerge/", views.claim_unmerge_view, name="claim_unmerge"),
    path("claims/<int:pk>/boundary/", views.claim_boundary_view, name="claim_boundary"),
    path("claims/<int:pk>/edit/", views.claim_edit, name="claim_edit"),
    path("claims/<int:pk>/publication/", views.claim_publication, name="claim_publication"),
    path("claims/<int:pk>/verdict/", views.claim_verdict, name="claim_verdict"),
    path("claims/<int:pk>/final/", views.claim_final_verdict, name="claim_final_verdict"),
    path("claims/<int:pk>/comments/", views.claim_comment, name="claim_comment"),
    path("claims/<int:pk>/trash/", views.claim_trash, name="claim_trash"),
    path("claims/<int:pk>/similar/", views.claim_similar, name="claim_similar"),
    path("claims/<int:pk>/same-as/", views.claim_same_as, name="claim_same_as"),
    path("claims/<int:pk>/carry-over/", views.claim_carry_over, name="claim_carry_over"),
    path("claims/<int:pk>/<slug:action>/", views.claim_workflow, name="claim_workflow"),
    path("sources/<int:pk>/accept/", views.source_accept, name="source_accept"),
    path("sources/<int:pk>/refetch/", views.source_refetch_view, name="source_refetch"),
    path("sources/<int:pk>/trash/", views.source_trash, name="source_trash"),
    path(
        "sources/<int:pk>/snapshots/<int:snapshot>/capture/",
        views.source_capture,
        name="source_capture",
    ),
    path("verdicts/<int:pk>/trash/", views.verdict_trash, name="verdict_trash"),
    path("comments/<int:pk>/trash/", views.comment_trash, name="comment_trash"),
    # Restoring from the trash; deleting for good asks first (GET), then does it (POST).
    path(
        "trash/claims/<int:pk>/restore/",
        views.trashed_restore,
        {"kind": "claim"},
        name="claim_restore",
    ),
    path(
        "trash/claims/<int:pk>/purge/", views.trashed_purge, {"kind": "claim"}, name="claim_purge"
    ),
    path(
        "trash/verdicts/<int:pk>/restore/",
        views.trashed_restore,
        {"kind": "verdict"},
        name="verdict_restore",
    ),
    path(
        "trash/verdicts/<int:pk>/purge/",
        views.trashed_purge,
        {"kind": "verdict"},
        name="verdict_purge",
    ),
    path(
        "trash/sources/<int:pk>/restore/",
        views.trashed_restore,
        {"kind": "source"},
        name="source_restore",
    ),
    path(
        "trash/sources/<int:pk>/purge/",
        views.trashed_purge,
        {"kind": "source"},
        name="source_purge",
    ),
    path(
        "trash/comments/<int:pk>/restore/",
        views.trashed_restore,
        {"kind": "comment"},
        name="comment_restore",
    ),
    path(
        "trash/comments/<int:pk>/purge/",
        views.trashed_purge,
        {"kind": "comment"},
        name="comment_purge",
    ),
]
