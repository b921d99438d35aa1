"""Walk the URL conf, so that checks over "every page" cover a page added later without being told."""

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, reverse


def all_url_names(resolver=None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def url_parameters(pattern: URLPattern) -> dict[str, str]:
    """The pattern's parameters and their converters' names ("int", "str", ...)."""
    return {
        key: type(converter).__name__.removesuffix("Converter").lower()
        for key, converter in pattern.pattern.converters.items()
    }


def concrete_path(name: str, pattern: URLPattern) -> str | None:
    kwargs = {key: 1 if kind == "int" else "X" for key, kind in url_parameters(pattern).items()}
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:
        return None
