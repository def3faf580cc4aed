"""Where the apps above portfolio plug into its pages, forms, API, history and admin.

Portfolio never imports budgets, milestones, indicators or reports; they register here what they
add, in their ``AppConfig.ready()`` (the admin's inlines in their ``admin.py``), the way Django's
admin registers models and NetBox's plugins their template extensions:

- ``node_section``: a part of the node page: a template and the context it needs, read in a fixed
  number of queries however big the node is; ``order`` places it among the others;
- ``node_figures``: figures put on listed nodes (the portfolio tree, the person page, the API's
  nodes), one query for the whole list;
- ``node_history``: a model whose change history is shown on the node page;
- ``editable``: a kind of object the generic editing views and the API edit, with its form;
- ``node_field``: an extra field of the node form and the API (the written budget), saved by the
  registering app's own service and offered to those its permission names;
- ``node_inline``: an inline of the node's admin page;
- ``cost_reports``: the reports made from a programme's actual costs, asked before costs are taken
  back (an undone ledger import) and told when they were.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.db import connection
from django.db.models import QuerySet


@dataclass(frozen=True)
class NodePage:
    """What a section's context function may use: the node, who looks, and the programme's tree."""

    node: Any
    user: Any
    can_edit: bool
    nodes: list  # the programme's active nodes (and the node itself), with the registered figures
    children: list  # the node's active children

    def related(self, name):
        """The node's rows of the reverse relation ``name`` (``goals``, ``milestones``…) as a queryset to
        filter further; an empty one when the node has none at all, which ``listed`` reads for nothing."""
        manager = getattr(self.node, name)
        return manager.all() if self.has(name) else manager.none()

    def has(self, name):
        """Has the node any rows (archived ones too) in the reverse relation ``name``?"""
        return name in self._present

    @cached_property
    def _present(self):
        """The reverse relations in which the node has rows, archived ones too: one query for all of them (most
        nodes have rows in a few, and each section's own query would cost as much as this one)."""
        relations = _node_relations(type(self.node))
        if not relations:
            return set()
        quote = connection.ops.quote_name
        sql = " UNION ALL ".join(
            f"SELECT {index} WHERE EXISTS (SELECT 1 FROM {quote(table)} WHERE {quote(column)} = %s)"
            for index, (_name, table, column) in enumerate(relations)
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.node.pk] * len(relations))
            return {relations[index][0] for (index,) in cursor.fetchall()}


@dataclass(frozen=True)
class Section:
    template: str
    context: Callable[[NodePage], dict] | None
    order: int


@dataclass(frozen=True)
class Editable:
    """A kind of object edited by portfolio's generic views (``/muokkaa/<kind>/…``) and the API."""

    model: type
    form: type
    label: str
    node_of: Callable | None = None  # obj -> the node whose editors may change it; None: the project office's
    siblings: Callable | None = None  # node id -> queryset of the ordered items it moves among
    parent_kwarg: str | None = None  # the form's keyword for the node a new object hangs on
    add_label: str | None = None  # the node page's button for a new one
    order: int = 0  # where that button stands among the others


@dataclass(frozen=True)
class NodeField:
    """An extra field of the node form and of the API's nodes."""

    name: str
    form_field: Callable  # () -> a forms.Field
    api_field: Callable  # (**kwargs) -> a serializers.Field; kwargs such as read_only=True
    initial: Callable  # node -> the value the form starts from
    save: Callable  # save(*, node, value, user): writes the value (inside the node's transaction)
    perm: str  # who may write it (a name of the rules table)


@dataclass(frozen=True)
class History:
    model: type
    lookup: str
    when: Callable | None


_sections = []
_figures = []
_history = []
_editables = {}
_fields = []
_inlines = []
_cost_reports = []


@dataclass(frozen=True)
class CostReports:
    using: Callable  # (programme id, first month, since) -> the reports made since then that show those months
    changed: Callable  # (reports, note) -> None: the reports' archive entries say what changed


def node_section(template, context=None, *, order):
    _sections.append(Section(template, context, order))
    _sections.sort(key=lambda section: section.order)


def node_figures(function):
    """``function(nodes)`` sets attributes on every node of the list, in one query for all of them."""
    _figures.append(function)


def node_history(model, lookup="node_id", when=None):
    """``model``'s history rows whose ``lookup`` is the node's id belong to its page (``when(node)``: only then)."""
    _history.append(History(model, lookup, when))


def editable(kind, spec):
    _editables[kind] = spec


def node_field(field):
    _fields.append(field)


def node_inline(inline):
    _inlines.append(inline)


def cost_reports(spec):
    _cost_reports.append(spec)


def reports_using_costs(programme_id, first_month, since):
    return [report for spec in _cost_reports for report in spec.using(programme_id, first_month, since)]


def costs_changed(reports, note):
    for spec in _cost_reports:
        spec.changed(reports, note)


def sections():
    return list(_sections)


def listed(rows):
    """``rows`` as a list; an empty queryset (``QuerySet.none()``) is not compiled, which costs Django as much
    as a query."""
    if isinstance(rows, QuerySet) and rows.query.is_empty():
        return []
    return list(rows)


@cache
def _node_relations(node_model):
    """(accessor, table, column) of every model whose foreign key ``node`` points at a node."""
    return [
        (relation.get_accessor_name(), relation.related_model._meta.db_table, relation.field.column)
        for relation in node_model._meta.related_objects
        if relation.one_to_many and relation.field.name == "node"
    ]


def add_figures(nodes):
    """The nodes as a list, each with the registered figures (e.g. ``budget``)."""
    nodes = list(nodes)
    for function in _figures:
        function(nodes)
    return nodes


def history_of(node):
    """``{model: queryset of its historical rows}`` for everything whose history belongs to the node's page."""
    return {
        item.model: item.model.history.filter(**{item.lookup: node.pk})
        for item in _history
        if item.when is None or item.when(node)
    }


def editable_kind(kind):
    """The registered kind; KeyError when there is none."""
    return _editables[kind]


def add_buttons():
    """(kind, label) of the kinds a node page offers to add, in their order."""
    kinds = sorted((spec.order, kind, spec.add_label) for kind, spec in _editables.items() if spec.add_label)
    return [(kind, label) for _order, kind, label in kinds]


def node_fields():
    return list(_fields)


def node_inlines():
    return list(_inlines)
