"""The REST API's shared machinery: one error shape, ETag and If-Match, role permissions, pagination, schema.

Resources live in each app's ``api/`` package; they validate with the pages' forms and write with the
pages' services, so the API has no business rules of its own.
"""

import logging
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from popsote.broker import BrokerUnavailable
from portfolio.editing import EDITABLE
from portfolio.models import Node
from portfolio.permissions import can_edit_budgets, can_edit_directory, can_edit_node, is_office, led_node_ids
from portfolio.services import StaleEdit, object_archive, position_move, tracked_save

logger = logging.getLogger("django.request")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = gettext_lazy("Rivejä sivulla (enintään 500).")
    page_query_description = gettext_lazy("Sivun numero, alkaen 1:stä.")
    max_page_size = 500


# Errors ------------------------------------------------------------------------------------------


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = gettext_lazy(
        "Muutos tarvitsee If-Match-otsakkeen: lähetä siinä tiedon ETag, jonka sait, kun luit tiedon."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = gettext_lazy(
        "Joku muu on muuttanut tietoa sen jälkeen, kun luit sen. Mitään ei tallennettu: lue tieto uudelleen."
    )


class Conflict(exceptions.APIException):
    """A workflow step that is not allowed in the object's present state (a closed period, an approved update)."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy("Tätä ei voi tehdä tiedon nykyisessä tilassa.")


class Rejected(exceptions.APIException):
    """A request refused as a whole, with the reasons row by row (a ledger extract)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "rejected"

    def __init__(self, detail, rows):
        super().__init__(detail)
        self.rows = rows


def _flatten(detail, prefix=""):
    """DRF's nested error detail as ``{"field": [...], "lines.0.amount": [...]}``."""
    if isinstance(detail, dict):
        result = {}
        for key, value in detail.items():
            name = "non_field_errors" if key in ("__all__", "non_field_errors") and not prefix else str(key)
            result.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
        return result
    if isinstance(detail, list) and detail and all(not isinstance(item, (dict, list)) for item in detail):
        return {prefix or "non_field_errors": [str(item) for item in detail]}
    if isinstance(detail, list):
        result = {}
        for index, item in enumerate(detail):
            if item:
                result.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return result
    return {prefix or "non_field_errors": [str(detail)]}


class QueueUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "unavailable"
    default_detail = gettext_lazy(
        "Taustatehtävien jono ei vastannut, joten pyyntöä ei otettu vastaan eikä mitään tallennettu. "
        "Yritä hetken kuluttua uudelleen."
    )


class ServerError(exceptions.APIException):
    default_code = "error"
    default_detail = gettext_lazy("Palvelimella tapahtui virhe; pyyntöä ei käsitelty loppuun. Virhe on kirjattu.")


def exception_handler(exc, context):
    """Every error as ``{"code", "message", "errors"}`` (and ``rows`` for a refused file), a server error too."""
    if isinstance(exc, StaleEdit):
        exc = PreconditionFailed()
    elif isinstance(exc, BrokerUnavailable):
        exc = QueueUnavailable()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page
        request = context["request"]._request
        # As Django logs and signals an unhandled exception (error mails, the test client), in JSON.
        logger.error(
            "Internal Server Error: %s", request.path, exc_info=exc, extra={"status_code": 500, "request": request}
        )
        got_request_exception.send(sender=None, request=request)
        exc = ServerError()
        response = drf_exception_handler(exc, context)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _("Tiedoissa on virheitä."), "errors": _flatten(exc.detail)}
    else:
        code = exc.get_codes() if isinstance(exc.detail, str) else exc.default_code
        body = {"code": code, "message": str(exc.detail), "errors": {}}
    if isinstance(exc, Rejected):
        body["rows"] = exc.rows
    response.data = body
    return response


# Optimistic locking over HTTP --------------------------------------------------------------------


def etag(version):
    return f'"{version}"'


def if_match_version(request):
    """The version the client read, from If-Match; 428 without the header, 412 when it is not one of ours."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired
    value = header.removeprefix("W/").strip().strip('"')
    if not value.isdigit():
        raise PreconditionFailed
    return int(value)


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description=gettext_lazy(
        'Tiedon ETag sellaisena kuin sen luit (esim. "3"). Ilman otsaketta vastaus on 428; jos tieto on '
        "sen jälkeen muuttunut, 412 eikä mitään muuteta."
    ),
)


# Permissions --------------------------------------------------------------------------------------


class RolePermission(permissions.BasePermission):
    """Reads: every signed-in user. Writes: the view's rule, asked of the predicates in portfolio.permissions."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return view.may_write(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return view.may_write(request.user, obj)


class Resource(viewsets.GenericViewSet):
    """A resource of the API. ``write`` names who may change it, as the pages decide:

    - ``"directory"``: the project office (programmes, funding decisions, persons, organisations);
    - ``"node"``: whoever may edit the node the object hangs on (the office; a lead in their sub-projects);
    - ``"budgets"``: finance and the project office;
    - ``"signed_in"``: every signed-in user (requesting an export);
    - ``None``: read only.
    """

    write = None
    permission_classes = [RolePermission]
    pagination_class = Pagination

    def node_of(self, obj):
        return obj.node

    def may_write(self, user, obj=None):
        if self.write == "directory":
            return can_edit_directory(user)
        if self.write == "budgets":
            return can_edit_budgets(user)
        if self.write == "signed_in":
            return True
        if self.write == "node":
            if obj is None:  # the node itself is checked once the request names it
                return is_office(user) or bool(led_node_ids(user))
            return can_edit_node(user, self.node_of(obj))
        return False

    def check_node(self, node):
        """A new object hangs on ``node``: may the user edit there?"""
        if not can_edit_node(self.request.user, node):
            raise exceptions.PermissionDenied(_("Sinulla ei ole oikeutta muokata tätä kohdetta."))


class Versioned:
    """Detail responses carry an ETag from the row's version; writes must send it back in If-Match."""

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return Response(self.get_serializer(obj).data, headers={"ETag": etag(obj.version)})

    def check_version(self, obj):
        version = if_match_version(self.request)
        if version != obj.version:  # checked again under a row lock by the service
            raise PreconditionFailed
        return version

    def versioned_response(self, obj, status_code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.get_serializer(obj).data, status=status_code, headers={"ETag": etag(obj.version)})


def _form_value(value):
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


class FormBacked(serializers.ModelSerializer):
    """Validated by the page's form (``Meta.form``), saved by the page's service: no rule is written twice."""

    def get_validators(self):
        return []  # uniqueness and the like: the form says it, in the page's words

    def form_kwargs(self):
        return {}

    def to_form(self, name, value):
        """A value as the page's form takes it from a browser."""
        return _form_value(value)

    def validate(self, attrs):
        form_class = self.Meta.form
        kwargs = self.form_kwargs()
        data = {}
        if self.instance is not None and self.partial:
            current = form_class(instance=self.instance, **kwargs)
            data = {name: current[name].value() for name in current.fields if name != "version"}
        data.update(attrs)
        data = {name: self.to_form(name, value) for name, value in data.items()}
        data["version"] = self.context.get("version", "")
        self.form = form_class(data, instance=self.instance, **kwargs)
        if not self.form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): errors
                    for name, errors in self.form.errors.items()
                }
            )
        return attrs

    def create(self, validated_data):
        return self.form.save()

    def update(self, instance, validated_data):

        return tracked_save(form=self.form)


class NoSuchRoute(APIView):
    """Any other path under /api/v1/: a 404 in the one error shape rather than an HTML page."""

    schema = None

    def get(self, request, *args, **kwargs):
        raise exceptions.NotFound(_("Rajapinnassa ei ole tällaista osoitetta. Osoitteet: /api/v1/docs/."))

    post = put = patch = delete = get


# Viewsets ----------------------------------------------------------------------------------------

WRITE = {"update": extend_schema(parameters=[IF_MATCH]), "partial_update": extend_schema(parameters=[IF_MATCH])}


class ArchiveActions:
    """POST …/archive/ and …/restore/: nothing is deleted, archived objects stay (If-Match required)."""

    @extend_schema(request=None, parameters=[IF_MATCH], summary=gettext_lazy("Arkistoi (archive)"))
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        return self._archive(True)

    @extend_schema(request=None, parameters=[IF_MATCH], summary=gettext_lazy("Palauta arkistosta (restore)"))
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        return self._archive(False)

    def _archive(self, archived):
        obj = self.get_object()
        self.check_version(obj)
        return self.versioned_response(object_archive(obj=obj, archived=archived))


class ReadCreate(Versioned, mixins.ListModelMixin, mixins.RetrieveModelMixin, Resource):
    """List, read and create (POST) through the pages' forms."""

    create_serializer_class = None
    parent_field = "node"  # the posted field naming the node a new object hangs on; None: none

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class:
            return self.create_serializer_class
        return self.serializer_class

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        parent = posted_node(request.data, self.parent_field) if self.parent_field else None
        if parent is not None:
            self.check_parent(parent)
            serializer.context["parent"] = parent
        serializer.is_valid(raise_exception=True)
        return self.versioned_response(serializer.save(), status.HTTP_201_CREATED)

    def check_parent(self, parent):
        self.check_node(parent)


class ReadWrite(ReadCreate):
    """…and update (PUT/PATCH with If-Match) through the pages' forms and services."""

    def update(self, request, *args, **kwargs):
        obj = self.get_object()
        version = self.check_version(obj)
        serializer = self.get_serializer(obj, data=request.data, partial=kwargs.pop("partial", False))
        serializer.context["version"] = version
        serializer.is_valid(raise_exception=True)
        saved = serializer.save()
        return self.versioned_response(saved)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


def posted_node(data, name):
    """The active node a request names in ``name`` (None when it names none: validation will say so)."""
    value = data.get(name) if hasattr(data, "get") else None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        pk = int(value)
    except ValueError:
        return None
    return Node.objects.active().filter(pk=pk).first() if 0 < pk < 2**63 else None


class MoveActions:
    """POST …/up/ and …/down/ move an ordered item among its siblings (If-Match required)."""

    editable = None

    @extend_schema(request=None, parameters=[IF_MATCH], summary=gettext_lazy("Siirrä ylöspäin (move up)"))
    @action(detail=True, methods=["post"])
    def up(self, request, pk=None):
        return self._move(-1)

    @extend_schema(request=None, parameters=[IF_MATCH], summary=gettext_lazy("Siirrä alaspäin (move down)"))
    @action(detail=True, methods=["post"])
    def down(self, request, pk=None):
        return self._move(1)

    def _move(self, step):

        obj = self.get_object()
        self.check_version(obj)
        position_move(obj=obj, siblings=EDITABLE[self.editable].siblings(obj), step=step)
        return self.versioned_response(obj)
