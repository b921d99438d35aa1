from django.http import HttpRequest

from information.returns.kept import current_special_periods


def special_periods(request: HttpRequest) -> dict:
    """The special periods in force today, for the banner staff see on every page (kept per process)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"special_periods": current_special_periods()}
