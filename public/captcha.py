"""The optional CAPTCHA (PUBLIC_CAPTCHA): a sum of two numbers drawn as an SVG picture by us, its
answer kept in the visitor's session. No third party: offices' intranets are often offline.

It stops form-filling robots that do not read pictures; it is no match for a determined attacker,
which is what the per-address limits are for.
"""

import secrets

from django.contrib.sessions.backends.base import SessionBase
from django.utils.html import escape

SESSION_KEY = "public.captcha"


def captcha_new(session: SessionBase) -> None:
    """A fresh challenge for the next picture and the next answer."""
    session[SESSION_KEY] = [secrets.randbelow(40) + 10, secrets.randbelow(9) + 1]


def captcha_solved(session: SessionBase, answer: str) -> bool:
    """Whether `answer` is the sum of the session's challenge; a challenge is answered once."""
    numbers = session.pop(SESSION_KEY, None)
    if not isinstance(numbers, list) or len(numbers) != 2:
        return False
    return answer.strip() == str(sum(numbers))


def captcha_svg(session: SessionBase) -> str:
    """The session's challenge as a picture: each character a little turned and shifted, over lines."""
    numbers = session.get(SESSION_KEY)
    if not isinstance(numbers, list) or len(numbers) != 2:
        captcha_new(session)
        numbers = session[SESSION_KEY]
    text = f"{numbers[0]} + {numbers[1]} = ?"
    parts = []
    for index, char in enumerate(text):
        x = 14 + index * 17
        y = 34 + secrets.randbelow(9) - 4
        angle = secrets.randbelow(41) - 20
        parts.append(
            f'<text x="{x}" y="{y}" transform="rotate({angle} {x} {y})" font-size="26" '
            f'font-family="monospace" fill="#1f2933">{escape(char)}</text>'
        )
    for _ in range(5):
        x1, y1, x2, y2 = (secrets.randbelow(220), secrets.randbelow(50), secrets.randbelow(220), secrets.randbelow(50))
        parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#9aa5b1" stroke-width="1.5"/>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="220" height="50" viewBox="0 0 220 50" role="img">'
        '<rect width="220" height="50" fill="#f5f6f8"/>' + "".join(parts) + "</svg>"
    )
