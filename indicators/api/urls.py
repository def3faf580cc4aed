from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("indicators", views.IndicatorViewSet)
router.register("indicator-targets", views.IndicatorTargetViewSet)
urlpatterns = router.urls
