"""Reception sessions (领导接待日): a leader's day of receiving visitors, planned ahead."""

import datetime
import logging

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from petitions import policies
from petitions.clocks.date_windows import reception_day_error
from petitions.models import ReceptionSession, User

logger = logging.getLogger(__name__)

DUPLICATE = _("This leader already has a reception session at that place on that day.")


def reception_session_plan(
    *, actor: User, leader: User, date: datetime.date, place: str, topic: str = ""
) -> ReceptionSession:
    """Plan a session of `leader` on `date` at `place`.

    Refused with a ValidationError (messages by field name) and nothing saved when the actor may not
    plan sessions, the leader is not an active leader, the day is outside the window of reception
    days, the place is empty or a text too long, or the leader already has a session at that place
    on that day.
    """
    if not policies.may_plan_reception_sessions(actor):
        raise ValidationError({NON_FIELD_ERRORS: [_("Your role does not allow planning reception sessions.")]})
    session = ReceptionSession(leader=leader, date=date, place=place.strip(), topic=topic.strip(), created_by=actor)
    errors: dict[str, list] = {}
    try:
        session.clean_fields()  # the model's own rules: a place is given, the texts fit their columns
    except ValidationError as error:
        errors = error.message_dict
    if not policies.is_leader(leader):
        errors.setdefault("leader", []).append(_("%(name)s is not a leader.") % {"name": leader})
    if day_error := reception_day_error(date):
        errors.setdefault("date", []).append(day_error)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            session.save(force_insert=True)
    except IntegrityError as error:
        # The duplicate is the database's to find (reception_session_unique): two planners saving
        # the same session at once then get one session and one refusal.
        raise ValidationError({NON_FIELD_ERRORS: [DUPLICATE]}) from error
    transaction.on_commit(
        lambda: logger.info(
            "Reception session %s planned by %s (user %s): leader %s (user %s), %s at %r.",
            session.pk,
            actor.username,
            actor.pk,
            leader.username,
            leader.pk,
            session.date.isoformat(),
            session.place,
        )
    )
    return session
