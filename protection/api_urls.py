from rest_framework.routers import DefaultRouter

from protection import api

router = DefaultRouter()
router.register(
    "strategy-discussions", api.StrategyDiscussionViewSet, basename="strategy-discussion"
)
router.register("conferences", api.ConferenceViewSet, basename="conference")
router.register("cp-plans", api.ProtectionPlanViewSet, basename="cp-plan")

urlpatterns = router.urls
