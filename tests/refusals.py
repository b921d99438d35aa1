"""Asserting that a service refuses, by the English text of its refusal."""

from collections.abc import Callable

import pytest
from django.utils import translation

from petitions.errors import ActionNotAllowed


def refused_with(call: Callable[[], object], match: str) -> None:
    """`call()` raises ActionNotAllowed whose message contains `match` — read in English while the lazy
    text is still inside the override (the portal's own language is Chinese)."""
    with translation.override("en"):
        with pytest.raises(ActionNotAllowed) as error:
            call()
        assert match in str(error.value.message), error.value.message
