"""Pages of the register, the hot topics and the joint meetings. Thin: forms clean, services write,
selectors read; a refused action becomes a message and nothing is changed."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports.rendering import css_string, html_to_pdf, office_name, page_counter_content
from screening import policies, selectors, services
from screening.errors import ScreeningError
from screening.forms import (
    CampaignForm,
    CaseNumberForm,
    DecisionForm,
    EntryFilterForm,
    EntryForm,
    FollowUpForm,
    MeetingForm,
    MinutesForm,
    NoteForm,
    PeriodForm,
    PromoteForm,
    ReferForm,
    TopicForm,
    TransitionForm,
)
from screening.models import Campaign, Decision

PAGE_SIZE = 50
DEFAULT_PERIOD_DAYS = 30  # the suggested clusters look at the last 30 days unless asked otherwise


def _pages(request: HttpRequest) -> None:
    if not policies.may_see_pages(request.user):
        raise PermissionDenied


def _manager(request: HttpRequest) -> None:
    if not policies.may_manage(request.user):
        raise PermissionDenied


def _form_errors(request: HttpRequest, form) -> None:
    errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
    messages.error(request, " ".join([_("Nothing was saved."), *errors]))


def _submit(request: HttpRequest, form, action: Callable[[dict], object], done: str) -> object | None:
    """A form posted to act on one record: errors, or the service's refusal, become a message."""
    if not form.is_valid():
        _form_errors(request, form)
        return None
    return _run(request, lambda: action(form.cleaned_data), done)


def _run(request: HttpRequest, action, done: str) -> object | None:
    try:
        result = action()
    except ScreeningError as error:
        messages.error(request, str(error.message))
        return None
    messages.success(request, done)
    return result


# --- The register -----------------------------------------------------------------------------------


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    _pages(request)
    today = timezone.localdate()
    form = EntryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.EntryFilters(
        status=data.get("status", ""),
        risk=data.get("risk", ""),
        kind=data["kind"].pk if data.get("kind") else None,
        overdue=bool(data.get("overdue")),
    )
    entries = selectors.entry_list(request.user, filters, today=today)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/register.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "tally": selectors.entry_tally(entries),
            "may_manage": policies.may_manage(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = EntryForm(request.POST or None, initial={"found_on": timezone.localdate()})
    if request.method == "POST":
        if form.is_valid():
            data = services.EntryData(**form.cleaned_data)
            entry = _run(
                request, lambda: services.entry_create(actor=request.user, data=data), _("The issue was registered.")
            )
            if entry is not None:
                return redirect("screening:entry", entry_id=entry.pk)
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved."))
    return render(request, "screening/entry_form.html", {"form": form})


def _entry_or_404(request: HttpRequest, entry_id: int):
    entry = selectors.entry_for(request.user, entry_id)
    if entry is None:
        raise Http404
    return entry


@require_GET
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    _pages(request)
    entry = _entry_or_404(request, entry_id)
    user = request.user
    cases = selectors.linked_cases(user, entry.case_links.all())
    steps = [
        (action, label)
        for action, label in (
            ("start", _("Start resolving")),
            ("resolve", _("Mark resolved")),
            ("reopen", _("Reopen")),
            ("close", _("Close the entry")),
        )
        if policies.may_transition_entry(entry, user, action) and _possible(entry, action)
    ]
    return render(
        request,
        "screening/entry_detail.html",
        {
            "entry": entry,
            "today": timezone.localdate(),
            "cases": cases,
            "visible_numbers": {case.pk: case.number for case in cases},
            "log": entry.log.select_related("actor"),
            "steps": steps,
            "may_note": policies.may_note_entry(entry, user),
            "may_manage": policies.may_manage(user),
            "note_form": NoteForm(),
            "link_form": CaseNumberForm(),
        },
    )


def _possible(entry, action: str) -> bool:
    from django_fsm import can_proceed

    return can_proceed(getattr(entry, action))


@require_POST
def entry_step(request: HttpRequest, entry_id: int) -> HttpResponse:
    _pages(request)
    entry = _entry_or_404(request, entry_id)
    form = TransitionForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.entry_transition(
            entry_id=entry.pk, actor=request.user, action=data["action"], version=data["version"], note=data["note"]
        ),
        _("The entry's status was changed."),
    )
    return redirect("screening:entry", entry_id=entry.pk)


@require_POST
def entry_note(request: HttpRequest, entry_id: int) -> HttpResponse:
    _pages(request)
    entry = _entry_or_404(request, entry_id)
    form = NoteForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.entry_add_note(entry_id=entry.pk, actor=request.user, note=data["note"]),
        _("The note was added."),
    )
    return redirect("screening:entry", entry_id=entry.pk)


@require_POST
def entry_link(request: HttpRequest, entry_id: int) -> HttpResponse:
    _pages(request)
    entry = _entry_or_404(request, entry_id)
    form = CaseNumberForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.entry_link_case(entry_id=entry.pk, actor=request.user, number=data["number"]),
        _("The case was linked."),
    )
    return redirect("screening:entry", entry_id=entry.pk)


# --- Campaigns -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def campaigns(request: HttpRequest) -> HttpResponse:
    _pages(request)
    form = CampaignForm(request.POST or None) if policies.may_manage(request.user) else None
    if request.method == "POST":
        _manager(request)
        if form.is_valid():
            data = form.cleaned_data
            campaign = _run(
                request, lambda: services.campaign_create(actor=request.user, **data), _("The campaign was created.")
            )
            if campaign is not None:
                return redirect("screening:campaign", campaign_id=campaign.pk)
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved."))
    return render(
        request, "screening/campaigns.html", {"campaigns": selectors.campaign_list(request.user), "form": form}
    )


@require_GET
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    _pages(request)
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or not policies.can_view_campaign(request.user, campaign):
        raise Http404
    today = timezone.localdate()
    entries = selectors.entry_list(request.user, selectors.EntryFilters(campaign=campaign.pk), today=today)
    return render(
        request,
        "screening/campaign_detail.html",
        {"campaign": campaign, "entries": entries[:500], "tally": selectors.entry_tally(entries), "today": today},
    )


# --- Hot topics --------------------------------------------------------------------------------------------


@require_GET
def clusters(request: HttpRequest) -> HttpResponse:
    if not policies.may_see_clusters(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    default = {"start": today - timedelta(days=DEFAULT_PERIOD_DAYS - 1), "end": today, "min_cases": 3}
    form = PeriodForm(request.GET or {key: str(value) for key, value in default.items()})
    found = None
    if form.is_valid():
        data = form.cleaned_data
        found = selectors.clusters(data["start"], data["end"], min_cases=data["min_cases"])
    return render(
        request,
        "screening/clusters.html",
        {"form": form, "clusters": found, "may_manage": policies.may_manage(request.user)},
    )


CLUSTER_KEYS = ("category", "region", "start", "end")


def _cluster_of(form: PromoteForm) -> dict | None:
    """The cluster a promotion form names, when its four parts are valid."""
    data = getattr(form, "cleaned_data", {})
    return {key: data[key] for key in CLUSTER_KEYS} if all(data.get(key) for key in CLUSTER_KEYS) else None


@require_http_methods(["GET", "POST"])
def topic_promote(request: HttpRequest) -> HttpResponse:
    _manager(request)
    if request.method == "POST":
        form = PromoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            topic = _run(
                request,
                lambda: services.topic_promote(
                    actor=request.user,
                    category=data["category"],
                    region=data["region"],
                    start=data["start"],
                    end=data["end"],
                    department=data["department"],
                    title=data["title"],
                    plan=data["plan"],
                ),
                _("The cluster is now a hot topic; its cases are linked."),
            )
            if topic is not None:
                return redirect("screening:topic", topic_id=topic.pk)
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved."))
        cluster = _cluster_of(form)
    else:
        probe = PromoteForm(request.GET)
        probe.is_valid()
        cluster = _cluster_of(probe)
        initial = {key: probe.data.get(key, "") for key in CLUSTER_KEYS}
        if cluster is not None:
            initial["title"] = f"{cluster['region'].name}{cluster['category'].name}"
        form = PromoteForm(initial=initial)
    return render(request, "screening/topic_promote.html", {"form": form, "cluster": cluster})


@require_GET
def topics(request: HttpRequest) -> HttpResponse:
    _pages(request)
    page = Paginator(selectors.topic_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "screening/topics.html", {"page": page, "may_clusters": policies.may_see_clusters(request.user)}
    )


@require_http_methods(["GET", "POST"])
def topic_detail(request: HttpRequest, topic_id: int) -> HttpResponse:
    _pages(request)
    topic = selectors.topic_for(request.user, topic_id)
    if topic is None:
        raise Http404
    may_manage = policies.may_manage(request.user)
    form = TopicForm(request.POST or None, initial=TopicForm.initial_for(topic)) if may_manage else None
    if request.method == "POST":
        _manager(request)
        if form.is_valid():
            data = form.cleaned_data
            if _run(
                request,
                lambda: services.topic_update(
                    topic_id=topic.pk,
                    actor=request.user,
                    version=data["version"],
                    plan=data["plan"],
                    recommendation=data["recommendation"],
                    adopted=form.adopted_value(),
                ),
                _("The topic was saved."),
            ):
                return redirect("screening:topic", topic_id=topic.pk)
        else:
            _form_errors(request, form)
        return redirect("screening:topic", topic_id=topic.pk)
    cases = selectors.linked_cases(request.user, topic.case_links.all())
    return render(request, "screening/topic_detail.html", {"topic": topic, "cases": cases[:500], "form": form})


# --- Joint meetings -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meetings(request: HttpRequest) -> HttpResponse:
    _pages(request)
    form = MeetingForm(request.POST or None) if policies.may_manage(request.user) else None
    if request.method == "POST":
        _manager(request)
        if form.is_valid():
            data = form.cleaned_data
            meeting = _run(
                request,
                lambda: services.meeting_create(
                    actor=request.user,
                    title=data["title"],
                    held_on=data["held_on"],
                    convener=data["convener"],
                    units=list(data["units"]),
                    minutes=data["minutes"],
                ),
                _("The meeting was recorded."),
            )
            if meeting is not None:
                return redirect("screening:meeting", meeting_id=meeting.pk)
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved."))
    today = timezone.localdate()
    page = Paginator(selectors.meeting_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/meetings.html",
        {
            "page": page,
            "form": form,
            "today": today,
            "overdue": selectors.decision_list(request.user, today=today, overdue_only=True)[:200],
        },
    )


def _meeting_or_404(request: HttpRequest, meeting_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id)
    if meeting is None:
        raise Http404
    return meeting


def _meeting_context(request: HttpRequest, meeting) -> dict:
    decisions = selectors.meeting_decisions(request.user, meeting)
    return {
        "meeting": meeting,
        "units": list(meeting.units.order_by("code")),
        "items": selectors.meeting_items(request.user, meeting),
        "decisions": decisions,
        "today": timezone.localdate(),
    }


@require_GET
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    _pages(request)
    meeting = _meeting_or_404(request, meeting_id)
    context = _meeting_context(request, meeting)
    may_manage = policies.may_manage(request.user)
    context["rows"] = [
        {
            "decision": decision,
            "form": FollowUpForm(
                prefix=f"d{decision.pk}", initial={"version": decision.version, "status": decision.status}
            )
            if policies.may_follow_up_decision(decision, request.user)
            else None,
        }
        for decision in context["decisions"]
    ]
    if may_manage:
        context |= {
            "minutes_form": MinutesForm(initial={"version": meeting.version, "minutes": meeting.minutes}),
            "refer_form": ReferForm(),
            "decision_form": DecisionForm(),
        }
    return render(request, "screening/meeting_detail.html", context)


@require_POST
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    _pages(request)
    meeting = _meeting_or_404(request, meeting_id)
    form = MinutesForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.meeting_update_minutes(
            meeting_id=meeting.pk, actor=request.user, version=data["version"], minutes=data["minutes"]
        ),
        _("The minutes were saved."),
    )
    return redirect("screening:meeting", meeting_id=meeting.pk)


@require_POST
def meeting_refer(request: HttpRequest, meeting_id: int) -> HttpResponse:
    _pages(request)
    meeting = _meeting_or_404(request, meeting_id)
    form = ReferForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.meeting_refer(
            meeting_id=meeting.pk,
            actor=request.user,
            case_number=data["case_number"],
            topic=data["topic"],
            entry=data["entry"],
        ),
        _("The matter was referred to the meeting."),
    )
    return redirect("screening:meeting", meeting_id=meeting.pk)


@require_POST
def decision_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    _pages(request)
    meeting = _meeting_or_404(request, meeting_id)
    form = DecisionForm(request.POST)
    _submit(
        request,
        form,
        lambda data: services.decision_add(
            meeting_id=meeting.pk,
            actor=request.user,
            text=data["text"],
            department=data["department"],
            deadline=data["deadline"],
        ),
        _("The decision was recorded."),
    )
    return redirect("screening:meeting", meeting_id=meeting.pk)


@require_POST
def decision_follow_up(request: HttpRequest, decision_id: int) -> HttpResponse:
    _pages(request)
    decision = Decision.objects.filter(pk=decision_id).first()
    if decision is None or not policies.can_view_decision(request.user, decision):
        raise Http404
    form = FollowUpForm(request.POST, prefix=f"d{decision.pk}")
    _submit(
        request,
        form,
        lambda data: services.decision_follow_up(
            decision_id=decision.pk,
            actor=request.user,
            version=data["version"],
            status=data["status"],
            note=data["note"],
        ),
        _("The progress was recorded."),
    )
    return redirect("screening:meeting", meeting_id=decision.meeting_id)


def _print_context(request: HttpRequest, meeting) -> dict:
    """The minutes as the reports print them: A4, CJK fonts, running header and page numbers."""
    office = office_name()
    return {
        **_meeting_context(request, meeting),
        "office_name": office,
        "header_left": css_string(office),
        "header_right": css_string(f"{meeting.title} {meeting.held_on:%Y-%m-%d}"),
        "page_counter": page_counter_content(),
    }


@require_GET
def meeting_print(request: HttpRequest, meeting_id: int) -> HttpResponse:
    _pages(request)
    meeting = _meeting_or_404(request, meeting_id)
    # The print CSS is an inline <style>: the policy admits it by the response's nonce.
    context = {**_print_context(request, meeting), "csp_nonce": str(request.csp_nonce)}
    return render(request, "screening/meeting_print.html", context)


@require_GET
def meeting_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    _pages(request)
    meeting = _meeting_or_404(request, meeting_id)
    html = render_to_string("screening/meeting_print.html", _print_context(request, meeting), request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="meeting-{meeting.pk}.pdf"'
    return response
