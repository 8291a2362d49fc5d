from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import review, views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet, basename="project")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")
router.register("verdicts", review.VerdictViewSet, basename="verdict")

urlpatterns = [path("", include(router.urls))]
