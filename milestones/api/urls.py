from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("phases", views.PhaseViewSet)
router.register("milestones", views.MilestoneViewSet)
urlpatterns = router.urls
