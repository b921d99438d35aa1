"""The register's domain error: carries a message fit to show (translated lazily); nothing was changed."""


class ScreeningError(Exception):
    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


class StaleRecord(ScreeningError):
    """Someone else changed the record since the form was shown."""
