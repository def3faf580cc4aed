"""Multi-step writes of the portfolio."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import extensions
from .models import Node


class StaleEdit(Exception):
    """The object changed after the user opened the form; ``current`` is what is saved now."""

    def __init__(self, current, since):
        super().__init__(str(current))
        self.current = current
        self.since = since


@transaction.atomic
def tracked_save(*, obj, values, version, user=None):
    """Write ``values`` (model field → value) to a tracked object, unless someone saved it after the
    user's copy was read: ``version`` is the one the user started from."""
    current = type(obj).objects.select_for_update().get(pk=obj.pk)
    if version != current.version:
        raise StaleEdit(current, version)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.version = current.version + 1
    if user is not None:
        obj._history_user = user
    obj.save()
    return obj


@transaction.atomic
def tracked_create(*, model, values, user=None, last_among=None):
    """Create a tracked object; one of an ordered list (``last_among``: the items it joins) goes last."""
    obj = model(**values)
    if last_among is not None:
        obj.position = last_among.count()
    if user is not None:
        obj._history_user = user
    obj.save()
    return obj


def tracked_update(obj, _user=None, **values):
    """Change fields of a tracked object the caller has locked, bumping its version (history follows)."""
    if _user is not None:
        obj._history_user = _user
    for name, value in values.items():
        setattr(obj, name, value)
    obj.version += 1
    obj.save(update_fields=[*values, "version"])


@transaction.atomic
def object_archive(*, obj, archived, user=None):
    """Archive (or restore) an object; nothing is ever deleted."""
    from django.utils import timezone

    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    tracked_update(obj, archived_at=timezone.now() if archived else None, _user=user)
    return obj


@transaction.atomic
def position_move(*, obj, siblings, step):
    """Move an ordered item up (step -1) or down (+1) among ``siblings`` and renumber them 0…n."""
    items = list(siblings.select_for_update())
    index = next(i for i, item in enumerate(items) if item.pk == obj.pk)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for position, item in enumerate(items):
        if item.position != position:
            tracked_update(item, position=position)


def _save_extra(node, extra, user):
    for field in extensions.node_fields():
        if field.name in extra:
            field.save(node=node, value=extra[field.name], user=user)


@transaction.atomic
def node_create(*, values, parent, extra=None, user=None):
    """Create a programme (parent None) or a child node at the end of its siblings.

    ``extra`` holds the values of the fields other apps add to the node (``extensions.node_field``);
    their own services save them in the same transaction.
    """
    node = Node(**values)
    if user is not None:
        node._history_user = user
    if parent is None:
        node.save()
        node.programme = node
        node.save(update_fields=["programme"])
    else:
        node.parent = parent
        node.programme_id = parent.programme_id
        node.position = parent.children.count()
        node.save()
    _save_extra(node, extra or {}, user)
    return node


@transaction.atomic
def node_update(*, node, values, version, extra=None, user=None):
    """Save a node's fields (``tracked_save``) and the fields other apps add to it, all or nothing."""
    node = tracked_save(obj=node, values=values, version=version, user=user)
    _save_extra(node, extra or {}, user)
    return node


API_TOKEN_PREFIX = "slk_"


def api_token_digest(token):
    # Tokens are 256 random bits, so a plain SHA-256 cannot be reversed by guessing; a slow hasher
    # would only slow down every API request.
    import hashlib

    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name, days):
    """Make a token for ``user`` valid for ``days``; returns (ApiToken, the token in clear, shown once)."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from .models import ApiToken

    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=token[:12],
        digest=api_token_digest(token),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return row, token


def api_token_revoke(*, token):
    """Revoke a token for good (a revoked token is kept so its owner sees when it was revoked)."""
    from django.utils import timezone

    from .models import ApiToken

    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_tokens_revoke_all(*, user):
    """Revoke every token of ``user`` still in use (their password changed: scripts must be given new ones)."""
    from django.utils import timezone

    from .models import ApiToken

    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def _feedback_recipients():
    """The project office's addresses: every active office account with an e-mail, and FEEDBACK_EMAIL."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from .permissions import Role

    office = get_user_model().objects.filter(is_active=True).filter(Q(groups__name=Role.OFFICE) | Q(is_superuser=True))
    addresses = set(office.exclude(email="").values_list("email", flat=True))
    addresses.update(settings.FEEDBACK_EMAIL)
    return sorted(addresses)


@transaction.atomic
def feedback_send(*, message, email="", page="", user=None):
    """Keep accessibility feedback for the project office and e-mail it to them once it is saved."""
    from django.conf import settings
    from django.core.mail import send_mail

    from .models import Feedback

    feedback = Feedback.objects.create(
        message=message, email=email, page=page[:500], user=user if user and user.is_authenticated else None
    )
    recipients = _feedback_recipients()
    if recipients:
        body = _("Saavutettavuuspalaute Salkusta ({page}):\n\n{message}\n\nVastausosoite: {email}").format(
            page=page or "–", message=message, email=email or "–"
        )
        # The feedback is saved either way: a mail server that is down must not lose it or fail the page.
        transaction.on_commit(
            lambda: send_mail(
                _("Salkku: saavutettavuuspalaute"), body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=False
            ),
            robust=True,
        )
    return feedback
