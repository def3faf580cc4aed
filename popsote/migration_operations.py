"""A migration operation that creates many models at once, for the squashed initial migrations.

Django renders the migration state's models again after each ``CreateModel``: the new model and every model
related to it, which for models that all lead to ``Node`` or the user is nearly all of them. Creating some
seventy models one by one so rendered about six thousand model classes and was most of the time a fresh
database took to migrate (a test database, ``bin/start`` on a new machine). ``CreateModels`` applies the
state of all its operations first and renders once.
"""

from django.db import migrations
from django.db.migrations.operations.base import Operation


class CreateModels(Operation):
    """``CreateModel`` operations, and the ``AddConstraint``, ``AddIndex`` and ``AddField`` operations on the
    models they create, applied together. Each model's table is created as the batch leaves the model, with
    its fields, constraints and indexes, so the batch runs no operation on a model it does not create."""

    reversible = True
    reduces_to_sql = True

    def __init__(self, operations):
        self.operations = list(operations)
        created = {op.name_lower for op in self.operations if isinstance(op, migrations.CreateModel)}
        for op in self.operations:
            if not isinstance(op, migrations.CreateModel) and op.model_name_lower not in created:
                raise ValueError(f"{op.describe()}: CreateModels only changes the models it creates")
        self.created = [op for op in self.operations if isinstance(op, migrations.CreateModel)]
        super().__init__()

    def deconstruct(self):
        return self.__class__.__qualname__, [self.operations], {}

    def state_forwards(self, app_label, state):
        # Without the rendered models at hand each operation only records its change; they are rendered once.
        rendered = state.__dict__.pop("apps", None)
        for operation in self.operations:
            operation.state_forwards(app_label, state)
        if rendered is not None:
            state.__dict__["apps"] = rendered
            state.reload_models([(app_label, op.name_lower) for op in self.created], delay=False)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for operation in self.created:
            model = to_state.apps.get_model(app_label, operation.name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.create_model(model)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for operation in reversed(self.created):
            model = from_state.apps.get_model(app_label, operation.name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.delete_model(model)

    def describe(self):
        return f"Create {len(self.created)} models: " + ", ".join(op.name for op in self.created)

    @property
    def migration_name_fragment(self):
        return "create_models"
