import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class OfficeLanguageMiddleware:
    """The office's language (zh-hans) unless the user picked another with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language; in an office the portal
    speaks the office's language by default, whatever the workstation's browser was set to.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ServerTimingMiddleware:
    """With SERVER_TIMING on: a `Server-Timing` header on every response with the time the request
    took in Django, its SQL time and its number of queries (`app;dur=12.3, db;dur=4.1, queries;desc="7"`).

    Browsers' developer tools show it, and bench/ reads it to report server time and queries per
    page. Off by default; it adds a few microseconds per query when on.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.db import connection

        queries = [0, 0.0]

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries[0] += 1
                queries[1] += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        total = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = (
            f'app;dur={total:.2f}, db;dur={queries[1] * 1000:.2f}, queries;desc="{queries[0]}"'
        )
        return response
