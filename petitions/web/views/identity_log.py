"""The identity-access log for administrators and auditors."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from petitions import policies
from petitions.identifiers import mask_id_number, mask_name
from petitions.web.audit_filters import IdentityAccessFilter, identity_accesses

PAGE_SIZE = 100


@require_GET
def identity_audit(request: HttpRequest) -> HttpResponse:
    if not policies.may_audit_identity_access(request.user):
        raise PermissionDenied
    log = IdentityAccessFilter(request.GET or None, queryset=identity_accesses())
    rows = log.qs if log.is_valid() or not log.is_bound else identity_accesses().none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = [
        {
            "access": access,
            "person": (
                f"{mask_name(access.petitioner.name)} {mask_id_number(access.petitioner.id_number)}".strip()
                if access.petitioner
                else ""
            ),
        }
        for access in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "petitions/identity_audit.html",
        {"filter": log, "page": page, "entries": entries, "query": query.urlencode()},
    )
