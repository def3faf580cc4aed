from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.models import Node, Tracked


class Phase(Tracked):
    """A phase of a node's schedule (e.g. "01–04/2023 valmisteluvaihe")."""

    node = models.ForeignKey(Node, models.CASCADE, related_name="phases", verbose_name=_("kohde"))
    name = models.CharField(_("nimi"), max_length=300)
    start = models.DateField(_("alkaa"), null=True, blank=True)
    end = models.DateField(_("päättyy"), null=True, blank=True)
    text = models.TextField(_("suunnitelman sanamuoto"), blank=True)
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("vaihe")
        verbose_name_plural = _("vaiheet")
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="phase_end_not_before_start",
            ),
        ]

    def __str__(self):
        return self.name
