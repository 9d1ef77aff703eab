from rest_framework.routers import DefaultRouter

from escalations.api import ConcernViewSet, EscalationViewSet

router = DefaultRouter()
router.register("concerns", ConcernViewSet, basename="concern")
router.register("escalations", EscalationViewSet, basename="escalation")

urlpatterns = router.urls
