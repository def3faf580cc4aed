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


@pytest.mark.django_db
def test_the_tables_the_squashed_migrations_create_hold_every_column_constraint_and_index_of_the_models():
    """The squashed migrations create their models together (``popsote.migration_operations.CreateModels``),
    each table as the models end: every column, and every named constraint and index, is in the database."""
    from django.apps import apps

    missing = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if model._meta.app_label not in APPS or not model._meta.managed:
                continue
            table = model._meta.db_table
            columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
            declared = {field.column for field in model._meta.local_concrete_fields}
            missing += [f"{table}.{column}" for column in declared - columns]
            names = set(connection.introspection.get_constraints(cursor, table))
            named = {item.name for item in [*model._meta.constraints, *model._meta.indexes]}
            missing += [f"{table}: {name}" for name in named - names]
            foreign = {
                field.column
                for field in model._meta.local_concrete_fields
                if field.remote_field and field.db_constraint
            }
            referencing = {
                column
                for constraint in connection.introspection.get_constraints(cursor, table).values()
                if constraint["foreign_key"]
                for column in constraint["columns"]
            }
            missing += [f"{table}.{column} (foreign key)" for column in foreign - referencing]
    assert missing == []


def test_create_models_refuses_an_operation_on_a_model_it_does_not_create():
    from django.db import migrations, models

    from popsote.migration_operations import CreateModels

    create = migrations.CreateModel("Kohde", [("id", models.BigAutoField(primary_key=True))])
    index = migrations.AddIndex("kohde", models.Index(fields=["id"], name="kohde_id"))
    assert CreateModels([create, index]).created == [create]
    with pytest.raises(ValueError, match="CreateModels only changes the models it creates"):
        CreateModels([create, migrations.AddIndex("muu", models.Index(fields=["id"], name="muu_id"))])
