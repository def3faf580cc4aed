"""A user's own API tokens: make one (shown once), see them, revoke one."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from popsote.text import CleanText

from .models import ApiToken
from .services import api_token_create, api_token_revoke, api_tokens_revoke_all


class ApiTokenForm(CleanText, forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nimi"),
        max_length=100,
        help_text=gettext_lazy("Mihin tunnusta käytetään, esim. ”kuukausiraportin skripti”."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Voimassa"),
        coerce=int,
        choices=[
            (30, gettext_lazy("30 päivää")),
            (90, gettext_lazy("90 päivää")),
            (180, gettext_lazy("180 päivää")),
            (365, gettext_lazy("vuoden")),
        ],
        initial=90,
        widget=forms.Select(attrs={"class": "form-select"}),
    )


def token_list(request):
    form = ApiTokenForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
    created = None
    if request.method == "POST" and form.is_valid():
        created = api_token_create(user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"])
        form = ApiTokenForm(initial={"days": settings.API_TOKEN_DAYS})
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "created": created[0] if created else None,
        "secret": created[1] if created else None,
    }
    # The page may show a token once: like every signed-in page it is "private, no-store" (popsote.middleware).
    return render(request, "portfolio/token_list.html", context, status=400 if form.errors else 200)


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, _("Tunnus {name} on peruttu.").format(name=token.name))
    return redirect("portfolio:tokens")


class RevokeApiTokensOnPasswordChange:
    """In AUTH_PASSWORD_VALIDATORS for its hook, not as a rule: a changed password revokes the API tokens.

    Django calls ``password_changed`` whenever a user is saved with a new password, whichever way it
    was set (the password page, the admin, a reset, ``changepassword``), so a token made by someone
    who knew the old password stops working with it. A rehash on login is not a change.
    """

    def validate(self, password, user=None):
        pass

    def password_changed(self, password, user=None):
        if user is not None and user.pk:
            api_tokens_revoke_all(user=user)

    def get_help_text(self):
        return _("Salasanan vaihto perii API-tunnuksesi: tee skripteillesi uudet.")
