from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("exports", views.ExportViewSet)
router.register("periods", views.PeriodViewSet, basename="period")
router.register("status-updates", views.StatusUpdateViewSet)
router.register("measurements", views.MeasurementViewSet)
urlpatterns = router.urls
