"""The public site's header links, in order: (URL name, label). Each public page adds itself here."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PUBLIC_NAV: list[tuple[str, object]] = [
    ("public:home", _("Home")),
    ("public:track", _("Track my petition")),
]
PUBLIC_NAV += [
    ("public:submit", _("Submit online")),
    ("public:channels", _("Channels")),
    ("public:schedule", _("Reception days")),
    ("public:scope", _("What we accept")),
    ("public:steps", _("Steps and deadlines")),
]


def public_nav(request) -> list[dict]:
    """Context for templates/public/base.html: the header links, the current one marked."""
    items = []
    for name, label in PUBLIC_NAV:
        url = reverse(name)
        items.append({"url": url, "label": label, "current": request.path == url})
    return items
