from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("exports", views.ExportViewSet)
router.register("periods", views.PeriodViewSet, basename="period")
router.register("status-updates", views.StatusUpdateViewSet)
router.register("measurements", views.MeasurementViewSet)
router.register("evaluation-rounds", views.EvaluationRoundViewSet)
router.register("goal-evaluations", views.GoalEvaluationViewSet)
router.register("rrf-targets", views.RrfTargetViewSet)
router.register("rrf-progress", views.RrfProgressViewSet)
router.register("rrf-evidence", views.RrfEvidenceViewSet)
router.register("rrf-declarations", views.RrfDeclarationViewSet)
router.register("plan-uploads", views.PlanUploadViewSet)
urlpatterns = router.urls
