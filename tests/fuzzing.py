"""A seeded generator of hostile requests: the forms a page draws, filled with what no form should get.

`page_forms(html)` reads every form a page draws (its action, method and fields with their default
values), so that the fuzzer posts the real field names of every form and a new form is covered
without being listed. `Fuzzer` makes values, query strings and bodies from one `random.Random`, so
that a failure is reproduced by running again with the same seed; `FuzzRequest.describe()` says
exactly what was sent.
"""

import random
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, quote_from_bytes

# --- The forms of a page -------------------------------------------------------------------------


@dataclass
class FormField:
    name: str
    kind: str  # input type, "select", "textarea"
    value: str = ""  # what the page filled in or selected
    options: list[str] = field(default_factory=list)  # a select's values, or the values of radios/checkboxes
    checked: bool = False


@dataclass
class PageForm:
    action: str  # as written in the page; "" is the page itself
    method: str  # "get" or "post"
    fields: dict[str, FormField] = field(default_factory=dict)
    multipart: bool = False

    def add(self, name: str, kind: str, value: str = "", checked: bool = False) -> FormField:
        known = self.fields.get(name)
        if known is None:
            known = self.fields[name] = FormField(name, kind, value, checked=checked)
        if kind in ("radio", "checkbox"):
            known.options.append(value)
            if checked:
                known.value, known.checked = value, True
        return known


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self.by_id: dict[str, PageForm] = {}
        self.current: PageForm | None = None
        self.orphans: list[tuple[str, dict]] = []  # controls with form="id", placed outside that form
        self.select: FormField | None = None
        self.textarea: FormField | None = None
        self.link_parameters: set[str] = set()  # names in the query strings of the page's links

    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {key: value or "" for key, value in attrs_list}
        if tag == "form":
            self.current = PageForm(
                action=attrs.get("action", ""),
                method=(attrs.get("method") or "get").lower(),
                multipart="multipart" in attrs.get("enctype", ""),
            )
            self.forms.append(self.current)
            if attrs.get("id"):
                self.by_id[attrs["id"]] = self.current
            return
        if tag == "a" and "?" in attrs.get("href", ""):
            query = attrs["href"].split("?", 1)[1].split("#", 1)[0]
            self.link_parameters.update(name for name, _value in parse_qsl(query, keep_blank_values=True))
            return
        if tag not in ("input", "select", "textarea", "option", "button") or (tag == "option" and not self.select):
            return
        if tag == "option":
            value = attrs.get("value", "")
            self.select.options.append(value)
            if "selected" in attrs or not self.select.value:
                self.select.value = value
            return
        name = attrs.get("name")
        if not name:
            return
        if attrs.get("form") and attrs["form"] not in self.by_id:
            self.orphans.append((tag, attrs))
            return
        self._control(tag, attrs, self.by_id[attrs["form"]] if attrs.get("form") else self.current)

    def _control(self, tag: str, attrs: dict, form: PageForm | None) -> None:
        if form is None:
            return
        name = attrs["name"]
        if tag == "select":
            self.select = form.add(name, "select")
            self.select.options.clear()
        elif tag == "textarea":
            self.textarea = form.add(name, "textarea")
        elif tag == "button":
            form.add(name, "submit", attrs.get("value", ""))
        else:
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                form.multipart = True
            form.add(name, kind, attrs.get("value", ""), checked="checked" in attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def close(self) -> None:
        super().close()
        for tag, attrs in self.orphans:
            self._control(tag, attrs, self.by_id.get(attrs["form"]))


def page_forms(html: str) -> tuple[list[PageForm], set[str]]:
    """The page's forms, and the parameter names its links carry (filters, sorting, pages)."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms, parser.link_parameters


# --- Values -------------------------------------------------------------------------------------

SURROGATE = b"\xed\xa0\x80"  # U+D800 written as UTF-8 would write it: no valid UTF-8 holds it
ODD_DATES = [
    "0001-01-01",
    "0001-01-01T00:00",
    "1900-01-01",
    "1900-02-29",
    "1970-01-01T00:00",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-00-00",
    "9999-12-31",
    "9999-12-31T23:59",
    "10000-01-01",
    "2026-06-01T25:61",
    "2026-06-01T10:00+99:00",
    "-2026-06-01",
    "1/1/1",
    "2026-06-01 10:00:00.9999999999",
    "２０２６-０６-０１",
]
ODD_NUMBERS = [
    "-1",
    "0",
    "-0",
    "1.5",
    "32768",
    "65536",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "99999999999999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "0x10",
    "١٢٣",
    "1_000",
]
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\t\r\n",
    "'; DROP TABLE petitions_case; --",
    "<script>alert(1)</script>",
    "{{ 7*7 }}{% debug %}",
    "%s%d%(x)s",
    '=HYPERLINK("http://x")',
    "../../etc/passwd",
    "XF2026-000001",
    "xf2026-\x00",
    "𠀀𝕏😀",
    "\u202e\u200b\ufeff",
    "王",
    "信访" * 5,
    "null",
    "true",
    "[]",
    "__all__",
    "/cases/",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "_",
]


class Fuzzer:
    """Every choice comes from one seeded generator: the same seed sends the same requests."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def text(self) -> str:
        rng = self.rng
        alphabet = rng.choice(
            [
                "abcdefghijklmnopqrstuvwxyz0123456789-_",
                "信访事项办理部门登记受理答复复查督办王李张",
                "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
                "\x00\x01\x07\x1b\x7f\u0085\u2028",
            ]
        )
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))

    def value(self, like: str = "") -> bytes:
        """One hostile value, as the bytes a client would send (not always valid UTF-8)."""
        rng = self.rng
        pick = rng.choices(
            ["date", "number", "text", "huge", "surrogate", "encoding", "bytes", "nul", "around", "random"],
            weights=[14, 14, 16, 5, 6, 6, 5, 8, 8, 18],
        )[0]
        if pick == "date":
            return rng.choice(ODD_DATES).encode()
        if pick == "number":
            return rng.choice(ODD_NUMBERS).encode()
        if pick == "text":
            return rng.choice(ODD_TEXT).encode()
        if pick == "huge":
            return (rng.choice(["A", "信", "\x00", "9"]) * rng.choice([1_001, 20_001, 120_000])).encode()
        if pick == "surrogate":
            return like.encode() + SURROGATE
        if pick == "encoding":  # latin-1 or GBK bytes where UTF-8 is expected
            return rng.choice(["é", "ÿþ", "信访"]).encode(rng.choice(["latin-1", "gbk"]), "replace")
        if pick == "bytes":
            return bytes(rng.randrange(256) for _ in range(rng.randint(1, 30)))
        if pick == "nul":
            return like.encode() + b"\x00"
        if pick == "around":  # the right value with something around it
            return f" {like} ".encode() if rng.random() < 0.5 else (like * 3).encode()
        return self.text().encode()

    def mutated(self, form: PageForm, extra_names: list[str]) -> list[tuple[bytes, bytes]]:
        """The form as the page filled it, with some fields hostile, some missing, some repeated, some added."""
        rng = self.rng
        pairs: list[tuple[bytes, bytes]] = []
        for name, control in form.fields.items():
            if control.kind == "file":
                continue
            if control.kind in ("checkbox", "radio") and not control.checked and rng.random() < 0.5:
                if control.options:
                    pairs.append((name.encode(), rng.choice(control.options).encode()))
                continue
            if rng.random() < 0.08:
                continue  # missing
            value = control.value
            if control.options and rng.random() < 0.3:
                value = rng.choice(control.options)
            encoded = value.encode()
            if rng.random() < 0.35:
                encoded = self.value(value)
            pairs.append((name.encode(), encoded))
            if rng.random() < 0.06:  # a list where one value is expected
                pairs.append((name.encode(), self.value(value)))
        for _ in range(rng.choice([0, 0, 0, 1, 3])):
            name = rng.choice(extra_names) if extra_names and rng.random() < 0.7 else self.text()
            pairs.append((name.encode(), self.value()))
        if rng.random() < 0.02:
            pairs.extend((self.text().encode(), b"1") for _ in range(2100))  # more fields than Django reads
        return pairs


# --- Requests -----------------------------------------------------------------------------------


def urlencoded(pairs: list[tuple[bytes, bytes]]) -> bytes:
    return b"&".join(f"{quote_from_bytes(k, safe='')}={quote_from_bytes(v, safe='')}".encode() for k, v in pairs)


def multipart(pairs: list[tuple[bytes, bytes]], files: list[tuple[bytes, bytes, bytes]], boundary: bytes) -> bytes:
    """A multipart body written by hand: names and values go in as the bytes they are, whatever they hold."""
    parts = [b'Content-Disposition: form-data; name="%s"\r\n\r\n%s' % (name, value) for name, value in pairs]
    parts += [
        b'Content-Disposition: form-data; name="%s"; filename="%s"\r\nContent-Type: application/octet-stream\r\n\r\n%s'
        % (name, filename, content)
        for name, filename, content in files
    ]
    return b"".join(b"--%s\r\n%s\r\n" % (boundary, part) for part in parts) + b"--%s--\r\n" % boundary


CONTENT_TYPES = [
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=utf-8",
    "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=gbk",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=ascii",
    "application/x-www-form-urlencoded; charset=no-such-charset",
    "text/plain; charset=ascii",
    "application/json",
]


@dataclass
class FuzzRequest:
    role: str
    method: str
    path: str  # percent-encoded, as on the wire
    query: str = ""  # percent-encoded
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    def send(self, client):
        extra = {"QUERY_STRING": self.query, **self.headers}
        if self.method == "GET":
            return client.generic("GET", self.path, **extra)
        return client.generic(self.method, self.path, data=self.body, content_type=self.content_type, **extra)

    def describe(self) -> str:
        body = self.body if len(self.body) <= 600 else self.body[:600] + b"...(%d bytes)" % len(self.body)
        query = self.query if len(self.query) <= 600 else f"{self.query[:600]}...({len(self.query)} chars)"
        return (
            f"as {self.role}: {self.method} {self.path}{'?' + query if query else ''}\n"
            f"  Content-Type: {self.content_type or '-'}  headers: {self.headers or '-'}\n  body: {body!r}"
        )
