"""The Oulunkaari status review loaded from the plans was never approved by anyone (issue 18).

Its updates were loaded as approved updates of period 1/2021. They become ``imported``, and move to
February 2021, the month the review's own words place it in ("Pohjois-Pohjanmaan tukiryhmä aloitti
2/2021", "Omaolon kickoff helmikuun lopussa"); the loader then writes the rest (area, presenter, the
dating, the review's own text). Each change is kept in the update's history. Period 1/2021 goes
when nothing is left in it and no report was made of it.
"""

import datetime

from django.db import migrations
from django.utils import timezone

REASON = "Tuotu asiakirjasta, ei hyväksytty (aiemmin ladattu hyväksyttynä kaudelle 1/2021)"


def forwards(apps, schema_editor):
    StatusUpdate = apps.get_model("reports", "StatusUpdate")
    History = apps.get_model("reports", "HistoricalStatusUpdate")
    ReportingPeriod = apps.get_model("reports", "ReportingPeriod")
    Export = apps.get_model("reports", "Export")
    loaded = StatusUpdate.objects.filter(
        status="approved",
        created_by__isnull=True,
        submitted_by__isnull=True,
        decided_by__isnull=True,
        source__startswith="Hankkeen tilannekatsaus",
        period__month=datetime.date(2021, 1, 1),
    ).select_related("period")
    emptied = set()
    for update in loaded:
        february, _created = ReportingPeriod.objects.get_or_create(
            programme_id=update.period.programme_id,
            month=datetime.date(2021, 2, 1),
            defaults={"deadline": datetime.date(2021, 3, 5), "status": "closed", "closed_at": timezone.now()},
        )
        update.status = "imported"
        if not StatusUpdate.objects.filter(period=february, node_id=update.node_id).exists():
            emptied.add(update.period_id)
            update.period = february
        update.version += 1
        update.save()
        fields = {f.attname: getattr(update, f.attname) for f in StatusUpdate._meta.concrete_fields}
        History.objects.create(
            **fields,
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=REASON,
        )
    for period in ReportingPeriod.objects.filter(pk__in=emptied):
        if not StatusUpdate.objects.filter(period=period).exists() and not Export.objects.filter(period=period).exists():
            period.delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_imported_reviews")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
