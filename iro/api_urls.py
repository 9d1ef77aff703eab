from rest_framework.routers import DefaultRouter

from iro import api

router = DefaultRouter()
router.register("children", api.ChildViewSet, basename="child")
router.register("episodes", api.EpisodeViewSet, basename="episode")
router.register("allocations", api.AllocationViewSet, basename="allocation")
router.register("caseloads", api.CaseloadViewSet, basename="caseload")

urlpatterns = router.urls
