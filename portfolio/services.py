"""Multi-step writes of the portfolio."""

from django.db import transaction
from django.utils.translation import gettext as _

from budgets.models import NodeBudget, PlanVersion


class StaleEdit(Exception):
    """The object changed after the user opened the form; ``current`` is what is saved now."""

    def __init__(self, current, since):
        super().__init__(str(current))
        self.current = current
        self.since = since


@transaction.atomic
def tracked_save(*, form, after_save=None):
    """Save a VersionedForm unless someone saved the object after the user's copy was read."""
    instance = form.instance
    if instance.pk:
        current = type(instance).objects.select_for_update().get(pk=instance.pk)
        if form.cleaned_data.get("version") != current.version:
            raise StaleEdit(current, form.cleaned_data.get("version"))
        instance.version = current.version + 1
    obj = form.save()
    if after_save is not None:
        after_save(obj)
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
def object_archive(*, obj, archived):
    """Archive (or restore) an object; nothing is ever deleted."""
    from django.utils import timezone

    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    tracked_update(obj, archived_at=timezone.now() if archived else None)
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


@transaction.atomic
def node_budget_set(*, node, total):
    """Write the node's total into its programme's current plan version (creating the row)."""
    if total is None:
        return
    plan = PlanVersion.objects.filter(programme=node.programme_id, is_current=True).first()
    if plan is None:
        plan = PlanVersion.objects.create(
            programme=node.programme, key="suunnitelma", name=_("Hankesuunnitelma"), is_current=True
        )
    budget = NodeBudget.objects.filter(plan=plan, node=node).select_for_update().first()
    if budget is None:
        NodeBudget.objects.create(plan=plan, node=node, total=total)
    elif budget.total != total:
        tracked_update(budget, total=total)


@transaction.atomic
def node_create(*, form, parent):
    """Create a programme (parent None) or a child node at the end of its siblings."""
    node = form.save(commit=False)
    if parent is None:
        node.save()
        node.programme = node
        node.save(update_fields=["programme"])
    else:
        node.parent = parent
        node.programme_id = parent.programme_id
        node.position = parent.children.count()
        node.save()
    node_budget_set(node=node, total=form.cleaned_data.get("budget"))
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
