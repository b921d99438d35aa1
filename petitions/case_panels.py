"""Extra panels on the case page, contributed by other apps in their AppConfig.ready().

A panel is a template and a function giving its context for (case, user), or None to show nothing.
petitions renders them in order without knowing what they are (escalation adds its ladder here).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class CasePanel:
    key: str
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_registry: dict[str, CasePanel] = {}


def register(panel: CasePanel) -> None:
    _registry[panel.key] = panel


def render_panels(request: HttpRequest, case) -> list[SafeString]:
    rendered = []
    for panel in sorted(_registry.values(), key=lambda panel: panel.order):
        context = panel.context(case, request.user)
        if context is not None:
            rendered.append(render_to_string(panel.template, {"case": case, **context}, request=request))
    return rendered
