"""People's names for people: a lead, an approver or a requester is shown by name, never by login.

Registered as a template builtin, so every template has ``{{ user|person_name }}``.
"""

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()


@register.filter
def person_name(user):
    """The linked person's name, else the account's full name, else the login ("" for nobody).

    The person is read through ``user.person``; pages that show many users load it with
    ``select_related("…__person")`` or ``prefetch_related_objects``.
    """
    if user is None:
        return ""
    try:
        person = user.person
    except (AttributeError, ObjectDoesNotExist):
        person = None
    return (person.name if person is not None else "") or user.get_full_name() or user.get_username()
