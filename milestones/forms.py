from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.forms import DateInput, PeriodMixin, VersionedForm

from .models import Milestone, Phase


class PhaseForm(PeriodMixin, VersionedForm):
    class Meta:
        model = Phase
        fields = ["name", "start", "end", "text"]
        widgets = {"start": DateInput, "end": DateInput, "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.node = node or self.instance.node

    def period_programme(self):
        return None if self.node.is_programme else self.node.programme


class MilestoneForm(VersionedForm):
    class Meta:
        model = Milestone
        fields = ["name", "planned_date", "actual_date", "status"]
        widgets = {"planned_date": DateInput, "actual_date": DateInput}

    def __init__(self, *args, node=None, **kwargs):
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Milestone.Status.ACHIEVED and not cleaned.get("actual_date"):
            self.add_error("actual_date", _("Anna päivä, jolloin välitavoite saavutettiin."))
        return cleaned
