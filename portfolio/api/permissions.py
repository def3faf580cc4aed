"""The API's default permission, in a module of its own: DRF's settings import it before any view exists."""

from rest_framework import permissions


class CanRead(permissions.BasePermission):
    """Signed in with a role (the rules table's ``portfolio.read``); the schema and the docs ask this too."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm("portfolio.read"))
