from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import auth, publishing, review, trash, views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")
router.register("verdicts", review.VerdictViewSet, basename="verdict")
router.register("trash", trash.TrashViewSet, basename="trash")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("trash/", trash.TrashView.as_view(), name="trash"),
    path("history/", review.HistoryView.as_view(), name="history"),
    *(
        path(f"trash/{kind}/", trash.TrashKindView.of(kind).as_view(), name=f"trash-{kind}")
        for kind in trash.KINDS
    ),
    path(
        "claims/<int:pk>/publication/",
        publishing.ClaimPublicationView.as_view(),
        name="claim-publication",
    ),
    path("", include(router.urls)),
]
