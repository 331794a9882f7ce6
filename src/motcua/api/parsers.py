"""DRF's parsers, refusing text that holds a NUL character (``core.middleware``).

The API parses its bodies itself, after the middleware has let the request in: a JSON string
may write NUL as ``\\u0000``, a form field may carry it. Either is refused with 400 before a
view sees the data, so it can never reach a query (PostgreSQL cannot hold NUL in text). File
contents are bytes and not concerned; Django drops unprintable characters from file names.
"""

from rest_framework import parsers

from motcua.api.errors import InvalidCharacter
from motcua.core.middleware import holds_nul


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if holds_nul(data):
            raise InvalidCharacter()
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if holds_nul(list(data.lists())):
            raise InvalidCharacter()
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        if holds_nul(list(parsed.data.lists())):
            raise InvalidCharacter()
        return parsed
