from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.locking import LockedPart, LockedQuerySet
from portfolio.models import Node, Sourced, Tracked


class Indicator(Sourced, Tracked):
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
    """A target of an indicator by a quarter (or a year); interim targets (välitavoitteet) come before the final one.

    A plan may give a deadline without a value (”ensimmäiset versiot laadittu Q4 / 2023 mennessä”) or a
    value that is not one number (”14-15%”): the value is then empty and ``text`` says what the plan says.
    """

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets", verbose_name=_("indikaattori"))
    value = models.DecimalField(_("tavoitearvo"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.CharField(_("tavoite suunnitelman sanoin"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("vuosi"))
    quarter = models.PositiveSmallIntegerField(
        _("kvartaali"), null=True, blank=True, help_text=_("Tyhjä, kun tavoite on vuoden loppuun.")
    )
    is_interim = models.BooleanField(_("välitavoite"), default=False)

    class Meta:
        ordering = ["indicator", "year", "quarter"]
        verbose_name = _("tavoite")
        verbose_name_plural = _("tavoitteet")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="indicator_target_unique"),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="indicator_target_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.value if self.value is not None else self.text} {self.deadline_label}"

    @property
    def deadline_label(self):
        return f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)


def quarter_end(year, quarter):
    """The last day of a quarter: Q4/2025 → 31.12.2025; a year's target (no quarter) is due at its end."""
    if quarter in (4, None):
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


class Progress(NamedTuple):
    """Where an indicator stands: its latest value against the target that applies."""

    value: Decimal | None
    month: date | None
    target: "IndicatorTarget | None"
    percent: Decimal | None  # of the way from the baseline (or zero) to the final target
    on_track: bool | None  # None: nothing measured yet, or no target to be on


def indicator_progress(indicator, targets, latest):
    """Judge ``latest`` (a Measurement or None) against the indicator's ``targets`` (in date order).

    A target whose deadline has passed by the measurement's month must be met; before the first
    deadline the value must have moved the right way from the baseline (or simply exist). An
    indicator without targets is measured but never judged.
    """
    # A deadline without a value cannot be met or missed; it is shown, not judged.
    valued = [target for target in targets if target.value is not None]
    final = valued[-1] if valued else (targets[-1] if targets else None)
    if latest is None or latest.value is None:
        return Progress(None, None, final, None, None)
    value, month = latest.value, latest.month
    if final is None:
        return Progress(value, month, None, None, None)
    better = (lambda a, b: a >= b) if indicator.direction == Indicator.Direction.INCREASE else (lambda a, b: a <= b)
    due = [target for target in valued if quarter_end(target.year, target.quarter) <= month]
    if due:
        on_track = better(value, due[-1].value)
    elif indicator.baseline is not None:
        on_track = better(value, indicator.baseline)
    else:
        on_track = True
    percent = None
    if final is not None and final.value is not None:
        start = indicator.baseline if indicator.baseline is not None else Decimal(0)
        if final.value != start:
            percent = ((value - start) / (final.value - start) * 100).quantize(Decimal("1"))
    return Progress(value, month, due[-1] if due else final, percent, on_track)


class MeasurementQuerySet(LockedQuerySet):
    def counted(self):
        """Values the project office entered, and those of approved status updates."""
        return self.filter(value__isnull=False).filter(Q(update__isnull=True) | Q(update__status="approved"))


class Measurement(LockedPart):
    """A measured value of an indicator for a month, with its source (from a status update or the office).

    One from a status update is locked with it (``reports.StatusUpdate`` says when).
    """

    locked_with = "update"

    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="measurements", verbose_name=_("indikaattori")
    )
    update = models.ForeignKey(
        "reports.StatusUpdate",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
        verbose_name=_("katsaus"),
    )
    month = models.DateField(_("kuukausi"))
    value = models.DecimalField(_("arvo"), max_digits=14, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("lähde"), max_length=300, blank=True)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "-month", "-pk"]
        verbose_name = _("mittaus")
        verbose_name_plural = _("mittaukset")
        constraints = [
            models.UniqueConstraint(fields=["update", "indicator"], name="measurement_once_per_update"),
            models.CheckConstraint(condition=Q(month__day=1), name="measurement_month_first_day"),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.month:%m/%Y})"

    def clean(self):
        if self.value is not None and not self.source.strip():
            raise ValidationError({"source": _("Kerro, mistä arvo on peräisin.")})
