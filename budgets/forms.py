from django import forms
from django.utils.translation import gettext_lazy

from popsote.text import CleanText
from portfolio.forms import EuroField, MonthField
from portfolio.models import Node

from .models import ActualCost, CostCategory


class ActualCostForm(CleanText, forms.ModelForm):
    amount = EuroField(label=gettext_lazy("Summa (€)"), min_value=None)
    month = MonthField(label=gettext_lazy("Kuukausi"))

    class Meta:
        model = ActualCost
        fields = ["node", "category", "month", "amount", "description"]

    def __init__(self, *args, nodes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes if nodes is not None else Node.objects.none()
        self.fields["category"].queryset = CostCategory.objects.filter(
            kind=CostCategory.Kind.COST, children__isnull=True
        )
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
