"""The public site's request-size limit, checked before anything reads the body."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PublicRequestSizeLimit:
    """A POST to the public site larger than PUBLIC_MAX_REQUEST_BYTES is answered 413 unread.

    The check runs in the middleware chain's way in, before any view hook (the CSRF check reads the
    form) parses the body; Django's own DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path.startswith("/public/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.PUBLIC_MAX_REQUEST_BYTES:
                from public.views import too_large

                return too_large(request)
        return self.get_response(request)
