import codecs
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import BadRequest
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


class SessionActivityMiddleware:
    """Keeps a signed-in session alive while it is used, and its permissions at hand.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every request; this renews
    the inactivity timeout (SESSION_COOKIE_AGE) on the first request after a minute instead, so a
    session ends between SESSION_IDLE_TIMEOUT − 60 s and SESSION_IDLE_TIMEOUT after the last use.

    At the same moment it notes the user's permissions and roles in the session, so that a request
    does not ask the database for them again (three queries); a change of someone's roles reaches
    their open sessions within that minute.
    """

    TOUCH_EVERY_SECONDS = 60

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user_id = session.get(SESSION_KEY) if session is not None else None
        if user_id is not None and request.user.is_authenticated:
            user = getattr(request.user, "_wrapped", request.user)
            now = int(time.time())
            if now - session.get("_seen", now) > settings.SESSION_COOKIE_AGE:
                # Idle too long. The session store ends it too, but a copy kept in the cache expires by
                # the cache's clock, not the office's: the session's own note of its last use decides.
                logout(request)
                return self.get_response(request)
            grants = session.get("_grants")
            if now - session.get("_seen", 0) >= self.TOUCH_EVERY_SECONDS or not grants or grants[0] != user_id:
                session["_seen"] = now
                session["_grants"] = [user_id, sorted(ModelBackend().get_all_permissions(user)), sorted(user.roles)]
            else:
                user._perm_cache = set(grants[1])
                user.__dict__["roles"] = frozenset(grants[2])
        return self.get_response(request)


class Utf8RequestMiddleware:
    """The portal speaks UTF-8 only: a request that declares another charset is refused (400), and so
    is a query string with a NUL character in it.

    Every page is UTF-8, so a browser sends its forms and links in UTF-8. Django decodes the query
    string and the form with the charset of the Content-Type header, even on a GET: `charset=ascii`
    turned every non-ASCII byte into U+FFFD, which cannot be written back in ASCII, and the first
    page that rebuilt its query string (the lists' paging links) failed. Django already refuses a
    urlencoded form in another charset; this refuses the rest the same way.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Django keeps only a charset it knows (an unknown one is ignored, and UTF-8 used).
        if request.encoding and codecs.lookup(request.encoding).name != "utf-8":
            raise BadRequest("The request declares a charset other than UTF-8.")
        # No text we store or look for holds a NUL, and PostgreSQL refuses one in a query: a filter
        # that passes the query string on unchecked (the admin's lists) would fail with a 500.
        query = request.META.get("QUERY_STRING", "")
        if "%00" in query or "\x00" in query:
            raise BadRequest("The query string holds a NUL character.")
        return self.get_response(request)
