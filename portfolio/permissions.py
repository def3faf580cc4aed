"""Who may do what. Every view and the API ask these predicates; templates get flags from views.

Roles are Django groups:
- project office (hanketoimisto) creates and edits everything;
- a sub-project lead edits the nodes they lead (a lead Responsibility of their Person) and
  everything under them, and reads the rest;
- finance edits budgets and actual costs, reads the rest;
- the steering group reads everything.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "hanketoimisto", _("Hanketoimisto")
    LEAD = "osahankkeen_vetaja", _("Osahankkeen vetäjä")
    FINANCE = "talous", _("Talous")
    STEERING = "ohjausryhma", _("Ohjausryhmä")


def roles(user):
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_salkku_roles"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.OFFICE)
        user._salkku_roles = frozenset(names & set(Role.values))
    return user._salkku_roles


def is_office(user):
    return Role.OFFICE in roles(user)


def led_node_ids(user):
    """Ids of the nodes the user leads (cached on the user for the request)."""
    if Role.LEAD not in roles(user):
        return frozenset()
    if not hasattr(user, "_salkku_led"):
        from .models import Responsibility

        user._salkku_led = frozenset(
            Responsibility.objects.filter(person__user=user, role=Responsibility.Role.LEAD).values_list(
                "node_id", flat=True
            )
        )
    return user._salkku_led


def node_lineage(node, by_id=None):
    """Ids of the node and all its ancestors; ``by_id`` spares the queries when the tree is loaded."""
    from .models import Node

    if by_id is None:
        by_id = {item.pk: item for item in Node.objects.filter(programme=node.programme_id).only("pk", "parent_id")}
    ids = []
    current = by_id.get(node.pk, node)
    while current is not None:
        ids.append(current.pk)
        current = by_id.get(current.parent_id)
    return ids


def can_edit_node(user, node, by_id=None):
    """May the user change this node and what hangs under it (tasks, persons, phases, children)?"""
    if is_office(user):
        return True
    led = led_node_ids(user)
    return bool(led) and any(pk in led for pk in node_lineage(node, by_id))


def can_edit_directory(user):
    """Programmes, funding decisions, persons and organisations belong to the project office."""
    return is_office(user)


def can_edit_budgets(user):
    """Budgets and actual costs belong to finance and the project office."""
    return bool(roles(user) & {Role.OFFICE, Role.FINANCE})


def can_report(user, node, by_id=None):
    """May the user write the sub-project's monthly status update? Its leads and the project office."""
    return can_edit_node(user, node, by_id)


def can_edit_update(user, update):
    """A draft or returned update of an open period, by those who report for its sub-project."""
    return update.is_editable and update.period.is_open and can_report(user, update.node)


def can_review_updates(user):
    """The project office approves or returns submitted updates and opens and closes periods."""
    return is_office(user)


def can_read_reports(user):
    """Reports and exports of every programme: every authenticated role (office, lead, finance, steering)."""
    return user.is_authenticated


def can_request_reports(user):
    """Any authenticated role may ask for a report or an export to be generated (it changes no data)."""
    return user.is_authenticated
