"""Pages for hearing records, the Excel hearing sheet, the overview, job descriptions and needs.

Thin: parse, call one selector or service, render. Scope comes from the selectors (404 outside it); the
services refuse writes by anyone but the municipality or its prefecture (dxpool.needs.permissions), and the
same predicates decide which actions a page offers.
"""

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxpool.accounts.models import Role
from dxpool.core.errors import Conflict, DomainError, NotFound, RateLimited, ValidationError
from dxpool.core.permissions import require
from dxpool.core.templatetags.data_labels import data_label, shown_labels
from dxpool.core.web import domain_errors_to_http, id_param, paginate, role_required
from dxpool.exchange.tabular import CSV_TYPE, XLSX_TYPE, to_csv
from dxpool.exchange.uploads import read_uploads, size_text
from dxpool.needs import permissions, selectors, services
from dxpool.needs.excel import CLEAR_MARKER
from dxpool.needs.forms import HearingForm, JobDescriptionForm, OverviewFilterForm
from dxpool.needs.maps import build_map
from dxpool.needs.models import JDStatus, NeedStatus
from dxpool.needs.reference import (
    ACTIVITY_CHECKLIST,
    CHECKLIST_SOURCE,
    MEASURE_GROUPS,
    MEASURE_STATUSES,
    MEASURES,
    POLICY_STATUSES,
    STEP_STATUSES,
    STEPS,
    SUPPORT_KINDS,
    SYSTEM_STATUSES,
    SYSTEMS,
    TIERS,
)
from dxpool.places import selectors as places
from dxpool.standard.personas import PERSONA_CODES
from dxpool.talent.models import PERSONA_CHOICES, AppointmentForm

STAFF = (Role.NATIONAL, Role.PREFECTURE, Role.MUNICIPALITY)
WRITERS = (Role.PREFECTURE, Role.MUNICIPALITY)


def current_fiscal_year(today: date | None = None) -> int:
    """The Japanese fiscal year (April to March) of a date."""
    today = today or timezone.localdate()
    return today.year if today.month >= 4 else today.year - 1


def _year(request, key: str = "year") -> int:
    try:
        year = int(request.GET.get(key) or request.POST.get(key) or "")
    except ValueError:
        return current_fiscal_year()
    return year if 2020 <= year <= 2100 else current_fiscal_year()


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _form_error(form, exc: DomainError) -> None:
    if isinstance(exc, services.HearingValidationError) and hasattr(form, "field_for"):
        for path, message in exc.errors:
            form.add_error(form.field_for(path), message)
        return
    field = exc.field if exc.field in form.fields else (form.field_for(exc.field) if hasattr(form, "field_for")
                                                        else None)
    form.add_error(field, exc.message)


def _to_rollup(request, year: int | None = None):
    """A list of records asked for by a national user, who reads aggregates only: the national roll-up instead."""
    messages.info(request, _("国の利用者には、個別の記録ではなく全国の集計を表示します。"))
    return redirect(f"{reverse('needs:overview')}?year={year or _year(request)}")


# --- hearing records -------------------------------------------------------------------------------------------

@role_required(*STAFF)
@domain_errors_to_http
def hearing_list(request):
    if not permissions.can_view_records(user=request.user):
        return _to_rollup(request)
    year = _year(request)
    hitori = request.GET.get("hitori") == "1"
    qs = selectors.hearing_list(user=request.user, fiscal_year=year, hitori=hitori, q=request.GET.get("q"))
    return render(request, "needs/hearing_list.html", {
        "page": paginate(request, qs), "year": year, "hitori": hitori, "q": request.GET.get("q", ""),
        "missing": selectors.hearings_missing(user=request.user, fiscal_year=year),
        "can_write": permissions.can_import_hearings(user=request.user)})


def _hearing_form_page(request, *, municipality, record=None):
    creating = record is None
    year = record.fiscal_year if record else _year(request)
    carried = None
    if record is not None:
        initial = HearingForm.initial_from(selectors.hearing_data(record))
        if record.grouping_id:
            initial["grouping"] = record.grouping_id
    else:
        # A new year starts from the previous record, so the municipality only changes what changed.
        carried = selectors.hearing_previous(user=request.user, municipality=municipality, fiscal_year=year)
        initial = HearingForm.initial_from(selectors.hearing_data(carried)) if carried else {}
        if carried and carried.grouping_id:
            initial["grouping"] = carried.grouping_id
        initial.update(fiscal_year=year, heard_on=None)
    form = HearingForm(request.POST or None, initial=initial, municipality=municipality, creating=creating)
    if request.method == "POST" and form.is_valid():
        fiscal_year = form.cleaned_data["fiscal_year"] if creating else record.fiscal_year
        try:
            record, created = services.hearing_save(actor=request.user, municipality=municipality,
                                                    fiscal_year=fiscal_year, data=form.to_data())
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("%(y)d年度のヒアリング記録を保存しました。") % {"y": record.fiscal_year})
            return redirect("needs:hearing_detail", pk=record.pk)
    # The suggestions for the text on the page (stored, carried or just posted): shown without JavaScript too,
    # and replaced as the text is typed.
    issues = form["issues"].value() or ""
    return render(request, "needs/hearing_form.html", {
        "form": form, "municipality": municipality, "record": record, "year": year, "carried": carried,
        "live": _issue_suggestions(request.user, issues)[0],
        "measure_groups": [(data_label(label), [(m, form[s], form[n]) for m, s, n in form.measure_rows[code]])
                           for code, label in MEASURE_GROUPS],
        "system_rows": [(name, form[s], form[m]) for name, s, m in form.system_rows],
        "step_fields": [form[n] for n in form.step_fields], "target_fields": [form[n] for n in form.target_fields]})


@role_required(*WRITERS)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def hearing_new(request):
    code = request.GET.get("municipality") or request.POST.get("municipality")
    if not code and request.user.role == Role.MUNICIPALITY:
        code = request.user.organisation.municipality.code
    if not code:
        raise NotFound("市町村を指定してください。")
    municipality = places.municipality_get(user=request.user, code=code)
    year = _year(request)
    existing = selectors.hearing_for_year(user=request.user, municipality=municipality, fiscal_year=year)
    if existing and request.method == "GET":
        return redirect("needs:hearing_edit", pk=existing.pk)
    return _hearing_form_page(request, municipality=municipality)


@role_required(*WRITERS)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def hearing_edit(request, pk: int):
    record = selectors.hearing_get(user=request.user, pk=pk)
    return _hearing_form_page(request, municipality=record.municipality, record=record)


def _issue_suggestions(user, text: str) -> tuple[dict, int]:
    """The live-suggestion fragment's context and status: the roles, or the refusal (too long, too many)."""
    try:
        roles = selectors.issue_roles(user=user, text=text)
    except (ValidationError, RateLimited) as exc:
        return {"roles": [], "error": exc.message, "typed": True}, exc.status
    return {"roles": roles, "error": "", "typed": bool(text.strip())}, 200


@role_required(*WRITERS)
@domain_errors_to_http
@require_POST
def suggestion_preview(request):
    """The hearing form's live suggestions (htmx): the roles the issue text typed so far calls for, as a fragment.

    POST, so the text stays out of URLs and logs, with the CSRF token htmx sends; the selector checks the role,
    counts the call against the per-user rate and refuses text past the time budget (MAX_TEXT_CHARS).
    """
    context, status = _issue_suggestions(request.user, request.POST.get("issues", ""))
    return render(request, "needs/_suggestions.html", context, status=status)


@role_required(*STAFF)
@domain_errors_to_http
def hearing_detail(request, pk: int):
    h = selectors.hearing_get(user=request.user, pk=pk)
    history = selectors.hearing_history(user=request.user, municipality=h.municipality)
    step_labels, measure_labels, system_labels = shown_labels(STEP_STATUSES), shown_labels(MEASURE_STATUSES), shown_labels(SYSTEM_STATUSES)
    steps = [(data_label(label), step_labels.get(h.step_status(code), "—")) for code, label in STEPS]
    measures = [(data_label(g_label), [(data_label(label), measure_labels.get(h.measure_status(code), "—"),
                            (h.measures.get(code) or {}).get("note", ""))
                           for code, label, group in MEASURES if group == g])
                for g, g_label in MEASURE_GROUPS]
    systems = [(data_label(name), system_labels.get((h.systems.get(name) or {}).get("status"), "—"),
                (h.systems.get(name) or {}).get("planned_month", "")) for name in SYSTEMS]
    targets = [(data_label(label), h.targets.get(code)) for code, label in TIERS]
    forms = shown_labels(AppointmentForm.choices)
    return render(request, "needs/hearing_detail.html", {
        "h": h, "history": history, "steps": steps, "measures": measures, "systems": systems, "targets": targets,
        "policy": shown_labels(POLICY_STATUSES).get(h.talent_policy_status, "—"),
        "support_kind": shown_labels(SUPPORT_KINDS).get(h.support_kind, "—"),
        "forms": [forms.get(f, f) for f in h.appointment_forms],
        "roles": selectors.hearing_roles(h),
        "jds": selectors.jds_for_hearing(user=request.user, hearing=h),
        "can_write": permissions.can_edit_hearing(user=request.user, municipality=h.municipality)})


@role_required(*STAFF)
@domain_errors_to_http
def hearing_template(request):
    """A blank, versioned hearing sheet: one municipality (?municipality=CODE) or all in the user's scope.

    ?prefill=1 writes each municipality's latest earlier answers into the rows, with the new year.
    """
    content, name = selectors.hearing_template_workbook(
        user=request.user, fiscal_year=_year(request), municipality=request.GET.get("municipality") or None,
        prefill=request.GET.get("prefill") == "1")
    return _xlsx(content, name)


@role_required(*WRITERS)  # a record export: national users read the roll-up instead (can_export_hearings)
@domain_errors_to_http
def hearing_export(request):
    """Every record of the year in scope, in the template's layout."""
    year = _year(request)
    content = services.hearing_export(actor=request.user, fiscal_year=year,
                                      prefecture=request.GET.get("prefecture") or None, request=request)
    return _xlsx(content, f"hearing_{year}.xlsx")


SHOWN_IMPORT_ERRORS = 200  # on the page; the rest are counted and in the downloadable list


def _upload_page(request, *, status: int = 200, field_error: str = "", exc=None, files=()):
    errors = list(exc.errors) if exc is not None else []
    return render(request, "needs/hearing_upload.html", {
        "field_error": field_error, "errors": errors[:SHOWN_IMPORT_ERRORS], "total": len(errors),
        "more": max(len(errors) - SHOWN_IMPORT_ERRORS, 0), "message": exc.message if exc is not None else "",
        "batch": exc.batch if exc is not None else None, "files": files,
        "max_bytes": size_text(services.hearing_import_max_bytes()), "limits": services.hearing_import_limits(),
        "clear_marker": CLEAR_MARKER}, status=status)


@role_required(*WRITERS)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def hearing_upload(request):
    """Upload → a preview (nothing written yet). The size is checked before a file is read into memory."""
    if request.method == "GET":
        require(permissions.can_import_hearings(user=request.user), _("ヒアリングシートを取り込む権限がありません。"))
        return _upload_page(request)
    uploads = request.FILES.getlist("files")
    try:
        files = read_uploads(uploads, max_bytes=services.hearing_import_max_bytes())
        batch = services.hearing_import_preview(actor=request.user, files=files)
    except services.HearingImportError as exc:
        return _upload_page(request, status=400, exc=exc, files=[f.name for f in uploads])
    except ValidationError as exc:
        return _upload_page(request, status=400, field_error=exc.message)
    return redirect("needs:hearing_import_detail", pk=batch.pk)


@role_required(*WRITERS)
@domain_errors_to_http
def hearing_import_list(request):
    batches = selectors.hearing_import_batch_list(user=request.user)
    return render(request, "needs/hearing_import_list.html", {"page": paginate(request, batches)})


@role_required(*WRITERS)
@domain_errors_to_http
def hearing_import_detail(request, pk: int):
    """The preview (with 「この内容で取り込む」) or the result (with 「取り消す」), municipality by municipality."""
    batch = selectors.hearing_import_batch_get(user=request.user, pk=pk)
    changed = [e for e in batch.plan if e["changes"]]
    page = paginate(request, changed, per_page=20)
    return render(request, "needs/hearing_import_detail.html", {
        "batch": batch, "page": page, "rows": services.hearing_import_rows(list(page)),
        "unchanged": [e for e in batch.plan if not e["changes"]], "expired": services.hearing_import_expired(batch),
        "can_confirm": permissions.can_confirm_hearing_import(user=request.user, obj=batch),
        "can_undo": permissions.can_undo_hearing_import(user=request.user, obj=batch),
        "errors": batch.errors[:SHOWN_IMPORT_ERRORS], "more": max(batch.error_count - SHOWN_IMPORT_ERRORS, 0)})


@role_required(*WRITERS)
@domain_errors_to_http
@require_POST
def hearing_import_confirm(request, pk: int):
    batch = selectors.hearing_import_batch_get(user=request.user, pk=pk)
    try:
        services.hearing_import_confirm(actor=request.user, batch=batch)
    except (Conflict, ValidationError) as exc:  # a refusal by permission stays a 403
        messages.error(request, exc.message)
    else:
        c = batch.counts
        messages.success(request, _("取り込みました（新規 %(c)d件、更新 %(u)d件、変更した項目 %(n)d件）。"
                                    "この画面から取り消せます。") % {"c": c["created"], "u": c["updated"], "n": c["changes"]})
    return redirect("needs:hearing_import_detail", pk=pk)


@role_required(*WRITERS)
@domain_errors_to_http
@require_POST
def hearing_import_undo(request, pk: int):
    batch = selectors.hearing_import_batch_get(user=request.user, pk=pk)
    try:
        services.hearing_import_undo(actor=request.user, batch=batch)
    except (Conflict, ValidationError) as exc:  # a refusal by permission stays a 403
        messages.error(request, exc.message)
    else:
        messages.success(request, _("取り込みを取り消し、%(n)d件の変更を元に戻しました。") % {"n": batch.change_count})
    return redirect("needs:hearing_import_detail", pk=pk)


@role_required(*WRITERS)
@domain_errors_to_http
def hearing_import_errors(request, pk: int):
    """Every located error of a rejected upload, as CSV (the page shows the first 200)."""
    batch = selectors.hearing_import_batch_get(user=request.user, pk=pk)
    response = HttpResponse(to_csv([_("ファイル"), _("シート"), _("行"), _("列"), _("内容")], batch.errors),
                            content_type=CSV_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"hearing_import_{batch.pk}_errors.csv")
    return response


@role_required(*STAFF)
@domain_errors_to_http
def municipality_history(request, code: str):
    history = selectors.municipality_history(user=request.user, code=code)
    step_labels, system_count = shown_labels(STEP_STATUSES), len(SYSTEMS)
    records = history.records
    rows = [
        (_("現在のステップ"), [(_("ステップ%(n)s（%(s)s）") % {
            "n": r.step_current, "s": step_labels.get(r.step_status(str(r.step_current)))}
                          if r.step_current >= 0 else _("未着手")) for r in records]),
        *[(data_label(label), [step_labels.get(r.step_status(c), "—") for r in records]) for c, label in STEPS],
        (_("標準化（移行済み業務）"), [f"{r.systems_migrated}/{system_count}（{round(r.standardisation_progress * 100)}%）"
                              for r in records]),
        (_("CIO補佐官等"), [(_("あり（外部人材）") if r.cio_adviser_external else _("あり")) if r.cio_adviser_appointed
                         else _("なし") for r in records]),
        (_("職員数"), [r.staff_total if r.staff_total is not None else "—" for r in records]),
        (_("情報担当職員数"), [(_("%(n)s（ひとり情シス）") % {"n": r.it_staff} if r.hitori_joshis else r.it_staff)
                         if r.it_staff is not None else "—" for r in records]),
        (_("DX推進リーダー数"), [r.dx_leaders if r.dx_leaders is not None else "—" for r in records]),
        (_("人材育成基本方針"), [shown_labels(POLICY_STATUSES).get(r.talent_policy_status, "—") for r in records]),
        *[(data_label(label), [shown_labels(MEASURE_STATUSES).get(r.measure_status(c), "—") for r in records])
          for c, label, _g in MEASURES],
    ]
    return render(request, "needs/municipality_history.html", {
        "history": history, "records": records, "rows": rows, "year": current_fiscal_year(),
        "can_write": permissions.can_edit_hearing(user=request.user, municipality=history.municipality)})


# --- overview ------------------------------------------------------------------------------------------------

def _map_row(r: selectors.OverviewRow, href: str) -> dict:
    rec = r.status
    if rec is None:
        title = _("%(m)s: ヒアリング未実施") % {"m": r.municipality.name}
    else:
        step = (_("ステップ%(n)s（%(s)s）") % {"n": r.step_current,
                                             "s": shown_labels(STEP_STATUSES).get(r.step_current_status)}
                if r.step_current is not None and r.step_current >= 0 else _("ステップ未着手"))
        cio = ((_("CIO補佐官等あり（外部）") if rec.cio_adviser_external else _("CIO補佐官等あり"))
               if r.cio_adviser else _("CIO補佐官等なし"))
        title = _("、").join([f"{r.municipality.name}: {step}", _("標準化%(p)s%%") % {"p": r.progress_percent}, cio]
                            + ([_("ひとり情シス")] if r.hitori else []))
    title += _("、ニーズ 募集中%(o)s件・充足%(f)s件") % {"o": r.needs_open, "f": r.needs_filled}
    return {"lat": r.municipality.lat, "lng": r.municipality.lng, "title": title, "href": href,
            "recorded": rec is not None, "step": r.step_current if r.step_current is not None else -1,
            "progress": r.progress_percent or 0, "cio": r.cio_adviser, "hitori": r.hitori,
            "cio_external": bool(rec and rec.cio_adviser_external), "open": r.needs_open, "filled": r.needs_filled}


@role_required(Role.PREFECTURE, Role.NATIONAL)
@domain_errors_to_http
def overview(request):
    params = request.GET.copy()
    params.setdefault("year", str(current_fiscal_year()))
    params.setdefault("colour", "step")
    form = OverviewFilterForm(params)
    d = form.cleaned_data if form.is_valid() else {}
    year = d.get("year") or current_fiscal_year()
    colour = d.get("colour") or "step"
    prefecture = request.GET.get("prefecture")
    if permissions.can_view_national_rollup(user=request.user) and not prefecture:
        rollup = selectors.national_rollup(user=request.user, fiscal_year=year)
        rows = [{"lat": r.prefecture.lat, "lng": r.prefecture.lng, "recorded": True, "step": 0, "progress": 0,
                 "cio": None, "hitori": None, "open": r.needs_open, "filled": r.needs_filled,
                 "coverage": r.coverage_percent,
                 "title": _("%(p)s: ヒアリング%(r)s/%(m)s団体（%(c)s%%）") % {
                     "p": r.prefecture.name, "r": r.recorded, "m": r.municipalities, "c": r.coverage_percent}
                          + _("、ニーズ 募集中%(o)s件・充足%(f)s件") % {"o": r.needs_open, "f": r.needs_filled},
                 "href": f"{reverse('needs:overview')}?prefecture={r.prefecture.code}&year={year}"}
                for r in rollup.prefectures]
        svg = build_map(rows, colour="needs", width=560)
        # ?hearing=none (the national home's work list): the table lists only the prefectures with no hearing
        # record of the year; the map keeps every prefecture.
        no_hearing = request.GET.get("hearing") == "none"
        table = [r for r in rollup.prefectures if not r.recorded] if no_hearing else rollup.prefectures
        return render(request, "needs/overview_national.html", {"rollup": table, "year": year,
                                                                "svg": svg, "form": form, "no_hearing": no_hearing,
                                                                "personas": rollup.personas})
    filters = selectors.OverviewFilters(
        step=int(d["step"]) if d.get("step") not in (None, "") else None, hitori=bool(d.get("hitori")),
        no_cio_adviser=bool(d.get("no_cio_adviser")), std_below=d.get("std_below"), needs=d.get("needs") or None,
        missing=bool(d.get("missing")))
    ov = selectors.overview(user=request.user, fiscal_year=year, prefecture=prefecture, filters=filters)
    kept = {r.municipality.pk for r in ov.rows}
    # The history is a page of records; national users are led to the municipality's reference page instead.
    history = permissions.can_view_records(user=request.user)
    link = "needs:municipality_history" if history else "places:municipality_detail"
    map_rows = [{**_map_row(r, reverse(link, args=[r.municipality.code])),
                 "dim": r.municipality.pk not in kept} for r in ov.all_rows]
    svg = build_map(map_rows, colour=colour)
    return render(request, "needs/overview.html", {"ov": ov, "svg": svg, "form": form, "year": year,
                                                   "colour": colour, "prefecture_param": prefecture or "",
                                                   "filtered": len(ov.rows) < ov.total, "history_links": history})


# --- job descriptions ------------------------------------------------------------------------------------------

@role_required(*STAFF)
@domain_errors_to_http
def jd_list(request):
    if not permissions.can_view_records(user=request.user):
        return _to_rollup(request)
    g = request.GET
    try:
        jds = selectors.jd_list(user=request.user, status=g.get("status") or None, persona=g.get("persona") or None,
                                municipality=g.get("municipality") or None)
    except ValidationError as exc:
        messages.error(request, exc.message)
        jds = []
    groupings = (places.grouping_scope(user=request.user) if permissions.can_create_joint_jd(user=request.user)
                 else [])
    return render(request, "needs/jd_list.html", {"page": paginate(request, jds), "statuses": JDStatus.choices,
                                                  "personas": PERSONA_CHOICES, "filters": g, "groupings": groupings,
                                                  "can_write": request.user.role in WRITERS})


def _jd_default_data() -> dict:
    year = current_fiscal_year()
    return {"persona": PERSONA_CODES[0], "days_per_week": 1, "hours_per_week": 8, "onsite_days_per_month": 2,
            "remote_ok": True, "pay_unit": "month", "appointment_forms": [AppointmentForm.CONTRACT],
            "period_from": date(year + 1, 4, 1), "period_to": date(year + 2, 3, 31), "weight": 1.0,
            "coi_applies": False, "skills": []}


@role_required(*WRITERS)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def jd_new(request):
    """A blank JD for a municipality (?municipality=CODE) or, for the prefecture, jointly for ?grouping=ID."""
    municipality = grouping = None
    src = request.POST if request.method == "POST" else request.GET
    if src.get("grouping"):
        grouping = places.grouping_get(user=request.user, pk=id_param(src["grouping"]))
    else:
        code = src.get("municipality") or (request.user.organisation.municipality.code
                                          if request.user.role == Role.MUNICIPALITY else None)
        if not code:
            raise NotFound("市町村を指定してください。")
        municipality = places.municipality_get(user=request.user, code=code)
    form = JobDescriptionForm(request.POST or None, initial=JobDescriptionForm.initial_from(_jd_default_data()),
                              submitting=_submitting(request))
    if request.method == "POST" and form.is_valid():
        return _jd_save(request, form, municipality=municipality, grouping=grouping)
    return _jd_form_page(request, form, municipality=municipality, grouping=grouping)


@role_required(*WRITERS)
@domain_errors_to_http
@require_POST
def jd_from_hearing(request, pk: int):
    hearing = selectors.hearing_get(user=request.user, pk=pk)
    try:
        jd = services.jd_draft_from_hearing(actor=request.user, hearing=hearing, persona=request.POST.get("persona", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("needs:hearing_detail", pk=hearing.pk)
    messages.success(request, _("提案された人材像でジョブディスクリプションの下書きを作成しました。内容を確認し、受入れ体制などを入力してください。"))
    return redirect("needs:jd_edit", pk=jd.pk)


@role_required(*STAFF)
@domain_errors_to_http
def jd_detail(request, pk: int):
    doc = selectors.jd_document(user=request.user, pk=pk)
    jd, v = doc.jd, doc.version
    need = getattr(jd, "need", None) if jd.status != JDStatus.DRAFT else None
    # The checklist is shown once, in the document's sections; it is ticked in the JD form.
    return render(request, "needs/jd_detail.html", {
        "jd": jd, "v": v, "sections": doc.sections, "versions": selectors.jd_version_history(user=request.user, pk=pk),
        "can_write": permissions.can_edit_jd(user=request.user, obj=jd), "need": need})


@role_required(*WRITERS)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def jd_edit(request, pk: int):
    jd = selectors.jd_get(user=request.user, pk=pk)
    require(permissions.can_edit_jd(user=request.user, obj=jd), "このジョブディスクリプションを編集する権限がありません。")
    if jd.status != JDStatus.DRAFT:
        messages.error(request, _("提出済み・取下げ済みのジョブディスクリプションは編集できません。"))
        return redirect("needs:jd_detail", pk=jd.pk)
    content = services.jd_content(version=jd.latest)
    form = JobDescriptionForm(request.POST or None, initial=JobDescriptionForm.initial_from(content),
                              checklist=jd.checklist, submitting=_submitting(request))
    if request.method == "POST" and form.is_valid():
        return _jd_save(request, form, jd=jd)
    return _jd_form_page(request, form, jd=jd)


def _submitting(request) -> bool:
    """The JD form has two buttons: 「下書きとして保存する」 and 「都道府県に提出する」 (name="action")."""
    return request.method == "POST" and request.POST.get("action") == "submit"


def _jd_form_page(request, form, *, jd=None, municipality=None, grouping=None):
    return render(request, "needs/jd_form.html", {
        "form": form, "jd": jd, "standard": jd.latest.standard_terms if jd and jd.latest else {},
        "checklist_rows": [(form[name], (jd.checklist if jd else {}).get(name.removeprefix("checklist__")))
                           for name in form.checklist_fields],
        "checklist_source": CHECKLIST_SOURCE, "activity_items": ACTIVITY_CHECKLIST,
        "municipality": municipality, "grouping": grouping})


def _jd_save(request, form, *, jd=None, municipality=None, grouping=None):
    """One submit of the JD form: content, checklist and (with 「都道府県に提出する」) the submission together."""
    submit = form.submitting
    try:
        saved = services.jd_save(actor=request.user, data=form.to_data(), checked=form.checked(), jd=jd,
                                 municipality=municipality, grouping=grouping, submit=submit,
                                 change_note=form.cleaned_data.get("change_note") or "")
    except DomainError as exc:
        _form_error(form, exc)  # a field the form lacks ("checklist") becomes a form-wide error
        return _jd_form_page(request, form, jd=jd, municipality=municipality, grouping=grouping)
    if saved.need is not None:
        messages.success(request, _("都道府県に提出しました。ニーズ「%(t)s」として募集を開始します。") % {"t": saved.need.title})
    elif jd is None:
        messages.success(request, _("ジョブディスクリプションの下書きを作成しました。"))
    elif saved.version is None:
        messages.info(request, _("変更がないため、新しい版は作りませんでした（チェックリストは保存しました）。"))
    else:
        messages.success(request, _("第%(n)d版として保存しました。") % {"n": saved.version.number})
    return redirect("needs:jd_detail", pk=saved.jd.pk)


@role_required(*STAFF)
@domain_errors_to_http
def jd_version(request, pk: int, number: int):
    doc = selectors.jd_document(user=request.user, pk=pk, number=number)
    return render(request, "needs/jd_version.html", {"jd": doc.jd, "v": doc.version, "sections": doc.sections,
                                                     "changes": doc.changes})


def _document(request, pk: int) -> selectors.JDDocument:
    """The version asked for with ?version=N (the latest without it)."""
    number = request.GET.get("version")
    return selectors.jd_document(user=request.user, pk=pk,
                                 number=int(number) if number and number.isdigit() else None)


def _meta_line(jd, v) -> str:
    def ymd(dt) -> str:
        return date_format(timezone.localtime(dt), "DATE_FORMAT")

    line = _("%(owner)s ／ 第%(n)s版（%(saved)s保存）／ 状態: %(status)s") % {
        "owner": jd.owner_name, "n": v.number, "saved": ymd(v.created_at), "status": jd.get_status_display()}
    return line + (_(" ／ 提出: %(at)s") % {"at": ymd(jd.submitted_at)} if jd.submitted_at else "")


@role_required(*STAFF)
@domain_errors_to_http
def jd_print(request, pk: int):
    doc = _document(request, pk)
    return render(request, "needs/jd_print.html", {"jd": doc.jd, "v": doc.version, "sections": doc.sections,
                                                   "meta": _meta_line(doc.jd, doc.version)})


@role_required(*STAFF)
@domain_errors_to_http
def jd_pdf(request, pk: int):
    from dxpool.needs.pdf import jd_pdf as render_pdf

    doc = _document(request, pk)
    jd, v = doc.jd, doc.version
    content = render_pdf(jd=jd, version=v, meta=_meta_line(jd, v), sections=doc.sections)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"JD_{jd.owner_name}_{jd.pk}_v{v.number}.pdf")
    return response


@role_required(*WRITERS)
@domain_errors_to_http
@require_POST
def jd_submit(request, pk: int):
    jd = selectors.jd_get(user=request.user, pk=pk)
    try:
        need = services.jd_submit(actor=request.user, jd=jd)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("needs:jd_edit", args=[jd.pk]) + "#checklist")
    messages.success(request, _("都道府県に提出しました。ニーズ「%(t)s」として募集を開始します。") % {"t": need.title})
    return redirect("needs:jd_detail", pk=jd.pk)


@role_required(*WRITERS)
@domain_errors_to_http
@require_POST
def jd_withdraw(request, pk: int):
    jd = selectors.jd_get(user=request.user, pk=pk)
    try:
        services.jd_withdraw(actor=request.user, jd=jd, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("ジョブディスクリプションを取り下げました。"))
    return redirect("needs:jd_detail", pk=jd.pk)


# --- needs ---------------------------------------------------------------------------------------------------

@role_required(*STAFF)
@domain_errors_to_http
def need_list(request):
    if not permissions.can_view_records(user=request.user):
        return _to_rollup(request)
    try:
        needs = selectors.need_list(user=request.user, status=request.GET.get("status") or None,
                                    persona=request.GET.get("persona") or None)
    except ValidationError as exc:
        messages.error(request, exc.message)
        needs = []
    return render(request, "needs/need_list.html", {"page": paginate(request, needs), "statuses": NeedStatus.choices,
                                                    "personas": PERSONA_CHOICES, "filters": request.GET})


@role_required(*STAFF)
@domain_errors_to_http
def need_detail(request, pk: int):
    need = selectors.need_get(user=request.user, pk=pk)
    forms = shown_labels(AppointmentForm.choices)
    return render(request, "needs/need_detail.html", {
        "need": need, "forms": [forms.get(f, f) for f in need.appointment_forms],
        "allowed": selectors.need_actions(user=request.user, need=need)})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def need_status(request, pk: int):
    need = selectors.need_get(user=request.user, pk=pk)
    try:
        services.need_set_status(actor=request.user, need=need, status=request.POST.get("status", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("ニーズの状態を「%(s)s」にしました。") % {"s": need.get_status_display()})
    return redirect("needs:need_detail", pk=need.pk)

