"""Trigram indexes for the portfolio search (portfolio.filters.NodeFilter.search).

``icontains`` on PostgreSQL is ``UPPER(column::text) LIKE UPPER(%s)``, so the indexes are on
``UPPER(column)`` with ``gin_trgm_ops``; a word of three characters or more is then found through
the index instead of reading every goal and task. SQLite (development) gets none.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("portfolio_node_name_trgm", "portfolio_node", "name"),
    ("portfolio_node_short_name_trgm", "portfolio_node", "short_name"),
    ("portfolio_node_description_trgm", "portfolio_node", "description"),
    ("portfolio_goal_text_trgm", "portfolio_goal", "text"),
    ("portfolio_task_text_trgm", "portfolio_task", "text"),
]


class PostgreSQLOnly(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0004_api_token")]

    operations = [
        TrigramExtension(),
        *(
            PostgreSQLOnly(
                f'CREATE INDEX "{name}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)',
                f'DROP INDEX "{name}"',
            )
            for name, table, column in INDEXES
        ),
        PostgreSQLOnly(
            'CREATE INDEX "portfolio_node_code_upper" ON "portfolio_node" (UPPER("code"))',
            'DROP INDEX "portfolio_node_code_upper"',
        ),
    ]
