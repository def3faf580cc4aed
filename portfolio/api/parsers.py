"""The API's JSON parser: the pages' text rule (popsote.text) for every string a client sends."""

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from popsote.text import control_character, describe


def _control_characters(data, path, errors):
    if isinstance(data, str):
        if character := control_character(data):
            errors[path or "non_field_errors"] = [describe(character)]
    elif isinstance(data, dict):
        for key, value in data.items():
            _control_characters(key, path, errors)
            _control_characters(value, f"{path}.{key}" if path else str(key), errors)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _control_characters(value, f"{path}.{index}" if path else str(index), errors)


class CleanJSONParser(JSONParser):
    """JSON whose strings hold no control characters (tab and line breaks aside): a 400 naming the field."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        errors = {}
        _control_characters(data, "", errors)
        if errors:
            raise exceptions.ValidationError(errors)
        return data
