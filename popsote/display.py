"""How people are named on the pages: a template builtin, ``{{ user|display_name }}``."""

from django import template

register = template.Library()


@register.filter
def display_name(user):
    """The name of the person linked to the account, else the account's full name, else its login name.

    Pages that list many users load them with ``select_related("…__person")``: the reverse one-to-one
    is then read without a query (and a missing person is cached as missing).
    """
    if user is None:
        return ""
    person = getattr(user, "person", None)  # a missing related object raises an AttributeError subclass
    if person is not None and person.name:
        return person.name
    return user.get_full_name() or user.get_username()
