"""Path converters: a URL part that no record could be named by never reaches a view or the database.

Case numbers (XF2026-000123) and supervision notice numbers (DB2026-000001) are letters, digits and
hyphens, at most 20 characters (their columns). With `<str:…>`, a NUL byte in the URL reached
PostgreSQL, which refuses NUL in text: an exception and a 500 instead of the 404 it is.
"""

from django.urls import register_converter


class RecordNumberConverter:
    regex = "[0-9A-Za-z-]{1,20}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# Registered when this module is first imported: every urls module that uses <number:…> imports it.
register_converter(RecordNumberConverter, "number")
