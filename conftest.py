"""Root conftest: settings that must hold before Django starts."""

import os

# Browser tests run the live server in a thread of this process; Django refuses sync DB calls from
# an async context unless told. Playwright's sync API runs an event loop in this thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
