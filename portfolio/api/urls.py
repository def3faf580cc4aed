from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("organisations", views.OrganisationViewSet)
router.register("persons", views.PersonViewSet)
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("nodes", views.NodeViewSet, basename="node")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("funding-decisions", views.FundingDecisionViewSet)
router.register("tasks", views.TaskViewSet)
router.register("responsibilities", views.ResponsibilityViewSet)
router.register("risks", views.RiskViewSet)
router.register("usage-events", views.UsageEventViewSet)
urlpatterns = router.urls
