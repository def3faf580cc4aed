"""The REST API's shared machinery: one error shape, ETag and If-Match, the rules table, pagination, schema.

Resources live in each app's ``api/`` package; they validate with the pages' forms and write with the
pages' services, so the API has no business rules of its own.
"""

import copy
import logging
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.fields import Field, SkipField
from rest_framework.pagination import PageNumberPagination
from rest_framework.relations import PKOnlyObject, PrimaryKeyRelatedField, RelatedField
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from popsote.broker import BrokerUnavailable
from portfolio import extensions
from portfolio.api.permissions import CanRead
from portfolio.forms import initial_values, model_values
from portfolio.models import Node
from portfolio.services import StaleEdit, object_archive, position_move, tracked_create, tracked_save

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


class RulePermission(CanRead):
    """Reads: every role. Writes: the view's permission in the rules table (``portfolio.permissions``),
    asked without an object first (may the user write here at all?) and then of the object itself."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        perm = view.write_perm_for(view.action)
        return perm is not None and request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.has_perm(view.write_perm_for(view.action), obj)


class Resource(viewsets.GenericViewSet):
    """A resource of the API. ``write_perm`` names, in the rules table, who may change it, as on the pages
    (``action_perms``: where an action needs another); None: read only."""

    write_perm = None
    action_perms = {}
    permission_classes = [RulePermission]
    pagination_class = Pagination

    def write_perm_for(self, action):
        return self.action_perms.get(action, self.write_perm)

    def check_node(self, node):
        """A new object hangs on ``node``: may the user write there?"""
        if not self.request.user.has_perm(self.write_perm_for(self.action), node):
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
        obj = self.reread(obj)
        return Response(self.get_serializer(obj).data, status=status_code, headers={"ETag": etag(obj.version)})

    def reread(self, obj):
        """The object as saved, read the way the resource reads it."""
        return self.get_queryset().get(pk=obj.pk)


# Ids ----------------------------------------------------------------------------------------------

ID_MAX = 2**63 - 1  # a bigint


def parse_id(value):
    """A posted id as the int it is, or None: a JSON integer, or a string of ASCII digits (a form field).

    ``172.0``, ``"172.0"``, ``true``, ``"１７２"``, ``" 172"``, ``1e2`` and ``[172]`` are no ids; nothing is
    rounded, stripped or converted into one. The permission check and the serializers both read ids
    through this one function, so the object checked is the object written.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        pk = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        pk = int(value)
    else:
        return None
    return pk if 0 < pk <= ID_MAX else None


class IdField(serializers.PrimaryKeyRelatedField):
    """A related object named by its id as ``parse_id`` reads it."""

    default_error_messages = {
        "incorrect_type": gettext_lazy("Anna tunniste kokonaislukuna, esimerkiksi 172."),
    }

    def to_internal_value(self, data):
        pk = parse_id(data)
        if pk is None:
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(pk)


class RowIdField(serializers.IntegerField):
    """The id of a row a request changes (an update's measure rows), read by ``parse_id``."""

    default_error_messages = {"invalid": IdField.default_error_messages["incorrect_type"]}

    def to_internal_value(self, data):
        pk = parse_id(data)
        if pk is None:
            self.fail("invalid")
        return pk


class IdentityUrlField(serializers.HyperlinkedIdentityField):
    """An object's address in the API. The rows of a list differ only by their id, so the address is reversed
    once per field (once per request) and each row's id put into it, not reversed for every row."""

    PLACEHOLDER = 918273645546372819

    def get_url(self, obj, view_name, request, format):
        if self.lookup_field != "pk" or getattr(obj, "pk", None) in (None, ""):
            return super().get_url(obj, view_name, request, format)
        if getattr(self, "_around", None) is None:
            url = super().get_url(SimpleNamespace(pk=self.PLACEHOLDER), view_name, request, format)
            self._around = url.split(str(self.PLACEHOLDER), 1)
        before, after = self._around
        return f"{before}{obj.pk}{after}"


# Fields whose value is a column of the row as it is, turned into JSON by the field itself.
PLAIN_FIELDS = (
    serializers.BooleanField,
    serializers.CharField,
    serializers.ChoiceField,
    serializers.DateField,
    serializers.DateTimeField,
    serializers.DecimalField,
    serializers.IntegerField,
)


def column_read(model, field):
    """How a serializer reads ``field`` from a row of ``model``: ``(column, field)`` takes the row's ``column``
    and gives it to the field; ``(column, None)``: the column is the value (a relation's id); ``(None, field)``:
    through the field, as DRF does."""
    getter = type(field).get_attribute
    if model is None or len(field.source_attrs) != 1 or getter not in (Field.get_attribute, RelatedField.get_attribute):
        return None, field
    try:
        column = model._meta.get_field(field.source_attrs[0])
    except FieldDoesNotExist:
        return None, field
    if not column.concrete:
        return None, field
    if isinstance(field, PrimaryKeyRelatedField):
        plain_id = (
            column.many_to_one
            and field.pk_field is None
            and field.use_pk_only_optimization()
            and type(field).to_representation is PrimaryKeyRelatedField.to_representation
        )
        return (column.attname, None) if plain_id else (None, field)
    if isinstance(field, PLAIN_FIELDS) and not column.is_relation:
        return column.attname, field
    return None, field


def _anew(field):
    """A new, unbound field made as ``field`` was made (DRF keeps the arguments), sharing none of its state."""
    args = [copy.deepcopy(value) if isinstance(value, Field) else value for value in field._args]
    kwargs = {key: copy.deepcopy(value) if isinstance(value, Field) else value for key, value in field._kwargs.items()}
    return type(field)(*args, **kwargs)


class ModelSerializer(serializers.ModelSerializer):
    """The base of the API's serializers: a relation is written by a real id (IdField), never by 172.0.

    A row's columns are read straight from the row (``column_read``): DRF's general lookup per field and row
    (paths, callables, mappings, a stand-in object per relation) was a tenth of a list's time. The JSON is
    the same; a field of any other kind is read as DRF reads it."""

    serializer_related_field = IdField
    serializer_url_field = IdentityUrlField

    def get_fields(self):
        """DRF's fields for the serializer, each instance with fields of its own.

        DRF works out every model field's class and arguments anew for each serializer it makes (the model's
        fields, their validators and choices), a seventh of an API list's time. They depend only on the
        class (its Meta and the model), so the class keeps the fields DRF built for it first and each instance
        gets new ones made with the same arguments; a field given as an argument (a relation's child) is
        copied, and the declared fields are deep-copied as DRF copies them."""
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        if self.url_field_name is None:
            self.url_field_name = api_settings.URL_FIELD_NAME
        declared = copy.deepcopy(self._declared_fields)
        return {name: declared[name] if name in declared else _anew(field) for name, field in built.items()}

    @cached_property
    def _readable_fields(self):
        # DRF makes this list anew for every row it writes; a list's rows share one serializer and its fields.
        return [field for field in self.fields.values() if not field.write_only]

    @cached_property
    def _reads(self):
        model = getattr(getattr(self, "Meta", None), "model", None)
        return [(field.field_name, *column_read(model, field)) for field in self._readable_fields]

    def to_representation(self, instance):
        row = {}
        for name, column, field in self._reads:
            if column is not None:
                value = getattr(instance, column)
                row[name] = value if value is None or field is None else field.to_representation(value)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            empty = (attribute.pk if isinstance(attribute, PKOnlyObject) else attribute) is None
            row[name] = None if empty else field.to_representation(attribute)
        return row


class FormBacked(ModelSerializer):
    """Validated by the page's form (``Meta.form``), saved by the page's service: no rule is written twice."""

    # The form gets the request's values as they are (a partial update starts from the object's current
    # values), and the service the form's cleaned values, never the form.

    def get_validators(self):
        return []  # uniqueness and the like: the form says it, in the page's words

    def form_kwargs(self):
        return {}

    def validate(self, attrs):
        form_class = self.Meta.form
        kwargs = self.form_kwargs()
        data = {}
        if self.instance is not None and self.partial:
            data = initial_values(form_class(instance=self.instance, **kwargs))
        self.form = form_class({**data, **attrs}, instance=self.instance, **kwargs)
        if not self.form.is_valid():
            raise serializers.ValidationError(
                {
                    ("non_field_errors" if name == "__all__" else name): errors
                    for name, errors in self.form.errors.items()
                }
            )
        return attrs

    def values(self):
        """The form's cleaned values of the model's fields, for the service."""
        return model_values(self.form)

    def create(self, validated_data):
        return tracked_create(model=self.Meta.model, values=self.values(), user=self.context["request"].user)

    def update(self, instance, validated_data):
        return tracked_save(
            obj=instance, values=self.values(), version=self.context["version"], user=self.context["request"].user
        )


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
        return self.versioned_response(object_archive(obj=obj, archived=archived, user=self.request.user))


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
        parent = self.posted_parent(request.data)
        if parent is not None:
            self.check_parent(parent)
            serializer.context["parent"] = parent
        serializer.is_valid(raise_exception=True)
        if self.parent_field and serializer.validated_data.get(self.parent_field) != parent:
            raise exceptions.ValidationError({self.parent_field: [_("Ylätaso ei kelpaa.")]})  # one reading of the id
        with transaction.atomic():
            created = serializer.save()
            # The rule is asked again of the object as written, whatever the request said it hangs on.
            if not request.user.has_perm(self.write_perm_for(self.action), created):
                raise exceptions.PermissionDenied(_("Sinulla ei ole oikeutta muokata tätä kohdetta."))
        return self.versioned_response(created, status.HTTP_201_CREATED)

    def posted_parent(self, data):
        """The active node the request names in ``parent_field``: None when it names none (the serializer
        says so); a 400 when what it names is not an id."""
        if not self.parent_field or not hasattr(data, "get") or data.get(self.parent_field) in (None, ""):
            return None
        pk = parse_id(data.get(self.parent_field))
        if pk is None:
            raise exceptions.ValidationError({self.parent_field: [IdField.default_error_messages["incorrect_type"]]})
        return Node.objects.active().filter(pk=pk).first()

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
        position_move(obj=obj, siblings=extensions.editable_kind(self.editable).siblings(obj.node_id), step=step)
        return self.versioned_response(obj)
