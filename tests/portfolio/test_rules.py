"""The one table of who may do what (portfolio.permissions) and what the apps register with portfolio."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import Indicator, Measurement
from portfolio import extensions
from portfolio.models import Node
from portfolio.permissions import PERMISSIONS
from reports.models import UpdateLocked
from tests.portfolio.test_editing import (
    make_user,
    node_edit_data,
    other_measure,
    own_measure,
    own_subproject,
    own_update,
)

pytestmark = pytest.mark.django_db


def test_no_name_of_the_table_is_a_model_permission(popsote):
    for name in PERMISSIONS:
        app_label, codename = name.split(".")
        assert not Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists(), name


def test_a_stored_model_permission_grants_nothing(client, popsote):
    steering = make_user("steering")
    steering.user_permissions.add(*Permission.objects.filter(content_type__app_label="portfolio"))
    client.force_login(steering)
    measure = own_measure()
    response = client.post(reverse("portfolio:edit", args=["kohde", measure.pk]), node_edit_data(measure, name="X"))
    assert response.status_code == 403
    assert Node.objects.get(pk=measure.pk).name == measure.name


def test_a_lead_is_asked_about_a_whole_programme_in_a_fixed_number_of_queries(popsote):
    lead = make_user("lead")
    nodes = list(Node.objects.filter(programme=own_subproject().programme_id))
    with CaptureQueriesContext(connection) as queries:
        allowed = {node.pk for node in nodes if lead.has_perm("portfolio.edit_node", node)}
    assert len(queries) == 2  # the roles and the nodes led; where a node sits in the tree its path tells
    assert own_measure().pk in allowed and own_subproject().pk in allowed
    assert other_measure().pk not in allowed and own_subproject().programme_id not in allowed


def test_a_lead_archives_own_nodes_but_not_a_programme(popsote):
    lead, office = make_user("lead"), make_user("office")
    assert lead.has_perm("portfolio.archive_node", own_measure())
    assert not lead.has_perm("portfolio.archive_node", own_subproject().programme)
    assert office.has_perm("portfolio.archive_node", own_subproject().programme)


def test_every_app_registers_its_parts_of_the_node_page(popsote):
    templates = [section.template for section in extensions.sections()]
    assert templates == [
        "reports/_node_exports.html",
        "portfolio/_node_about.html",
        "budgets/_node_budgets.html",
        "budgets/_node_plan_versions.html",
        "portfolio/_node_plan.html",
        "milestones/_node_phases.html",
        "reports/_node_updates.html",
        "milestones/_node_milestones.html",
        "indicators/_node_indicators.html",
        "portfolio/_node_risks.html",
        "portfolio/_node_plan_facts.html",
        "portfolio/_node_subtree.html",
    ]
    assert [kind for kind, _label in extensions.add_buttons()] == [
        "vastuu",
        "vaihe",
        "valitavoite",
        "indikaattori",
        "riski",
    ]
    assert [field.name for field in extensions.node_fields()] == ["budget"]
    assert {model.__name__ for model in extensions.history_of(own_measure())} >= {
        "NodeBudget",
        "Milestone",
        "Indicator",
    }


def test_an_indicator_value_is_locked_with_its_approved_update(popsote):
    Indicator.objects.create(node=own_subproject(), name="Etäkontaktien osuus", unit="%")
    update = own_update("approved")
    value = Measurement.objects.get(update=update)
    value.value = 1
    with pytest.raises(UpdateLocked):
        value.save()
    with pytest.raises(UpdateLocked):
        Measurement.objects.filter(pk=value.pk).update(value=1)
    assert value.is_locked
