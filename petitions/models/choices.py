"""The fixed vocabularies of petitions: states, channels, purposes, legal types, clocks, roles.

Plain enumerations and constants, importable by every layer (models, clocks, policies, services)
without importing a model: this module imports nothing of petitions.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_REPRESENTATIVES = 5  # T22 20: a collective visit sends at most five representatives.
COLLECTIVE_HEADCOUNT = 5  # five or more people make a collective visit (集体访).


class Channel(models.TextChoices):
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone")
    ONLINE = "online", _("Online")
    LEADER_MAILBOX = "mailbox", _("Leader mailbox")
    OTHER = "other", _("Other")


class Purpose(models.TextChoices):
    REQUEST = "request", _("Request for a solution")
    APPEAL = "appeal", _("Appeal")
    DISCLOSURE = "disclosure", _("Disclosure or accusation")
    SUGGESTION = "suggestion", _("Opinion or suggestion")
    OTHER = "other", _("Other")


class LegalType(models.TextChoices):
    SUGGESTION = "suggestion", _("Suggestion or opinion (T22 art. 29)")
    ACCUSATION = "accusation", _("Report or accusation (T22 art. 30)")
    CLAIM = "claim", _("Claim or appeal (T22 art. 31)")
    LITIGATION = "litigation", _("Involving litigation (T22 art. 22)")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    # 待审核: the department's outcome waits for the office to accept it or send it back (审核报结).
    REVIEWING = "reviewing", _("Awaiting the office's review")
    HANDLED = "handled", _("Handled")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (State.RECEIVED, State.ASSIGNED, State.REVIEWING, State.HANDLED)


class Closure(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    VOID = "void", _("Void (registered by mistake)")
    # 并案: a duplicate closed into its main case (petitions.models.joint.CaseMerge points to it).
    MERGED = "merged", _("Merged into another case")


class Outcome(models.TextChoices):
    SUPPORTED = "supported", _("Supported")
    EXPLAINED = "explained", _("Explained")
    NOT_SUPPORTED = "not_supported", _("Not supported")
    MEDIATED = "mediated", _("Mediated or settled")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY = "fairly", _("Fairly satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class Solved(models.TextChoices):
    """Whether the petitioner says the problem was solved, asked at a callback (回访)."""

    SOLVED = "solved", _("Solved")
    PARTLY = "partly", _("Partly solved")
    UNSOLVED = "unsolved", _("Not solved")


MAX_EXTENSION_DAYS = 30  # T22 34: the statutory ceiling; the extension rule may only be stricter.


class Clock(models.TextChoices):
    ACCEPT = "accept", _("Register, route and decide acceptance")  # T22 22, 23
    OBJECTION = "objection", _("Department may object that the case is not theirs")  # T22 23
    HANDLING = "handling", _("Handle to completion")  # T22 34
    EXTENSION = "extension", _("Extension of handling")  # T22 34
    REVIEW_REQUEST = "review_request", _("Petitioner may request a review")  # T22 35
    REVIEW_ANSWER = "review_answer", _("Answer a review request")  # T22 35
    # Not a statutory clock: the date a higher authority set when it handed the case down (交办件).
    HANDED_DOWN = "handed_down", _("Report back to the higher authority")
    # The office's own clocks (审核报结, 回访), rule data like the statutory ones.
    REWORK = "rework", _("Further work after the office sent the outcome back")
    REHANDLING = "rehandling", _("Handle again after a dissatisfied callback")
    CALLBACK = "callback", _("Call the petitioner back after delivery")
    # Not a statutory clock: a co-department's part (协办) of a joint case, due inside the handling clock.
    PART = "part", _("Co-department's part")


# The clocks with a DeadlineRule (the regulation's and the office's own); the handed-down deadline is
# the authority's, a co-department's part is the office's (inside the handling clock).
STATUTORY_CLOCKS = [clock.value for clock in Clock if clock not in (Clock.HANDED_DOWN, Clock.PART)]


# The case field each clock's deadline is kept in (the review answer reuses handling_due).
DUE_FIELDS = {
    Clock.ACCEPT: "accept_due",
    Clock.OBJECTION: "objection_due",
    Clock.HANDLING: "handling_due",
    Clock.REVIEW_ANSWER: "handling_due",
    Clock.REVIEW_REQUEST: "review_request_due",
    # Re-handling after a callback runs in handling_due, as the review answer does.
    Clock.REHANDLING: "handling_due",
    Clock.REWORK: "rework_due",
}


class Role(models.TextChoices):
    """A role is a Django group of the same name; its permissions come from a data migration."""

    CLERK = "clerk", _("Clerk")
    SUPERVISOR = "supervisor", _("Supervisor")
    HANDLER = "handler", _("Handler")
    DEPARTMENT_HEAD = "department_head", _("Department head")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")
    # Reads the identity-access log, nothing else (no case, no identity).
    AUDITOR = "auditor", _("Auditor")
