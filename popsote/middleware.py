"""Project-wide HTTP behaviour: security headers, caching of signed-in pages, broker faults, client address."""

import ipaddress
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from .broker import BrokerUnavailable


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; signed-in responses are never stored by a cache or a browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)  # static files are answered before authentication
        if user is not None and user.is_authenticated:
            # A page or an API answer for one person: a shared proxy or the browser's back button
            # must not show it to the next person at the same computer.
            if response.has_header("Cache-Control"):
                patch_cache_control(response, private=True, no_store=True)
            else:
                response["Cache-Control"] = "private, no-store"
        return response


def role_not_required(view):
    """Marks a view an account without a role may use: its own page, its password, its API tokens."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.role_not_required = True
    return wrapped


class RoleRequiredMiddleware:
    """A signed-in account without a role (``portfolio.read``) sees only its own page, as Django's
    LoginRequiredMiddleware keeps the anonymous to the login page. The API says so itself (403)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            not request.user.is_authenticated
            or not getattr(view_func, "login_required", True)  # the login page, the language menu
            or getattr(view_func, "role_not_required", False)
            or getattr(view_func, "cls", None) is not None  # an API view: its permission classes decide
            or request.user.has_perm("portfolio.read")
        ):
            return None
        if request.resolver_match and request.resolver_match.view_name == "portfolio:overview":
            return redirect("profile")
        raise PermissionDenied


class BrokerUnavailableMiddleware:
    """A request that could not queue its work answers 503 with a message (the API answers in its own shape)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BrokerUnavailable):
            return None
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "60"
        return response


def locked_out(request, response=None, credentials=None):
    """django-axes' answer to a locked-out login: the page says why and for how long (429)."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)


def client_ip(request):
    """The client's address for login throttling: the connection's, or the one the outermost trusted proxy saw.

    Each proxy appends the address it was connected from to X-Forwarded-For, so with
    ``TRUSTED_PROXY_COUNT`` proxies the client is that many places from the right; anything further
    left was written by the client itself and is not believed.
    """
    address = request.META.get("REMOTE_ADDR")
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            address = forwarded[-count]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return request.META.get("REMOTE_ADDR")
