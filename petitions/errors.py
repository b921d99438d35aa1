"""Domain errors. Each carries a message already fit to show the user (translated lazily)."""


class CaseActionError(Exception):
    """An action on a case was refused; nothing was changed."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class StaleCase(CaseActionError):
    """Someone else changed the case since the form was shown."""


class ActionNotAllowed(CaseActionError):
    """The state, the role or the department does not allow this action now."""
