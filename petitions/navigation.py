"""The header navigation: each app registers its entries in AppConfig.ready(); a user sees an
entry only when its `visible` test passes, so the navigation shows what the role may do."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    visible: Callable[..., bool]
    order: int = 100

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_registry: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _registry[item.key] = item


def items_for(user) -> list[NavItem]:
    return sorted((item for item in _registry.values() if item.visible(user)), key=lambda item: item.order)
