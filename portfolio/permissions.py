"""Who may do what: one table of rules, asked everywhere as ``user.has_perm(name, obj)``.

Pages, API viewsets (``portfolio.api.base.RulePermission``), templates (``{% has_perm %}`` or a
view's flag) and the admin ask the names in ``PERMISSIONS`` and nothing else decides who may do
what. The names are not Django's model permissions (``add_``, ``change_``, ``delete_``, ``view_``),
so permissions stored in the database never answer them: only this table does.

Roles are Django groups:
- project office (hanketoimisto) creates and edits everything;
- a sub-project lead edits the nodes they lead (a lead Responsibility of their Person) and
  everything under them, and reads the rest;
- finance edits budgets and actual costs, reads the rest;
- the steering group reads everything;
- an auditor reads everything and the log of use, changes nothing;
- an account without a role sees only its own page (name, password, API tokens).

The table says *who*. *When* belongs to the objects' own state and holds for everyone, superusers
included (Django grants a superuser every permission): an approved update or a closed period
refuses changes, a programme cannot be moved, nothing is deleted.
"""

import rules
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "hanketoimisto", _("Hanketoimisto")
    LEAD = "osahankkeen_vetaja", _("Osahankkeen vetäjä")
    FINANCE = "talous", _("Talous")
    STEERING = "ohjausryhma", _("Ohjausryhmä")
    AUDITOR = "tarkastaja", _("Tarkastaja")


def roles(user):
    """The user's roles (cached on the user for the request); a superuser is the project office."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_salkku_roles"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.OFFICE)
        user._salkku_roles = frozenset(names & set(Role.values))
    return user._salkku_roles


def led_node_ids(user):
    """Ids of the nodes the user leads themselves (cached on the user for the request)."""
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


def node_of(obj):
    """The node an object is or hangs on (a task's measure, an update's sub-project); None for others."""
    from .models import Node

    return obj if isinstance(obj, Node) else getattr(obj, "node", None)


@rules.predicate
def is_office(user):
    return Role.OFFICE in roles(user)


@rules.predicate
def is_finance(user):
    return Role.FINANCE in roles(user)


@rules.predicate
def is_auditor(user):
    return Role.AUDITOR in roles(user)


@rules.predicate
def is_lead(user):
    return Role.LEAD in roles(user)


@rules.predicate
def has_role(user):
    """Signed in with one of the roles. An account made but not yet given a role reads nothing."""
    return bool(roles(user))


@rules.predicate
def leads_node(user, obj):
    """The user leads the node ``obj`` is or hangs on, or a node above it. Asked of no object: leads any node."""
    led = led_node_ids(user)
    if not led or obj is None:
        return bool(led)
    node = node_of(obj)
    if node is None:
        return False
    if node.pk in led:
        return True
    if node.pk is None:  # not saved yet: its path is its parent's
        return node.parent_id is not None and leads_node(user, node.parent)
    return any(pk in led for pk in node.ancestor_ids)


@rules.predicate
def is_programme(user, obj):
    node = node_of(obj) if obj is not None else None
    return node is not None and node.is_programme


PERMISSIONS = {
    # Reading the portfolio, its budgets, reports and everything else: every role, on the pages and in
    # the API. An account without a role sees its own page only (popsote.middleware.RoleRequired).
    "portfolio.read": has_role,
    # Persons' e-mail addresses and phone numbers: those who contact them, the project office and the
    # sub-project leads; finance and the steering group see names, titles and organisations.
    "portfolio.read_contacts": is_office | is_lead,
    # A node and everything that hangs on it: tasks, persons, phases, milestones, risks, indicators, children.
    "portfolio.edit_node": is_office | leads_node,
    "portfolio.archive_node": is_office | (leads_node & ~is_programme),
    # New programmes, funding decisions, persons and organisations: the project office's directory.
    "portfolio.edit_directory": is_office,
    "portfolio.read_change_log": is_office,
    "portfolio.use_admin": is_office,
    # Accounts: invite, give roles, link to a person, deactivate, sign out everywhere.
    "portfolio.manage_users": is_office,
    # Who has which role (the yearly review list) and the log of use (sign-ins, reports and contact
    # details read, role changes): the office and the auditor read them; no one edits the log.
    "portfolio.review_users": is_office | is_auditor,
    "portfolio.read_usage_log": is_office | is_auditor,
    # Budgets, plan versions, budget lines, actual costs and ledger imports.
    "budgets.edit_budgets": is_office | is_finance,
    # Undoing a ledger import whose costs a monthly report already used: the project office decides.
    "budgets.confirm_report_change": is_office,
    # A sub-project's monthly status update: start, edit, submit and correct it.
    "reports.report": is_office | leads_node,
    # Approve or return updates; open and close reporting periods.
    "reports.review": is_office,
    # A goal's self-evaluation in a benefit-goal evaluation round (THL's evaluation and approval: reports.review).
    "reports.evaluate": is_office | leads_node,
    # An RRF programme's milestones and targets, their evidence and its review, and the declarations.
    "reports.manage_rrf": is_office,
    # A new indicator from inside a status update: the office defines what is measured, leads report values.
    "indicators.define_indicator": is_office,
    # A programme's plan as the portfolio workbook, out and in (every part of it, contacts included): the
    # project office. Finance edits budgets on their own pages; an import changes the whole plan.
    "reports.import_plans": is_office,
    # Reports and exports of every programme, and asking for one to be made (it changes no data).
    "reports.read_reports": has_role,
    "reports.request_reports": has_role,
}

for _name, _predicate in PERMISSIONS.items():
    rules.set_perm(_name, _predicate)
