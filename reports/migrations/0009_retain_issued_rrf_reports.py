from django.conf import settings
from django.db import migrations


def retain(apps, schema_editor):
    """Reports already issued for an RRF programme are kept until the retention date, as new ones are."""
    Export = apps.get_model("reports", "Export")
    FundingDecision = apps.get_model("portfolio", "FundingDecision")
    rrf = FundingDecision.objects.filter(source="eu_rrf", archived_at__isnull=True).values("programme")
    Export.objects.filter(status="done", programme__in=rrf, retain_until__isnull=True).update(
        retain_until=settings.SALKKU_RRF_RETAIN_UNTIL
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0008_feedback"),
        ("reports", "0008_evaluation_rrf_retention"),
    ]

    operations = [migrations.RunPython(retain, migrations.RunPython.noop)]
