"""Pages for hearing records (課題・ニーズ把握), the Excel hearing sheet, role suggestions and needs."""

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxpool.accounts.models import Role
from dxpool.core.errors import DomainError
from dxpool.core.web import domain_errors_to_http, paginate, role_required
from dxpool.exchange.tabular import XLSX_TYPE
from dxpool.needs import selectors, services
from dxpool.needs.excel import write_workbook
from dxpool.needs.reference import MEASURE_STATUSES, MEASURES, STEP_STATUSES, STEPS, SYSTEM_STATUSES, SYSTEMS
from dxpool.needs.suggestion import suggest, suggestion_to_dict
from dxpool.places.selectors import municipality_scope

STAFF = (Role.NATIONAL, Role.PREFECTURE, Role.MUNICIPALITY)


def _fiscal_year(request) -> int:
    try:
        return int(request.GET.get("year", ""))
    except ValueError:
        today = date.today()
        return today.year if today.month >= 4 else today.year - 1


@role_required(*STAFF)
@domain_errors_to_http
def hearing_list(request):
    year = _fiscal_year(request)
    qs = selectors.hearing_scope(user=request.user).filter(fiscal_year=year)
    if request.GET.get("hitori") == "1":
        qs = qs.filter(it_staff__lte=1)
    return render(request, "needs/hearing_list.html", {"page": paginate(request, qs), "year": year,
                                                       "hitori": request.GET.get("hitori") == "1"})


@role_required(*STAFF)
@domain_errors_to_http
def hearing_detail(request, pk: int):
    h = selectors.hearing_get(user=request.user, pk=pk)
    history = selectors.hearing_scope(user=request.user).filter(municipality=h.municipality).order_by("fiscal_year")
    steps = [(label, dict(STEP_STATUSES).get(h.steps.get(code, {}).get("status"), "—")) for code, label in STEPS]
    measures = [(label, dict(MEASURE_STATUSES).get(h.measures.get(code, {}).get("status"), "—"))
                for code, label in MEASURES]
    systems = [(name, dict(SYSTEM_STATUSES).get(h.systems.get(name, {}).get("status"), "—"),
                h.systems.get(name, {}).get("planned_month", "")) for name in SYSTEMS]
    suggestion = suggestion_to_dict(suggest(h.issues)) if h.issues else {"personas": []}
    return render(request, "needs/hearing_detail.html", {"h": h, "history": history, "steps": steps,
                                                         "measures": measures, "systems": systems,
                                                         "suggestion": suggestion})


@role_required(Role.PREFECTURE, Role.MUNICIPALITY)
def hearing_template(request):
    """A blank, versioned hearing sheet for the user's municipalities."""
    year = _fiscal_year(request)
    rows = [(m.code, m.name, year) for m in municipality_scope(user=request.user).order_by("code")]
    response = HttpResponse(write_workbook(blank_rows=rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="hearing-template-{year}.xlsx"'
    return response


@role_required(Role.PREFECTURE, Role.NATIONAL, Role.MUNICIPALITY)
def hearing_export(request):
    year = _fiscal_year(request)
    records = selectors.hearing_scope(user=request.user).filter(fiscal_year=year)
    response = HttpResponse(write_workbook(records), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="hearing-{year}.xlsx"'
    return response


@role_required(Role.PREFECTURE, Role.MUNICIPALITY)
@require_POST
def hearing_upload(request):
    files = [(f.name, f.read()) for f in request.FILES.getlist("files")]
    try:
        result = services.hearing_import(actor=request.user, files=files)
    except services.HearingImportError as exc:
        return render(request, "needs/hearing_import_errors.html", {"errors": exc.errors, "message": exc.message},
                      status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("取り込みました（新規 %(c)d件、更新 %(u)d件）。") % {"c": result["created"],
                                                                                 "u": result["updated"]})
    return redirect("needs:hearing_list")


@role_required(*STAFF)
@domain_errors_to_http
def need_list(request):
    qs = selectors.need_scope(user=request.user)
    if request.GET.get("status"):
        qs = qs.filter(status=request.GET["status"])
    return render(request, "needs/need_list.html", {"page": paginate(request, qs)})
