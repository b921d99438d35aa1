"""The public site's own tables; each concern in a module of its own, imported here."""

from .submission import SubmissionToken
from .texts import PLACEHOLDER, PublicText, PublicTextKey
from .tracking import TrackingLock

__all__ = ["PLACEHOLDER", "PublicText", "PublicTextKey", "SubmissionToken", "TrackingLock"]
