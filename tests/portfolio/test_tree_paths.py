"""Each node's path names its ancestors, so that everything under a node is one indexed condition."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portfolio.models import Node
from portfolio.tree import children_by_parent, subtree_ids
from tests.portfolio.test_editing import make_user

pytestmark = pytest.mark.django_db


def _expected_path(node, parents):
    ids, pk = [], parents[node.pk]
    while pk is not None:
        ids.insert(0, pk)
        pk = parents[pk]
    return "".join(f"{pk}/" for pk in ids)


def test_every_loaded_node_has_the_path_of_its_ancestors(popsote):
    nodes = list(Node.objects.all())
    parents = {node.pk: node.parent_id for node in nodes}
    assert len(nodes) > 200
    assert [node.path for node in nodes] == [_expected_path(node, parents) for node in nodes]
    unit = Node.objects.get(programme__code="POPDIGI2", code="P4I1-4")
    assert unit.path == f"{unit.programme_id}/{unit.parent_id}/"
    assert unit.parent.path == f"{unit.programme_id}/"


def test_a_subtree_is_the_same_nodes_as_the_tree_walk(popsote):
    nodes = list(Node.objects.filter(programme__code="POPDIGI2"))
    children = children_by_parent(nodes)
    for code in ("POPDIGI2", "P4I1", "P4I1-4"):
        node = next(item for item in nodes if item.code == code)
        assert set(Node.objects.subtree(node).values_list("pk", flat=True)) == set(subtree_ids(children, node.pk))


def test_moving_a_node_rewrites_its_descendants_paths_in_one_update(client, popsote):
    client.force_login(make_user("office"))
    area = Node.objects.get(programme__code="POPDIGI2", code="P4I1")
    target = Node.objects.get(programme__code="POPDIGI2", code="P3")
    under = set(Node.objects.subtree(area).values_list("pk", flat=True))
    assert len(under) > 10
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("portfolio:node_move", args=[area.pk]), {"parent": target.pk, "version": area.version}
        )
    assert response.status_code == 302
    rewrites = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "portfolio_node" SET "path"')]
    assert len(rewrites) == 1
    area.refresh_from_db()
    assert area.path == f"{target.programme_id}/{target.pk}/"
    assert set(Node.objects.subtree(area).values_list("pk", flat=True)) == under
    assert set(Node.objects.subtree(target).values_list("pk", flat=True)) >= under
    parents = dict(Node.objects.values_list("pk", "parent_id"))
    for node in Node.objects.filter(pk__in=under):
        assert node.path == _expected_path(node, parents)


def test_a_lead_of_the_new_parent_may_edit_the_moved_subtree(popsote):
    from portfolio.models import Responsibility

    area = Node.objects.get(programme__code="POPDIGI2", code="P4I1")
    lead = make_user("lead")
    own = Node.objects.get(programme__code="POPDIGI2", code="P4I1-4")
    measure = (
        Node.objects.filter(path__startswith=area.descendants_prefix, kind=Node.Kind.MEASURE)
        .exclude(path__startswith=own.descendants_prefix)
        .first()
    )
    led = Responsibility.objects.filter(person__user=lead, role=Responsibility.Role.LEAD).values_list("node", flat=True)
    assert area.pk not in led and not any(str(pk) in measure.path.split("/") for pk in led)
    assert not lead.has_perm("portfolio.edit_node", measure)
    person = lead.person
    Responsibility.objects.create(node=area, person=person, role=Responsibility.Role.LEAD)
    del lead._salkku_led
    assert lead.has_perm("portfolio.edit_node", measure)
