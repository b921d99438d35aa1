"""Links on the case page's head that other apps provide (e.g. reports' printable documents).

An app registers a provider in its AppConfig.ready(); the case page asks every provider for the
links that `user` may follow on `case`. petitions imports none of those apps.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class CaseLink:
    label: str | Promise
    url: str


_providers: dict[str, Callable[..., list[CaseLink]]] = {}


def register(key: str, provider: Callable[..., list[CaseLink]]) -> None:
    """`provider(case, user)` returns the links to show; registering a key again replaces it."""
    _providers[key] = provider


def links_for(case, user) -> list[CaseLink]:
    return [link for key in sorted(_providers) for link in _providers[key](case, user)]
