"""What the public pages read: the office's texts with the day counts in force, and the published
reception days. Nothing here reads a petitioner or a case."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from petitions.clocks.deadlines import current_rules
from petitions.models import Category, ReceptionSession
from petitions.models.choices import STATUTORY_CLOCKS
from public.default_texts import DEFAULT_TEXTS
from public.models import PLACEHOLDER, PublicText

SCHEDULE_DAYS_AHEAD = 90  # how far ahead the published reception schedule reaches


@dataclass(frozen=True)
class Block:
    """A paragraph, or a list of items (consecutive lines starting with "- ")."""

    paragraph: str = ""
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Text:
    key: str
    title: str
    blocks: list[Block]


def day_counts() -> dict[str, int]:
    """The day count of every clock as the rules stand now: {accept_days: 15, ...}."""
    rules = current_rules()
    return {f"{clock}_days": rules[clock].days for clock in STATUTORY_CLOCKS}


def _blocks(body: str) -> list[Block]:
    blocks: list[Block] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- "):
            if blocks and blocks[-1].items:
                blocks[-1].items.append(line[2:].strip())
            else:
                blocks.append(Block(items=[line[2:].strip()]))
        else:
            blocks.append(Block(paragraph=line))
    return blocks


def public_texts(*keys: str) -> dict[str, Text]:
    """The texts named, in the current language, with {…_days} filled from the deadline rules; a text
    no administrator has (the row missing) reads as its default."""
    rows = {row.key: row for row in PublicText.objects.filter(key__in=keys)}
    counts = {name: str(days) for name, days in day_counts().items()}
    texts = {}
    for key in keys:
        row = rows.get(key)
        if row is None:
            title_zh, title_en, body_zh, body_en = DEFAULT_TEXTS[key]
            row = PublicText(key=key, title_zh=title_zh, title_en=title_en, body_zh=body_zh, body_en=body_en)
        body = PLACEHOLDER.sub(lambda match: counts[match.group(1)], row.body)
        texts[key] = Text(key=key, title=row.title, blocks=_blocks(body))
    return texts


@dataclass(frozen=True)
class PublishedSession:
    """A reception day as the office publishes it: no staff-internal data (no account, no creator)."""

    date: date
    place: str
    leader: str
    topic: str


def published_sessions(*, today: date | None = None) -> list[PublishedSession]:
    """Leader reception days from today to SCHEDULE_DAYS_AHEAD days ahead, soonest first."""
    today = today or timezone.localdate()
    rows = (
        ReceptionSession.objects.filter(date__gte=today, date__lte=today + timedelta(days=SCHEDULE_DAYS_AHEAD))
        .order_by("date", "place", "pk")
        .values_list("date", "place", "topic", "leader__full_name")
    )
    return [
        PublishedSession(date=day, place=place, leader=leader or "", topic=topic) for day, place, topic, leader in rows
    ]


def grouped_categories() -> list[tuple[str, list[tuple[int, str]]]]:
    """Active categories grouped under their top category, for a select with option groups: a top
    category without sub-categories is the one choice of its group."""
    rows = list(Category.objects.filter(is_active=True).order_by("code").values_list("pk", "name", "parent_id"))
    parents = {pk: parent for pk, _name, parent in rows}

    def top_of(pk: int) -> int | None:
        seen = set()
        while parents.get(pk) is not None and pk not in seen:
            seen.add(pk)
            pk = parents[pk]
        return pk if pk in parents else None  # None: under an inactive category

    tops = [(pk, name) for pk, name, parent in rows if parent is None]
    members: dict[int, list[tuple[int, str]]] = {}
    for pk, name, parent in rows:
        top = top_of(pk)
        if parent is not None and top is not None:
            members.setdefault(top, []).append((pk, name))
    return [(name, members.get(pk) or [(pk, name)]) for pk, name in tops]
