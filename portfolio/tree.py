"""The portfolio tree built in memory from one query's rows, so pages need no query per node."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class TreeRow:
    node: object
    depth: int
    children_sum: Decimal | None
    difference: Decimal | None


@dataclass
class Counted:
    """A node of the level below a listed tree, read as its ids alone: it gives its parent's row the number of
    children and their sum (the figures set ``budget`` on it), and is never shown."""

    pk: int
    parent_id: int
    programme_id: int


def children_by_parent(nodes):
    children = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    return children


def subtree_ids(children, root_id):
    """Ids of a node and everything under it in pre-order, from ``children_by_parent``'s map (built once)."""
    ids, stack = [], [root_id]
    while stack:
        pk = stack.pop()
        ids.append(pk)
        stack.extend(kid.pk for kid in reversed(children.get(pk, ())))
    return ids


def preorder(nodes, root_ids=None):
    """(node, depth) pairs of the trees under ``root_ids`` (default: nodes whose parent is absent)."""
    nodes = list(nodes)
    by_id = {node.pk: node for node in nodes}
    children = children_by_parent(nodes)
    if root_ids is None:
        root_ids = [node.pk for node in nodes if node.parent_id not in by_id]
    stack = [(by_id[pk], 0) for pk in reversed(root_ids)]
    while stack:
        node, depth = stack.pop()
        yield node, depth
        stack.extend((kid, depth + 1) for kid in reversed(children.get(node.pk, [])))


def tree_rows(nodes, root_ids=None):
    """Pre-order rows of the trees under ``root_ids`` (default: the nodes whose parent is absent).

    The figures come from ``portfolio.extensions.add_figures`` (budgets puts each node's written
    ``budget``, its children's sum and the difference on it); without them the row has none.
    """
    return [
        TreeRow(node, depth, getattr(node, "children_sum", None), getattr(node, "difference", None))
        for node, depth in preorder(nodes, root_ids)
    ]


def ancestors(node, by_id):
    """The node's ancestors from the root down, looked up in ``by_id`` (no queries)."""
    chain = []
    parent = by_id.get(node.parent_id)
    while parent is not None:
        chain.insert(0, parent)
        parent = by_id.get(parent.parent_id)
    return chain


def lineage(node, by_id):
    """Ids of the node and its ancestors, the node first, looked up in ``by_id`` (no queries)."""
    ids = []
    current = by_id.get(node.pk, node)
    while current is not None:
        ids.append(current.pk)
        current = by_id.get(current.parent_id)
    return ids
