"""How an SMS reaches a phone: a pluggable backend chosen by the SMS_BACKEND setting.

A backend is a class with one method, `send(message)`, that delivers one `SmsMessage` or raises
`SmsError` (anything else it raises counts as a failure too). The notice service retries a failed
message with backoff and never sends one twice, so a backend needs no queue or retry of its own; it
must only not report success for a message the gateway refused. Built in: "console", "file" and
"http"; any other value is the dotted path of a class (see README.md, "SMS backends").
"""

import json
import logging
import os
import sys
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsError(Exception):
    """The message was not delivered; the text says why (kept on the message's row)."""


@dataclass(frozen=True)
class SmsMessage:
    to: str  # a mobile number, digits only (petitions.identifiers.normalise_phone)
    text: str
    reference: str  # unique per message: a gateway may use it to drop a repeated request


class SmsBackend:
    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class ConsoleBackend(SmsBackend):
    """Writes each message to standard output (development)."""

    def send(self, message: SmsMessage) -> None:
        sys.stdout.write(f"SMS to {message.to} [{message.reference}]: {message.text}\n")
        sys.stdout.flush()


class FileBackend(SmsBackend):
    """Appends each message as one JSON object on one line to `sms.jsonl` in SMS_FILE_PATH."""

    FILE_NAME = "sms.jsonl"

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder or settings.SMS_FILE_PATH)

    def send(self, message: SmsMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps({**asdict(message), "at": timezone.now().isoformat()}, ensure_ascii=False) + "\n"
        # One write in append mode: lines of several processes never interleave.
        descriptor = os.open(self.folder / self.FILE_NAME, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(descriptor, line.encode())
        finally:
            os.close(descriptor)


class HttpGatewayBackend(SmsBackend):
    """POSTs `{"to", "text", "reference"}` as JSON to SMS_GATEWAY_URL with `Authorization: Bearer
    SMS_GATEWAY_KEY`; any answer but 2xx, or none within SMS_GATEWAY_TIMEOUT seconds, is a failure."""

    def __init__(self, url: str | None = None, key: str | None = None, timeout: float | None = None) -> None:
        self.url = url or settings.SMS_GATEWAY_URL
        self.key = key if key is not None else settings.SMS_GATEWAY_KEY
        self.timeout = timeout or settings.SMS_GATEWAY_TIMEOUT
        if not self.url.startswith(("http://", "https://")):
            raise SmsError("SMS_GATEWAY_URL is not an http(s) URL")

    def send(self, message: SmsMessage) -> None:
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__
            self.url,
            data=json.dumps(asdict(message), ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.key}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - see above
                status = response.status
        except urllib.error.HTTPError as error:
            raise SmsError(f"the gateway answered {error.code}") from error
        except (OSError, ValueError) as error:  # refused, timed out, unreadable answer
            raise SmsError(f"the gateway did not answer: {type(error).__name__}: {error}") from error
        if not 200 <= status < 300:
            raise SmsError(f"the gateway answered {status}")


BUILT_IN = {"console": ConsoleBackend, "file": FileBackend, "http": HttpGatewayBackend}


def sms_backend() -> SmsBackend:
    """The backend SMS_BACKEND names, made afresh (settings may change between calls in tests)."""
    name = settings.SMS_BACKEND
    backend_class = BUILT_IN.get(name) or import_string(name)
    return backend_class()
