"""The public site's own tables; each concern in a module of its own, imported here."""

from .tracking import TrackingLock

__all__ = ["TrackingLock"]
