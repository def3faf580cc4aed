from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portfolio.models import Node, Tracked


class PlanVersion(Tracked):
    """One version of a programme's plan and budget (plans are revised; every version is kept)."""

    programme = models.ForeignKey(
        Node,
        models.PROTECT,
        related_name="plan_versions",
        limit_choices_to={"parent__isnull": True},
        verbose_name=_("hanke"),
    )
    key = models.SlugField(_("tunniste"), max_length=60)
    name = models.CharField(_("nimi"), max_length=200)
    date = models.DateField(_("päivätty"), null=True, blank=True)
    is_current = models.BooleanField(_("voimassa"), default=False)
    note = models.TextField(_("huomautus"), blank=True)

    class Meta:
        ordering = ["programme", "date", "pk"]
        verbose_name = _("suunnitelmaversio")
        verbose_name_plural = _("suunnitelmaversiot")
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="plan_version_key_unique"),
            models.UniqueConstraint(
                fields=["programme"], condition=Q(is_current=True), name="plan_version_one_current"
            ),
        ]

    def __str__(self):
        return self.name


class NodeBudget(Tracked):
    """A node's planned budget as written in one plan version: total, and its grant/own split if given.

    Detailed lines by cost category and year come on top of this; the written total stays, so the
    software can show where a plan's own figures disagree.
    """

    plan = models.ForeignKey(
        PlanVersion, models.PROTECT, related_name="node_budgets", verbose_name=_("suunnitelmaversio")
    )
    node = models.ForeignKey(Node, models.PROTECT, related_name="budgets", verbose_name=_("kohde"))
    total = models.DecimalField(_("kokonaisbudjetti"), max_digits=14, decimal_places=2)
    grant = models.DecimalField(_("valtionavustus"), max_digits=14, decimal_places=2, null=True, blank=True)
    own_funding = models.DecimalField(_("omarahoitus"), max_digits=14, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("huomautus"), blank=True)

    class Meta:
        ordering = ["plan", "node"]
        verbose_name = _("budjetti")
        verbose_name_plural = _("budjetit")
        constraints = [
            models.UniqueConstraint(fields=["plan", "node"], name="node_budget_unique"),
            models.CheckConstraint(condition=Q(total__gte=0), name="node_budget_total_not_negative"),
            models.CheckConstraint(
                condition=Q(grant__isnull=True) | Q(grant__gte=0), name="node_budget_grant_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(own_funding__isnull=True) | Q(own_funding__gte=0), name="node_budget_own_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.node.code} {self.plan}: {self.total}"
