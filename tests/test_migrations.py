"""A new database is built by the squashed migrations: they must give what the migrations they replace give."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

APPS = {"portfolio", "budgets", "milestones", "indicators", "reports"}


def _models(replace):
    loader = MigrationLoader(None, ignore_no_migrations=True, replace_migrations=replace)
    state = loader.project_state()
    return loader, {key: model for key, model in state.models.items() if key[0] in APPS}


def test_the_squashed_migrations_end_in_the_models_of_the_ones_they_replace():
    squashed, by_squashes = _models(replace=True)
    _loader, one_by_one = _models(replace=False)
    assert {key for key in squashed.graph.nodes if key[0] in APPS and "_squashed_" in key[1]} == {
        ("portfolio", "0001_squashed_0009_usage_log_and_sessions"),
        ("budgets", "0001_squashed_0009_example_chart_of_accounts"),
        ("milestones", "0001_squashed_0004_sources"),
        ("indicators", "0001_squashed_0003_targets_as_written"),
        ("reports", "0001_squashed_0007_merge_20261201_1313"),
    }
    assert sorted(by_squashes) == sorted(one_by_one)
    for key, model in one_by_one.items():
        assert _shape(by_squashes[key]) == _shape(model), key


def _shape(model):
    """What a model's state makes in the database: its fields, options and constraints (the state of the
    migrations one by one holds the export's two constraints twice, the database each once)."""
    options = dict(model.options)
    constraints = {constraint.name: constraint for constraint in options.pop("constraints", [])}
    indexes = {index.name: index for index in options.pop("indexes", [])}
    fields = {name: field.deconstruct()[1:] for name, field in model.fields.items()}
    return fields, options, constraints, indexes, model.bases, model.managers


@pytest.mark.django_db
def test_the_squashed_migrations_keep_the_search_indexes_and_the_data_the_old_ones_made():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["portfolio_%_trgm"])
        trigram = {name for (name,) in cursor.fetchall()}
    assert trigram == {
        "portfolio_node_name_trgm",
        "portfolio_node_short_name_trgm",
        "portfolio_node_description_trgm",
        "portfolio_goal_text_trgm",
        "portfolio_task_text_trgm",
    }
    from budgets.models import CostCategory, LedgerAccount

    assert CostCategory.objects.count() == 20
    assert LedgerAccount.objects.filter(example=True).count() == 9
