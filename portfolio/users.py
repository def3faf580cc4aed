"""The project office's pages for accounts (invite, roles, person, deactivate, sign out everywhere, the
yearly review list) and the log of use, which the office and the auditor read and no one edits."""

import hashlib
from datetime import datetime, time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from popsote.middleware import role_not_required
from popsote.text import CleanText
from popsote.workbooks import safe_text, workbook_bytes

from .accounts import (
    usage_record,
    user_active_set,
    user_invite,
    user_person_link,
    user_roles_set,
    user_sign_out_everywhere,
)
from .models import Person, UsageEvent
from .permissions import Role
from .views import ChangeLogFilter

User = get_user_model()
TEXT = {"class": "form-control"}
ROLE_CHOICES = [(role.value, role.label) for role in Role]


def _require(request, perm):
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _users():
    from django.contrib.auth.models import Group

    return User.objects.select_related("person").prefetch_related(
        Prefetch("groups", Group.objects.filter(name__in=Role.values), to_attr="role_groups")
    )


def _role_names(user):
    return [str(Role(group.name).label) for group in sorted(user.role_groups, key=lambda group: group.name)]


class PersonChoice(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            Person.objects.filter(archived_at__isnull=True),
            required=False,
            label=gettext_lazy("Henkilö"),
            empty_label=gettext_lazy("– ei henkilöä –"),
            help_text=gettext_lazy("Vetäjä näkee osahankkeensa henkilönsä vastuiden kautta."),
            widget=forms.Select(attrs={"class": "form-select"}),
            **kwargs,
        )


def _roles_field():
    return forms.MultipleChoiceField(
        label=gettext_lazy("Roolit"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple({"class": "form-check-input"}),
    )


class InviteForm(CleanText, forms.Form):
    email = forms.EmailField(label=gettext_lazy("Sähköposti"), max_length=150, widget=forms.EmailInput(TEXT))
    first_name = forms.CharField(label=gettext_lazy("Etunimi"), max_length=150, widget=forms.TextInput(TEXT))
    last_name = forms.CharField(label=gettext_lazy("Sukunimi"), max_length=150, widget=forms.TextInput(TEXT))
    roles = _roles_field()
    person = PersonChoice()

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username=email).exists():
            raise forms.ValidationError(_("Tällä sähköpostiosoitteella on jo tunnus."))
        return email

    def clean_person(self):
        person = self.cleaned_data["person"]
        if person is not None and person.user_id is not None:
            raise forms.ValidationError(_("Henkilöllä on jo tunnus: {user}.").format(user=person.user.get_username()))
        return person


def state_of(user):
    """What the account's form was made from; a save based on another state is refused (no lost updates)."""
    person = getattr(user, "person", None)
    text = f"{sorted(group.name for group in user.role_groups)}|{person.pk if person else ''}|{user.is_active}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


class AccountForm(CleanText, forms.Form):
    roles = _roles_field()
    person = PersonChoice()
    is_active = forms.BooleanField(
        label=gettext_lazy("Tunnus on käytössä"),
        required=False,
        widget=forms.CheckboxInput({"class": "form-check-input"}),
        help_text=gettext_lazy("Käytöstä poistetun tunnuksen istunnot ja API-tunnukset päättyvät heti."),
    )
    state = forms.CharField(widget=forms.HiddenInput, max_length=16)

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean_person(self):
        person = self.cleaned_data["person"]
        if person is not None and person.user_id not in (None, self.account.pk):
            raise forms.ValidationError(_("Henkilöllä on jo tunnus: {user}.").format(user=person.user.get_username()))
        return person


def user_list(request):
    """Who has which role: the yearly review list (the office and the auditor)."""
    _require(request, "portfolio.review_users")
    users = list(_users().order_by("-is_active", "username"))
    for user in users:
        user.role_names = _role_names(user)
    context = {
        "users": users,
        "may_manage": request.user.has_perm("portfolio.manage_users"),
        "may_read_log": request.user.has_perm("portfolio.read_usage_log"),
    }
    return render(request, "portfolio/user_list.html", context)


def user_review_xlsx(request):
    """The review list as a workbook: every account, its person, roles, state and last sign-in."""
    _require(request, "portfolio.review_users")
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Käyttäjät")
    today = timezone.localdate()
    sheet.append([safe_text(_("Käyttöoikeuksien katselmointi {date}").format(date=today.strftime("%-d.%-m.%Y")))])
    sheet["A1"].font = Font(bold=True, size=13)
    headers = [_("Tunnus"), _("Nimi"), _("Sähköposti"), _("Henkilö"), _("Roolit"), _("Käytössä")]
    sheet.append([*headers, _("Kirjautunut viimeksi"), _("Tunnus tehty")])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for user in _users().order_by("username"):
        person = getattr(user, "person", None)
        sheet.append(
            [
                safe_text(user.username),
                safe_text(user.get_full_name()),
                safe_text(user.email),
                safe_text(person.name if person else ""),
                safe_text(", ".join(_role_names(user))),
                _("kyllä") if user.is_active else _("ei"),
                timezone.localtime(user.last_login).replace(tzinfo=None) if user.last_login else None,
                timezone.localtime(user.date_joined).replace(tzinfo=None),
            ]
        )
    for row in sheet.iter_rows(min_row=3, min_col=7, max_col=8):
        for cell in row:
            cell.number_format = "d.m.yyyy h:mm"
    for column, width in zip("ABCDEFGH", (30, 26, 32, 26, 34, 10, 21, 18), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    # Printed, the review is one page wide.
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.auto_filter.ref = f"A2:H{sheet.max_row}"
    title = _("Salkun käyttäjät ja roolit {date}").format(date=today.isoformat())
    usage_record(kind=UsageEvent.Kind.REPORT, request=request, target=title)
    response = HttpResponse(
        workbook_bytes(workbook, title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="salkku-kayttajat-{today.isoformat()}.xlsx"'
    return response


def user_invite_view(request):
    _require(request, "portfolio.manage_users")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = user_invite(**form.cleaned_data, by=request.user, request=request)
        messages.success(request, _("Kutsu lähetettiin osoitteeseen {email}.").format(email=user.email))
        return redirect("portfolio:user", pk=user.pk)
    return render(request, "portfolio/user_invite.html", {"form": form}, status=400 if form.errors else 200)


def user_detail(request, pk):
    """One account: its roles, person and state (the office changes them)."""
    _require(request, "portfolio.review_users")
    account = get_object_or_404(_users(), pk=pk)
    may_manage = request.user.has_perm("portfolio.manage_users")
    person = getattr(account, "person", None)
    initial = {
        "roles": [group.name for group in account.role_groups],
        "person": person,
        "is_active": account.is_active,
        "state": state_of(account),
    }
    form = AccountForm(request.POST or None, initial=initial, account=account)
    status = 200
    if request.method == "POST":
        _require(request, "portfolio.manage_users")
        if form.is_valid() and form.cleaned_data["state"] != initial["state"]:
            # What the user chose stays in the form, now based on the account as it is.
            data = form.data.copy()
            data["state"] = initial["state"]
            form = AccountForm(data, initial=initial, account=account)
            form.is_valid()
            form.add_error(None, _("Joku muu muutti tunnusta sillä välin. Tarkista tiedot ja tallenna uudelleen."))
            status = 409
        elif form.is_valid():
            data = form.cleaned_data
            if account == request.user and (not data["is_active"] or Role.OFFICE not in data["roles"]):
                form.add_error(None, _("Et voi poistaa omaa hanketoimiston rooliasi etkä omaa tunnustasi."))
                status = 400
            else:
                user_roles_set(user=account, names=data["roles"], by=request.user, request=request)
                user_person_link(user=account, person=data["person"], by=request.user, request=request)
                user_active_set(user=account, active=data["is_active"], by=request.user, request=request)
                messages.success(request, _("Tunnuksen tiedot tallennettiin."))
                return redirect("portfolio:user", pk=account.pk)
        else:
            status = 400
    events = UsageEvent.objects.filter(user=account).select_related("user__person")[:20]
    context = {"account": account, "form": form, "may_manage": may_manage, "events": events}
    return render(request, "portfolio/user_detail.html", context, status=status)


@require_POST
def user_sign_out(request, pk):
    """Ends every session of the account (the office)."""
    _require(request, "portfolio.manage_users")
    account = get_object_or_404(User, pk=pk)
    count = user_sign_out_everywhere(user=account, by=request.user, request=request)
    messages.success(request, _("{count} istuntoa päätettiin.").format(count=count))
    if account == request.user:
        return redirect("login")
    return redirect("portfolio:user", pk=account.pk)


@role_not_required
@require_POST
def sign_out_everywhere(request):
    """The user's own: every session of theirs ends, this one too."""
    user_sign_out_everywhere(user=request.user, by=request.user, request=request)
    return redirect("login")


class UsageLogFilter(ChangeLogFilter):
    kind = forms.ChoiceField(
        label=gettext_lazy("Tapahtuma"),
        choices=[("", gettext_lazy("Kaikki")), *UsageEvent.Kind.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    field_order = ["kind", "user", "start", "end"]


def usage_filtered(params):
    """The log of use filtered as asked (``params``: a GET), and the form; the page and the API share it."""
    form = UsageLogFilter(params or None)
    events = UsageEvent.objects.select_related("user__person")
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            events = events.filter(kind=data["kind"])
        if data["user"]:
            events = events.filter(user=data["user"])
        if data["start"]:
            events = events.filter(at__gte=timezone.make_aware(datetime.combine(data["start"], time.min)))
        if data["end"]:
            events = events.filter(at__lte=timezone.make_aware(datetime.combine(data["end"], time.max)))
    return form, events


def usage_log(request):
    """The log of use, newest first, filtered by kind, person and date: read only, for the office and the auditor."""
    _require(request, "portfolio.read_usage_log")
    if request.method != "GET":
        return HttpResponse(_("Käyttölokia ei voi muuttaa."), status=405, headers={"Allow": "GET"})
    form, events = usage_filtered(request.GET)
    page = Paginator(events, 100).get_page(request.GET.get("sivu"))
    query = request.GET.copy()
    query.pop("sivu", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "retention_days": settings.USAGE_LOG_DAYS}
    return render(request, "portfolio/usage_log.html", context, status=400 if form.errors else 200)
