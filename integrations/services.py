"""What the administrators do with integrations: the system user each acts through, and its tokens.

An integration acts through a user of its own (no password, no login, not staff) whose permissions and
department follow its scopes; `petitions.policies` and `petitions.selectors.scopes` then decide what
its tokens may read and do exactly as they decide for a member of staff, and the services log the
integration as the actor of what it did.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from integrations.models import Integration, IntegrationToken, Scope
from petitions.models import User

# The permissions each scope gives the integration's user (a department's scopes with its department).
SCOPE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Scope.INTAKE: ("petitions.register_case",),
    Scope.READ_OFFICE: ("petitions.view_all_cases",),
    Scope.READ_DEPARTMENT: ("petitions.handle_case",),
    Scope.IDENTITY: ("petitions.view_identity",),
    # As the department's head: may record the outcome of any case of the department (policies._handles).
    Scope.WRITE_OUTCOMES: ("petitions.handle_case", "petitions.assign_handler"),
    Scope.WEBHOOKS: (),
}

TOKEN_PREFIX = "pd_"  # noqa: S105 - the visible start of every token, not a secret
LAST_USED_EVERY = timedelta(minutes=1)  # last use is written at most this often per token


def _permissions(scopes: list[str]) -> list[Permission]:
    wanted = {dotted for scope in scopes for dotted in SCOPE_PERMISSIONS.get(scope, ())}
    query = Q(pk__in=[])
    for dotted in wanted:
        app_label, codename = dotted.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def _system_user_sync(integration: Integration) -> None:
    user = integration.user
    user.full_name = integration.name[:50]
    user.is_active = integration.is_active
    user.department = integration.department
    user.save(update_fields=["full_name", "is_active", "department"])
    user.user_permissions.set(_permissions(integration.scopes))
    user.groups.clear()


@transaction.atomic
def integration_save(*, integration: Integration) -> Integration:
    """Create or change `integration` (already validated: `full_clean`) and bring its system user in line."""
    integration.scopes = sorted(set(integration.scopes or []))
    if integration.user_id is None:
        integration.user = User.objects.create(
            username=f"integration-{secrets.token_hex(6)}",
            password=make_password(None),  # unusable: the user cannot sign in
            is_staff=False,
        )
    integration.save()
    _system_user_sync(integration)
    return integration


# --- Tokens -------------------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass
class IssuedToken:
    token: IntegrationToken
    plaintext: str  # shown once, never stored
    replaces: IntegrationToken | None = None  # the token a rotation replaced


def token_issue(*, integration: Integration, actor: User | None, label: str = "") -> IssuedToken:
    """A new token: `pd_<prefix>_<secret>`; the prefix finds the row, the secret's digest checks it."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    token = IntegrationToken.objects.create(
        integration=integration, label=label[:100], prefix=prefix, digest=_digest(secret), created_by=actor
    )
    return IssuedToken(token, f"{TOKEN_PREFIX}{prefix}_{secret}")


@transaction.atomic
def token_rotate(*, token: IntegrationToken, actor: User | None, grace: timedelta = timedelta(0)) -> IssuedToken:
    """A new token for the same integration; the old one stops at once, or after `grace` so that the
    other system can switch over without a gap."""
    old = IntegrationToken.objects.select_for_update().get(pk=token.pk)
    now = timezone.now()
    if grace > timedelta(0):
        until = now + grace
        old.expires_at = min(old.expires_at, until) if old.expires_at else until
        old.save(update_fields=["expires_at"])
    elif old.revoked_at is None:
        old.revoked_at = now
        old.save(update_fields=["revoked_at"])
    issued = token_issue(integration=old.integration, actor=actor, label=old.label)
    issued.replaces = old
    return issued


def token_revoke(*, token: IntegrationToken) -> None:
    IntegrationToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def token_authenticate(raw: str) -> IntegrationToken | None:
    """The valid token `raw` is, with its integration and system user, or None. One query."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = (
        IntegrationToken.objects.select_related("integration", "integration__user", "integration__department")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    integration = token.integration
    if not token.is_valid() or not integration.is_active or not integration.user.is_active:
        return None
    _permissions_from_scopes(integration)
    return token


def _permissions_from_scopes(integration: Integration) -> None:
    """The system user's permissions are its scopes' (integration_save gives it exactly those): noted on
    the user as the session middleware notes a member of staff's, so a request asks the database for
    them not at all (two queries saved)."""
    user = integration.user
    user._perm_cache = {dotted for scope in integration.scopes for dotted in SCOPE_PERMISSIONS.get(scope, ())}
    user.__dict__["roles"] = frozenset()  # no role: integration_save clears its groups


def token_touch(token: IntegrationToken) -> None:
    """Note the token's use, at most once per LAST_USED_EVERY (not a write per request)."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    IntegrationToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY)
    ).update(last_used_at=now)
    token.last_used_at = now
