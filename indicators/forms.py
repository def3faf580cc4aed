from django import forms

from portfolio.forms import VersionedForm

from .models import Indicator


class IndicatorForm(VersionedForm):
    class Meta:
        model = Indicator
        fields = ["name", "national", "unit", "direction", "baseline", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, node=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["national"].widget.attrs["class"] = "form-check-input"
