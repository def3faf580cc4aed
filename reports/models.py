from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portfolio.models import Node


class Export(models.Model):
    """A file someone asked for, made by a Celery task; the row shows its progress and keeps the file."""

    class Kind(models.TextChoices):
        MEASURES_XLSX = "measures_xlsx", _("Toimenpideluettelo (Excel)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Jonossa")
        RUNNING = "running", _("Käynnissä")
        DONE = "done", _("Valmis")
        FAILED = "failed", _("Epäonnistui")

    programme = models.ForeignKey(
        Node, models.PROTECT, related_name="exports", limit_choices_to={"parent__isnull": True}, verbose_name=_("hanke")
    )
    kind = models.CharField(_("tyyppi"), max_length=30, choices=Kind.choices)
    status = models.CharField(_("tila"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("edistyminen (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="exports", verbose_name=_("pyytäjä")
    )
    created_at = models.DateTimeField(_("pyydetty"), auto_now_add=True)
    started_at = models.DateTimeField(_("aloitettu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("valmistunut"), null=True, blank=True)
    error = models.TextField(_("virhe"), blank=True)
    file = models.FileField(_("tiedosto"), upload_to="exports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("vienti")
        verbose_name_plural = _("viennit")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.programme.short_name or self.programme.name}"

    def get_absolute_url(self):
        return reverse("reports:export", args=[self.pk])

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
