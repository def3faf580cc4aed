"""The API's filter backend (its own module: DRF imports it from the settings while the views load)."""

from django_filters.rest_framework import DjangoFilterBackend


class FilterWhenAsked(DjangoFilterBackend):
    """django-filter's backend, building a view's filter set (a form, its fields, their querysets) only for a
    request that names one of its filters (a range filter's ``…_min`` too): a list asked for as it is, as most
    are, is the same list without it, and a few milliseconds cheaper."""

    def get_filterset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None:
            return None
        filters = filterset_class.base_filters
        asked = any(key == name or key.startswith(f"{name}_") for key in request.query_params for name in filters)
        if not asked and not any(item.extra.get("required") for item in filters.values()):
            return None
        return super().get_filterset(request, queryset, view)
