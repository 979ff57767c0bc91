"""Pages for recruitment, applying, profiles, screening and the pool. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxpool.accounts.models import Role
from dxpool.core.errors import Conflict, DomainError, ValidationError
from dxpool.core.web import domain_errors_to_http, id_param, paginate, role_required
from dxpool.talent import permissions, selectors, services
from dxpool.talent.forms import (
    ApplyForm,
    DecisionForm,
    EvidenceForm,
    PoolFilterForm,
    ProfileForm,
    RoundForm,
    SignupForm,
    TransitionForm,
)
from dxpool.talent.machines import decision_target, move_confirmation
from dxpool.talent.models import ApplicationStatus


def _form_error(form, exc: DomainError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


# --- rounds ---------------------------------------------------------------------------------------------

@domain_errors_to_http
def round_list(request):
    rounds = selectors.rounds_for_page(user=request.user, status=request.GET.get("status") or None)
    return render(request, "talent/round_list.html", {
        "page": paginate(request, rounds), "can_create": permissions.can_create_round(user=request.user)})


@domain_errors_to_http
def round_detail(request, pk: int):
    detail = selectors.round_detail(user=request.user, pk=pk)
    return render(request, "talent/round_detail.html", {"round": detail.round, "detail": detail,
                                                        "counts": detail.counts,
                                                        "statuses": ApplicationStatus.choices})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int | None = None):
    rnd = selectors.round_get(user=request.user, pk=pk) if pk else None
    form = RoundForm(request.POST or None, instance=rnd)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data.get(k) for k in form.Meta.fields}
        try:
            rnd = (services.round_update(actor=request.user, rnd=rnd, data=data) if rnd
                   else services.round_create(actor=request.user, data=data))
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("公募を保存しました。"))
            return redirect("talent:round_detail", pk=rnd.pk)
    return render(request, "talent/round_form.html", {"form": form, "round": rnd})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def round_status(request, pk: int):
    rnd = selectors.round_get(user=request.user, pk=pk)
    try:
        services.round_set_status(actor=request.user, rnd=rnd, status=request.POST.get("status", ""))
        messages.success(request, _("公募の状態を「%(s)s」にしました。") % {"s": rnd.get_status_display()})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("talent:round_detail", pk=rnd.pk)


# --- applicants -----------------------------------------------------------------------------------------

def _safe_next(request, default: str) -> str:
    """The `next` address of the request if it stays on this site (Django's own check: no scheme-relative
    "//host", no other scheme or host, no backslash tricks), else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


@require_http_methods(["GET", "POST"])
def signup(request):
    """Account creation for applicants; afterwards they continue to the round they came from."""
    next_url = _safe_next(request, reverse("talent:me"))
    if request.user.is_authenticated:
        # Someone already signed in (staff above all) would otherwise be switched to the new applicant's
        # session by login() below; they are told instead, and nothing is created.
        return render(request, "talent/signup.html", {"signed_in": True, "next": next_url})
    consent = selectors.consent_current()
    form = SignupForm(request.POST or None, initial={"consent_version": consent.version if consent else ""})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.applicant_register(username=d["username"], email=d["email"], password=d["password"],
                                               display_name=d["display_name"], consent_version=d["consent_version"])
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("アカウントを作成しました。"))
            return redirect(next_url)
    return render(request, "talent/signup.html", {"form": form, "next": next_url, "consent": consent})


@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def apply(request, pk: int):
    rnd = selectors.round_get(user=request.user, pk=pk)
    if not request.user.is_authenticated:
        return redirect(f"{reverse('talent:signup')}?next={request.path}")
    if not permissions.can_apply(user=request.user):
        messages.error(request, _("応募は外部人材のアカウントで行ってください。"))
        return redirect("talent:round_detail", pk=rnd.pk)
    consent = selectors.consent_current()
    # Asked again only when the version in force is not one this person has agreed to (a newer text).
    accepted = selectors.consent_acceptance_current(user=request.user)
    existing = selectors.own_profile_for(user=request.user, prefecture=rnd.prefecture)
    initial = ProfileForm.initial_from_profile(existing) if existing else {
        "full_name": request.user.display_name, "email": request.user.email}
    profile_form = ProfileForm(request.POST or None, initial=initial)
    data, revised_meanwhile = (request.POST.copy() if request.method == "POST" else None), False
    if data is not None and accepted is None and "consent_version" not in data:
        # The form was shown without the consent (its version was agreed to) and a newer text was published
        # before it was sent: this time it asks for the new version, saying why rather than "left blank".
        data["consent_version"] = consent.version if consent else ""
        revised_meanwhile = True
    apply_form = ApplyForm(data, rnd=rnd, ask_consent=accepted is None,
                           initial={"consent_version": consent.version if consent else ""})
    if request.method == "POST" and profile_form.is_valid() and apply_form.is_valid():
        try:
            application = services.application_submit(
                actor=request.user, rnd=rnd, persona=apply_form.cleaned_data["persona"],
                consent_version=apply_form.agreed_version,
                profile_data=profile_form.to_profile_data(), motivation=apply_form.cleaned_data["motivation"])
        except DomainError as exc:
            target = apply_form if exc.field in ("persona", "consent") else profile_form
            _form_error(target, exc)
        else:
            messages.success(request, _("応募を受け付けました。選考の状況はマイページで確認できます。"))
            return redirect("talent:me_application", pk=application.pk)
    elif revised_meanwhile and "consent" in apply_form.errors:
        apply_form.errors.pop("consent")
        apply_form.add_error("consent", _("「個人情報の取扱いについて」が改訂されました。改訂後の内容を確認し、"
                                          "同意する場合はチェックを入れてください。"))
    return render(request, "talent/apply.html", {"round": rnd, "consent": consent, "form": profile_form,
                                                 "apply_form": apply_form, "consent_accepted": accepted,
                                                 "consent_revised": accepted is None and
                                                 selectors.consent_agreed_before(user=request.user)})


@require_POST
def assess_preview(request):
    """Live assessment while editing (HTMX): the same form data, assessed, rendered as a fragment."""
    form = ProfileForm(request.POST)
    form.is_valid()  # partial forms are fine: we assess whatever assessment inputs are there
    form.cleaned_data.setdefault("full_name", "")
    try:
        data = form.to_profile_data()
        assessment = services.profile_assessment(data=data)
        error = None
    except (ValidationError, KeyError) as exc:
        assessment, error = None, getattr(exc, "message", str(exc))
    return render(request, "talent/_assessment.html", {"assessment": assessment, "error": error})


@role_required(Role.TALENT)
def me(request):
    apps = selectors.application_list(user=request.user)
    profiles = selectors.own_profiles(user=request.user)
    return render(request, "talent/me.html", {"applications": apps, "profiles": profiles,
                                              "open_rounds": selectors.open_rounds(),
                                              "evidence_missing": selectors.profiles_without_evidence(
                                                  user=request.user)})


@role_required(Role.TALENT)
@domain_errors_to_http
def me_application(request, pk: int):
    app = selectors.application_get(user=request.user, pk=pk)
    missing = {p.pk for p in selectors.profiles_without_evidence(user=request.user)}
    return render(request, "talent/me_application.html", {"application": app,
                                                           "evidence_missing": app.profile_id in missing})


@role_required(Role.TALENT)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def me_withdraw(request, pk: int):
    """The applicant's withdrawal: a page that asks first; only its own POST (confirm=yes) withdraws."""
    withdrawal = selectors.withdrawal_get(user=request.user, pk=pk)
    app = withdrawal.application
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.application_transition(actor=request.user, application=app,
                                            to_status=ApplicationStatus.WITHDRAWN, note=request.POST.get("note", ""))
            messages.success(request, _("応募を辞退しました。"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("talent:me_application", pk=app.pk)
    return render(request, "talent/me_withdraw.html", {"application": app, "can_withdraw": withdrawal.allowed,
                                                       "note": request.POST.get("note", "")})


@login_required
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk: int):
    profile = selectors.profile_get_for_edit(user=request.user, pk=pk, request=request)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_from_profile(profile))
    if request.method == "POST" and form.is_valid():
        try:
            services.talent_profile_save(actor=request.user, prefecture=profile.prefecture,
                                         data=form.to_profile_data(), profile=profile)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("プロフィールを保存しました。"))
            return redirect("talent:profile_detail", pk=profile.pk)
    return render(request, "talent/profile_form.html", {"form": form, "profile": profile})


@login_required
@domain_errors_to_http
def profile_detail(request, pk: int):
    detail = selectors.profile_detail(user=request.user, pk=pk, request=request)
    evidence_form = EvidenceForm() if detail.can_upload_evidence else None
    return render(request, "talent/profile_detail.html", {"profile": detail.profile, "detail": detail,
                                                          "evidence_form": evidence_form,
                                                          "applications": detail.applications})


@login_required
@domain_errors_to_http
@require_POST
def evidence_upload(request, pk: int):
    profile = selectors.profile_get_full(user=request.user, pk=pk, request=request)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.evidence_upload(actor=request.user, profile=profile, label=form.cleaned_data["label"],
                                     uploaded=form.cleaned_data["file"])
            messages.success(request, _("証明書類を登録しました。"))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("talent:profile_detail", pk=profile.pk)


@login_required
@domain_errors_to_http
def evidence_download(request, pk: int):
    evidence = services.evidence_download(actor=request.user, pk=pk, request=request)
    # Served under the server's name and the type found in the content at upload, always as an attachment,
    # and never sniffed: the original name and the browser's guess stay out of it.
    response = FileResponse(evidence.file.open("rb"), content_type=evidence.content_type, as_attachment=True,
                            filename=evidence.download_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- screening (prefecture) -----------------------------------------------------------------------------

@role_required(Role.PREFECTURE)
@domain_errors_to_http
def application_list(request):
    g = request.GET
    page = selectors.application_list_page(
        user=request.user, round_id=id_param(g["round"]) if g.get("round") else None, status=g.get("status") or None,
        persona=g.get("persona") or None, q=g.get("q") or None, page=g.get("page"), request=request)
    return render(request, "talent/application_list.html", {
        "page": page, "statuses": ApplicationStatus.choices,
        "rounds": selectors.round_list(user=request.user), "filters": g})


def _confirm_page(request, detail, confirmation, carry: dict[str, str]):
    """The confirmation step before a final move: the same POST again, with confirm=yes, or back."""
    return render(request, "talent/application_confirm.html", {
        "application": detail.application, "profile": detail.profile, "confirmation": confirmation,
        "carry": [(k, v) for k, v in carry.items() if v is not None]})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def application_detail(request, pk: int):
    detail = selectors.application_detail(user=request.user, pk=pk, request=request)
    app = detail.application
    kind = request.POST.get("form")
    decision_form = DecisionForm(request.POST if kind == "decision" else None)
    transition_form = TransitionForm(request.POST if kind == "transition" else None)
    # Moves that end the application are asked about first, on a page of their own (working without
    # JavaScript); only a POST that carries confirm=yes from that page makes them.
    confirmed = request.POST.get("confirm") == "yes"
    allowed = {code for code, _label in detail.allowed}
    name = detail.profile.full_name
    if request.method == "POST":
        try:
            if kind == "decision" and decision_form.is_valid():
                d = decision_form.cleaned_data
                target = decision_target(d["criterion"], d["decision"])
                ask = None if confirmed or target not in allowed else move_confirmation(target, name=name)
                if ask:
                    return _confirm_page(request, detail, ask, {"form": "decision", **d})
                services.screening_decide(actor=request.user, application=app, **d)
                messages.success(request, _("判定を記録しました。"))
                return redirect("talent:application_detail", pk=app.pk)
            if kind == "transition" and transition_form.is_valid():
                d = transition_form.cleaned_data
                ask = None if confirmed or d["to_status"] not in allowed else move_confirmation(d["to_status"], name=name)
                if ask:
                    return _confirm_page(request, detail, ask, {"form": "transition", **d})
                services.application_transition(actor=request.user, application=app, to_status=d["to_status"],
                                                note=d["note"])
                messages.success(request, _("状態を変更しました。"))
                return redirect("talent:application_detail", pk=app.pk)
            if kind == "transition":
                messages.error(request, _("変更後の状態を選んでください。"))
            if kind == "training":
                services.training_complete(actor=request.user, application=app)
                messages.success(request, _("研修修了を記録しました。"))
                return redirect("talent:application_detail", pk=app.pk)
        except (Conflict, ValidationError) as exc:
            messages.error(request, exc.message)
    # Only the moves the status machine allows from the current state are offered (detail.allowed).
    return render(request, "talent/application_detail.html", {
        "application": app, "profile": detail.profile, "decision_form": decision_form,
        "allowed": detail.allowed, "decisions": detail.decisions, "changes": detail.changes,
        "can_record_training": detail.can_record_training,
    })


# --- the pool ------------------------------------------------------------------------------------------------

def _pool_filters(form: PoolFilterForm) -> selectors.PoolFilters:
    d = form.cleaned_data if form.is_valid() else {}
    return selectors.PoolFilters(
        persona=d.get("persona") or None, skill=d.get("skill") or None, min_rating=int(d.get("min_rating") or 3),
        near_municipality=d["near_municipality"].code if d.get("near_municipality") else None,
        reachable=bool(d.get("reachable")), include_remote=bool(d.get("include_remote")),
        min_hours=d.get("min_hours"), available_on=d.get("available_on"), training=d.get("training") or None,
        q=d.get("q") or None)


@role_required(Role.PREFECTURE, Role.MUNICIPALITY)
@domain_errors_to_http
def pool(request):
    form = PoolFilterForm(request.GET or None, prefecture_id=request.user.prefecture_id_scope,
                          municipality_id=request.user.municipality_id_scope)
    filters = _pool_filters(form)
    fmt = request.GET.get("format")
    try:
        # Municipalities asking for a file get the page: the export is the secretariat's (personal data).
        if fmt in services.POOL_EXPORT_ACTIONS and permissions.can_export_pool(user=request.user):
            export = services.pool_export(actor=request.user, filters=filters, fmt=fmt, request=request)
            response = HttpResponse(export.content, content_type=export.content_type)
            response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
            return response
        pool_list = selectors.pool_list(user=request.user, filters=filters, page=request.GET.get("page"),
                                        request=request)
    except ValidationError as exc:
        messages.error(request, exc.message)
        pool_list = selectors.PoolList(rows=paginate(request, []), full=permissions.can_view_pool_full(user=request.user))
    return render(request, "talent/pool.html", {"form": form, "page": pool_list.rows, "full": pool_list.full})


@role_required(Role.PREFECTURE, Role.MUNICIPALITY)
@domain_errors_to_http
def pool_member(request, pseudonym: str):
    card = selectors.profile_get_pseudonymous(user=request.user, pseudonym=pseudonym)
    full_pk = selectors.pool_member_full_profile(user=request.user, pseudonym=pseudonym)
    return render(request, "talent/pool_member.html", {"card": card, "full_profile_pk": full_pk})

