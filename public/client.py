"""Who is asking: the address the public site's limits count against."""

from django.http import HttpRequest

from petitions.web.views.accounts import client_address


def address(group: str, request: HttpRequest) -> str:
    """django-ratelimit key (`key="public.client.address"`): the client's address as the login throttle
    sees it — REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry the outermost proxy wrote."""
    return client_address(request)
