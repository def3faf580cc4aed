from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.models import Node, Sourced, Tracked


class Phase(Sourced, Tracked):
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


def is_late(status, planned_date, as_of):
    """Is a milestone late at the end of the day ``as_of``? The one rule; ``MilestoneQuerySet.late`` says the same in SQL.

    A milestone is due by the end of its planned day: at the end of a period's last day, one due that
    day and neither achieved nor cancelled is late. One marked late is late whatever its date.
    """
    return status == Milestone.Status.LATE or (
        status == Milestone.Status.PLANNED and planned_date is not None and planned_date <= as_of
    )


class MilestoneQuerySet(models.QuerySet):
    def active(self):
        return self.filter(archived_at__isnull=True)

    def late(self, as_of):
        """Active milestones late at the end of the day ``as_of`` (see ``is_late``)."""
        return self.active().filter(
            Q(status=Milestone.Status.LATE) | Q(status=Milestone.Status.PLANNED, planned_date__lte=as_of)
        )


class Milestone(Sourced, Tracked):
    """A dated milestone or deadline of a node (planned date, actual date, status)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Suunniteltu")
        ACHIEVED = "achieved", _("Saavutettu")
        LATE = "late", _("Myöhässä")
        CANCELLED = "cancelled", _("Peruttu")

    node = models.ForeignKey(Node, models.CASCADE, related_name="milestones", verbose_name=_("kohde"))
    name = models.CharField(_("nimi"), max_length=300)
    planned_date = models.DateField(_("suunniteltu päivä"), null=True, blank=True)
    actual_date = models.DateField(_("toteutunut päivä"), null=True, blank=True)
    status = models.CharField(_("tila"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    position = models.PositiveIntegerField(_("järjestys"), default=0)
    archived_at = models.DateTimeField(_("arkistoitu"), null=True, blank=True)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["node", "planned_date", "position", "pk"]
        verbose_name = _("välitavoite")
        verbose_name_plural = _("välitavoitteet")

    def __str__(self):
        return self.name

    def is_late(self, as_of):
        return is_late(self.status, self.planned_date, as_of)
