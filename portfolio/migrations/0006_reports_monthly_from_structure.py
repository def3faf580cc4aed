"""Nodes that reported before the flag existed keep reporting.

Until now a node reported monthly when it had measures of its own or no parts below it. That rule
is written into the new flag once, so nothing an office made changes; ``load_popsote`` then sets the
flag of the loaded plans from what the plans say (issue 18).
"""

from django.db import migrations
from django.db.models import Exists, OuterRef


def forwards(apps, schema_editor):
    Node = apps.get_model("portfolio", "Node")
    parts = Node.objects.filter(parent=OuterRef("pk"), archived_at__isnull=True)
    reporting = Node.objects.exclude(kind__in=["programme", "measure"]).filter(
        Exists(parts.filter(kind="measure")) | ~Exists(parts.exclude(kind="measure"))
    )
    reporting.update(reports_monthly=True)


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0005_plan_sources")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
