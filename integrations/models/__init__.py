"""The integrations' tables; each concern in a module of its own, imported here."""

from .calls import ApiCall
from .intake import IntakeRequest
from .integration import Integration, Scope
from .token import IntegrationToken

__all__ = ["ApiCall", "IntakeRequest", "Integration", "IntegrationToken", "Scope"]
