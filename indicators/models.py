from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.models import Node, Tracked


class Indicator(Tracked):
    """A national or own indicator of a node, with a target by a deadline quarter."""

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Kasvava on parempi")
        DECREASE = "decrease", _("Laskeva on parempi")

    node = models.ForeignKey(Node, models.CASCADE, related_name="indicators", verbose_name=_("kohde"))
    name = models.CharField(_("nimi"), max_length=300)
    national = models.BooleanField(_("kansallinen"), default=False)
    unit = models.CharField(_("yksikkö"), max_length=40, blank=True)
    direction = models.CharField(_("suunta"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    baseline = models.DecimalField(_("lähtötaso"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("suunnitelman sanamuoto"), blank=True)
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    class Meta:
        ordering = ["node", "position", "pk"]
        verbose_name = _("indikaattori")
        verbose_name_plural = _("indikaattorit")

    def __str__(self):
        return self.name


class IndicatorTarget(Tracked):
    """A target value of an indicator by a quarter; interim targets (välitavoitteet) come before the final one."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets", verbose_name=_("indikaattori"))
    value = models.DecimalField(_("tavoitearvo"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("vuosi"))
    quarter = models.PositiveSmallIntegerField(_("kvartaali"))
    is_interim = models.BooleanField(_("välitavoite"), default=False)

    class Meta:
        ordering = ["indicator", "year", "quarter"]
        verbose_name = _("tavoite")
        verbose_name_plural = _("tavoitteet")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="indicator_target_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="indicator_target_quarter"),
        ]

    def __str__(self):
        return f"{self.value} Q{self.quarter}/{self.year}"
