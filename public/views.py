"""The public site's pages, all under /public/ (the home page is also the front door at /). Thin:
forms clean, public.services registers through intake, public.selectors reads the published texts."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from public import captcha
from public.forms import CaptchaForm, CoPetitionerFormSet, SubmissionForm
from public.navigation import public_nav
from public.selectors import public_texts, published_sessions
from public.services import (
    Person,
    Submission,
    acknowledgement_keep,
    acknowledgement_take,
    online_submit,
    submission_case,
    submission_token_issue,
    submission_token_key,
)

ADDRESS_KEY = "public.client.address"
TRACK_PATH = "/public/track/"  # the follow-up page (built separately); linked by its path for now


def public_render(request: HttpRequest, template: str, context: dict | None = None, **kwargs) -> HttpResponse:
    """Render a public page: its header links, and never cached by a shared proxy (a page may show what
    the petitioner just typed)."""
    response = render(request, template, {"public_nav": public_nav(request), **(context or {})}, **kwargs)
    response["Cache-Control"] = "private, no-store"
    return response


def submit_rate(group: str, request: HttpRequest) -> str:
    return settings.PUBLIC_SUBMIT_RATE


def upload_rate(group: str, request: HttpRequest) -> str:
    return settings.PUBLIC_UPLOAD_RATE


def too_many(request: HttpRequest) -> HttpResponse:
    return public_render(request, "public/too_many.html", status=429)


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.PUBLIC_MAX_REQUEST_BYTES // (1024 * 1024)
    return public_render(request, "public/too_large.html", {"limit_mb": limit}, status=413)


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    texts = public_texts("intro", "channels")
    return public_render(request, "public/home.html", {"texts": texts, "track_url": TRACK_PATH})


@login_not_required
@require_GET
def channels(request: HttpRequest) -> HttpResponse:
    return public_render(request, "public/text_page.html", {"texts": public_texts("channels").values()})


@login_not_required
@require_GET
def scope(request: HttpRequest) -> HttpResponse:
    return public_render(request, "public/text_page.html", {"texts": public_texts("accepted", "not_accepted").values()})


@login_not_required
@require_GET
def steps(request: HttpRequest) -> HttpResponse:
    return public_render(request, "public/text_page.html", {"texts": public_texts("steps").values()})


@login_not_required
@require_GET
def schedule(request: HttpRequest) -> HttpResponse:
    return public_render(request, "public/schedule.html", {"sessions": published_sessions()})


# --- Online submission ------------------------------------------------------------------------


def _submission(form: SubmissionForm, people: CoPetitionerFormSet, *, language: str) -> Submission:
    data = form.cleaned_data
    return Submission(
        petitioner=Person(
            name=data["name"],
            id_number=data["id_number"],
            phone=data["phone"],
            address=data["address"],
            email=data["email"],
            confidential=data["confidential"],
        ),
        co_petitioners=[
            Person(name=p["name"], id_number=p["id_number"], phone=p["phone"])
            for p in (f.cleaned_data for f in people.forms)
            if p and p.get("name", "").strip()
        ],
        purpose=data["purpose"],
        legal_type=data["legal_type"],
        category=data["category"],
        region=data["region"],
        summary=data["summary"],
        request=data["request"],
        facts=data["facts"],
        language=language,
        complained_unit=data["complained_unit"],
        headcount=data["headcount"],
    )


def _typed(form: SubmissionForm, people: CoPetitionerFormSet) -> dict:
    """What the acknowledgement may repeat: what was typed in this request, as typed."""
    data = form.cleaned_data
    return {
        "name": data["name"],
        "summary": data["summary"],
        "request": data["request"],
        "co_petitioners": [f.cleaned_data["name"] for f in people.forms if (f.cleaned_data or {}).get("name")],
        "attachments": [upload.name for upload in data["attachments"]],
    }


def _add_errors(form: SubmissionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields and field != "token" else None, errors)
    else:
        form.add_error(None, error)


def _uploads_limited(request: HttpRequest, count: int) -> bool:
    """Count `count` files against the address's upload limit; True once it is exceeded."""
    limited = False
    for _n in range(count):
        limited = is_ratelimited(
            request, group="public.upload", key=ADDRESS_KEY, rate=upload_rate, method="POST", increment=True
        )
    return limited


@login_not_required
@require_http_methods(["GET", "POST"])
@ratelimit(group="public.submit", key=ADDRESS_KEY, rate=submit_rate, method="POST", block=False)
def submit(request: HttpRequest) -> HttpResponse:
    if getattr(request, "limited", False):
        return too_many(request)
    use_captcha = settings.PUBLIC_CAPTCHA
    status = 200
    if request.method == "POST":
        token = submission_token_key(request.POST.get("token", ""))
        data = request.POST
        if token is None:
            # A form we did not issue, or one too old: shown again as typed, with a fresh token.
            data = request.POST.copy()
            data["token"] = submission_token_issue()
        form = SubmissionForm(data, request.FILES)
        people = CoPetitionerFormSet(data, prefix="co")
        check = CaptchaForm(data) if use_captcha else None
        if token is None:
            form.is_valid()
            people.is_valid()
            form.add_error(None, _("This form has expired or was not issued by this site: please send it again."))
        else:
            response = _submit_post(request, token, form, people, check)
            if response is not None:
                return response
        status = 422
    else:
        form = SubmissionForm(initial={"token": submission_token_issue()})
        people = CoPetitionerFormSet(prefix="co")
        check = CaptchaForm() if use_captcha else None
    if use_captcha:
        captcha.captcha_new(request.session)
    context = {
        "form": form,
        "people": people,
        "captcha_form": check,
        "consent": public_texts("consent")["consent"],
    }
    return public_render(request, "public/submit.html", context, status=status)


def _submit_post(
    request: HttpRequest, token: str, form: SubmissionForm, people, check: CaptchaForm | None
) -> HttpResponse | None:
    """The redirect to the acknowledgement when the submission is registered (or was, by this form's
    first sending); None when the form is to be shown again with its errors."""
    valid = form.is_valid() & people.is_valid()
    solved = check is None or (
        check.is_valid() and captcha.captcha_solved(request.session, check.cleaned_data["captcha"])
    )
    if not solved:
        earlier = submission_case(token) if valid else None
        if earlier is not None:  # sent again after its first sending used the challenge up: that case
            acknowledgement_keep(request.session, case=earlier, typed=_typed(form, people))
            return redirect("public:submitted")
        check.add_error("captcha", _("That is not the sum shown in the picture: please try the new one."))
        return None
    if not valid:
        return None
    files = form.cleaned_data["attachments"]
    if files and _uploads_limited(request, len(files)):
        return too_many(request)
    try:
        submitted = online_submit(
            token=token, submission=_submission(form, people, language=request.LANGUAGE_CODE), attachments=files
        )
    except ValidationError as error:
        _add_errors(form, error)
        return None
    acknowledgement_keep(request.session, case=submitted.case, typed=_typed(form, people))
    return redirect("public:submitted")


@login_not_required
@require_GET
def submitted(request: HttpRequest) -> HttpResponse:
    """The acknowledgement and printable receipt, once: it comes from the session the submission left."""
    ack = acknowledgement_take(request.session)
    if ack is None:
        return redirect("public:submit")
    return public_render(request, "public/submitted.html", {"ack": ack, "track_url": TRACK_PATH})


@login_not_required
@require_GET
def captcha_image(request: HttpRequest) -> HttpResponse:
    if not settings.PUBLIC_CAPTCHA:
        raise Http404
    response = HttpResponse(captcha.captcha_svg(request.session), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response
