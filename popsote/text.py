"""Text as people may send it: no control characters, codes from a safe alphabet.

A vertical tab pasted from Word, a NUL, a lone surrogate from a JSON ``"\\ud800"``: none can be stored
in a workbook or an XML file, PostgreSQL refuses NUL, and a line break in a code breaks every
download named after it. They are refused at the boundary (forms, the API, imports) with a message
saying which character and where, rather than found later by a report that fails.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls but tab, newline and carriage return (a textarea sends CR LF); DEL and the C1 controls;
# surrogates; the non-characters U+FFFE and U+FFFF.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LINE_BREAK = re.compile("[\r\n]")


def control_character(value, *, multiline=True):
    """The first character of ``value`` that is not allowed in text, or None."""
    match = CONTROL.search(value) or (None if multiline else LINE_BREAK.search(value))
    return match.group() if match else None


def describe(character):
    return _("Tekstissä on näkymätön ohjausmerkki U+{code:04X}, esimerkiksi Wordista kopioituna. Poista se.").format(
        code=ord(character)
    )


def validate_text(value):
    """Text of many lines: tab and line breaks are allowed."""
    if isinstance(value, str) and (character := control_character(value)):
        raise ValidationError(describe(character), code="control_character")


def validate_line(value):
    """One line (a name, a title): not even a line break."""
    if isinstance(value, str) and (character := control_character(value, multiline=False)):
        raise ValidationError(describe(character), code="control_character")


# Codes name nodes in ledger extracts, file names and URLs: letters, digits and . _ - only.
CODE = re.compile(r"\A[0-9A-Za-zÅÄÖåäö][0-9A-Za-zÅÄÖåäö._-]*\Z")


def validate_code(value):
    if not CODE.match(value):
        raise ValidationError(
            _("Tunnuksessa saa olla vain kirjaimia, numeroita ja merkit . _ - (esim. P4I1-3-M1)."), code="code"
        )


class CleanText:
    """A form mixin: every text field refuses control characters (a textarea keeps its line breaks)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(validate_text if isinstance(field.widget, forms.Textarea) else validate_line)


def printable(text):
    """``text`` without the characters a workbook or an XML document cannot hold (data stored before the rule)."""
    return CONTROL.sub("", text)


class CleanTextForm(CleanText, forms.Form):
    """The form of a FilterSet (``Meta.form``) and of plain forms."""
