"""Accounts as a county runs them: invitations, roles, deactivation, sessions, and the log of use.

Every sign-in (and failed one), sign-out, report or export opened or downloaded, read of persons'
contact details and change of an account is one ``UsageEvent`` (TiHL §17), kept USAGE_LOG_DAYS days.
"""

import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from popsote.middleware import client_ip
from popsote.people import person_name
from popsote.text import printable

from .models import Person, UsageEvent, UserSession
from .permissions import Role, roles
from .services import api_tokens_revoke_all

SEEN = "salkku_seen"  # when the session was last used (seconds since the epoch)


def usage_record(*, kind, request=None, user=None, target=""):
    """One event in the log of use: who (the request's user unless given), what, from where, when."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return UsageEvent.objects.create(
        kind=kind,
        user=user,
        target=printable(str(target))[:300],
        path=printable(request.path)[:300] if request is not None else "",
        address=client_ip(request) if request is not None else None,
    )


def usage_log_expire(*, now=None):
    """Removes the events older than the retention (USAGE_LOG_DAYS); the count removed."""
    before = (now or timezone.now()) - timedelta(days=settings.USAGE_LOG_DAYS)
    return UsageEvent.objects.expire(before)


def _describe_roles(names):
    return ", ".join(str(Role(name).label) for name in sorted(names)) or "–"


@transaction.atomic
def user_roles_set(*, user, names, by=None, request=None, only=None):
    """Gives ``user`` exactly the roles ``names`` (of those in ``only``, when given: the others are left as they
    are); a change is logged with who made it."""
    only = set(Role.values) if only is None else set(only) & set(Role.values)
    before = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
    after = (before - only) | (set(names) & only)
    if after == before:
        return False
    user.groups.remove(*Group.objects.filter(name__in=before - after))
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in after - before))
    user.__dict__.pop("_salkku_roles", None)
    target = _("{user}: roolit {before} → {after}").format(
        user=person_name(user), before=_describe_roles(before), after=_describe_roles(after)
    )
    usage_record(kind=UsageEvent.Kind.ACCOUNT, request=request, user=by, target=target)
    return True


@transaction.atomic
def user_person_link(*, user, person, by=None, request=None):
    """Links the account to its person (one account per person); the person's history records the change."""
    current = Person.objects.filter(user=user).first()
    if current == person:
        return False
    if current is not None:
        current.user = None
        current._history_user = by
        current.save(update_fields=["user"])
    if person is not None:
        person.user = user
        person._history_user = by
        person.save(update_fields=["user"])
    user.__dict__.pop("_salkku_led", None)
    target = _("{user}: henkilö {before} → {after}").format(
        user=user.get_username(), before=current or "–", after=person or "–"
    )
    usage_record(kind=UsageEvent.Kind.ACCOUNT, request=request, user=by, target=target)
    return True


def user_link_by_email(*, user, by=None, request=None):
    """The first sign-in of a known e-mail: the account is linked to the one person with that address."""
    if not user.email or Person.objects.filter(user=user).exists():
        return False
    persons = list(Person.objects.filter(email__iexact=user.email, user__isnull=True, archived_at__isnull=True)[:2])
    return len(persons) == 1 and user_person_link(user=user, person=persons[0], by=by, request=request)


def sessions_end(*, user):
    """Ends every session of ``user`` at once (their next request is signed out); the count ended."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def user_sign_out_everywhere(*, user, by=None, request=None):
    count = sessions_end(user=user)
    target = _("{user}: kirjattu ulos kaikkialta ({count} istuntoa)").format(user=person_name(user), count=count)
    usage_record(kind=UsageEvent.Kind.ACCOUNT, request=request, user=by, target=target)
    return count


@transaction.atomic
def user_active_set(*, user, active, by=None, request=None):
    """Deactivates (or reactivates) an account: a deactivated one's sessions and API tokens end at once."""
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        sessions_end(user=user)
        api_tokens_revoke_all(user=user)
    text = _("{user}: otettu käyttöön") if active else _("{user}: poistettu käytöstä")
    usage_record(kind=UsageEvent.Kind.ACCOUNT, request=request, user=by, target=text.format(user=person_name(user)))
    return True


def password_set_link(user):
    """The address where ``user`` sets their password (Django's reset token: it works once, for a few days)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_set", kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def user_invite(*, email, first_name, last_name, roles, person=None, by=None, request=None):
    """Makes an account for ``email`` with the roles and the person given, and e-mails a link that sets its
    password (where the county's identity service is in use, signing in through it works too)."""
    user = get_user_model().objects.create_user(
        username=email.lower(), email=email.lower(), first_name=first_name, last_name=last_name
    )  # no password until the link sets one
    usage_record(
        kind=UsageEvent.Kind.ACCOUNT, request=request, user=by, target=_("{email}: kutsuttu").format(email=email)
    )
    user_roles_set(user=user, names=roles, by=by, request=request)
    if person is not None:
        user_person_link(user=user, person=person, by=by, request=request)
    body = _(
        "Sinulle on tehty tunnus Salkkuun ({site}).\n\n"
        "Käyttäjätunnuksesi on {username}. Aseta salasanasi tästä linkistä (se toimii kerran ja {days} päivää):\n"
        "{link}\n"
    ).format(
        site=settings.SITE_URL,
        username=user.username,
        link=password_set_link(user),
        days=settings.PASSWORD_RESET_TIMEOUT // 86400,
    )
    if settings.OIDC_ISSUER:
        body += _("\nVoit myös kirjautua organisaatiosi tunnuksella kirjautumissivulla.\n")
    transaction.on_commit(lambda: send_mail(_("Tunnus Salkkuun"), body, None, [user.email]))
    return user


# Sessions -----------------------------------------------------------------------------------------


class Backend(ModelBackend):
    """Django's model backend, for signing in with a password.

    Who may do what is the rules table's alone (``portfolio.permissions``): permissions stored in the database
    answer nothing here, so a check the table says no to reads none of them (Django's backend read the account's
    and its groups' permissions on every page where a check said no)."""

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    get_user_permissions = get_group_permissions = get_all_permissions


def idle_limit(user):
    """Seconds a session may stay unused: shorter for those who may use the admin."""
    admin = user.is_staff or user.is_superuser or Role.OFFICE in roles(user)
    return 60 * (settings.SESSION_IDLE_ADMIN_MINUTES if admin else settings.SESSION_IDLE_MINUTES)


class SessionIdleMiddleware:
    """Ends a session unused for longer than its idle limit. Marking it used is a write, so it is done once in a
    tenth of the limit (48 minutes of 8 hours): a session ends between 90 % and 100 % of the limit after its last
    use, and pages run the same queries however often they are opened."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            seen, limit = request.session.get(SEEN), idle_limit(user)
            if seen is not None and now - seen > limit:
                logout(request)
                if not request.path.startswith("/api/"):
                    messages.info(
                        request, _("Istuntosi päättyi, koska et käyttänyt Salkkua hetkeen. Kirjaudu uudelleen.")
                    )
                    return redirect_to_login(request.get_full_path())
            elif seen is None or now - seen >= limit // 10:
                request.session[SEEN] = now
        return self.get_response(request)


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    request.session[SEEN] = int(time.time())
    if request.session.session_key:
        UserSession.objects.get_or_create(session_key=request.session.session_key, defaults={"user": user})
    how = _("tunnistuspalvelu") if "oidc" in getattr(user, "backend", "") else _("salasana")
    usage_record(kind=UsageEvent.Kind.SIGN_IN, request=request, user=user, target=how)


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is None or request is None:
        return
    if request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()
    usage_record(kind=UsageEvent.Kind.SIGN_OUT, request=request, user=user)


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first() if username else None
    usage_record(kind=UsageEvent.Kind.SIGN_IN_FAILED, request=request, user=user, target=username)
