"""Pages for municipalities and groupings. Thin: parse, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxpool.accounts.models import Role
from dxpool.core.errors import Conflict, ValidationError
from dxpool.core.web import domain_errors_to_http, paginate, role_required
from dxpool.places import selectors, services
from dxpool.places.forms import GroupingForm, MunicipalityFilterForm

STAFF = (Role.NATIONAL, Role.PREFECTURE, Role.MUNICIPALITY)


@role_required(*STAFF)
@domain_errors_to_http
def municipality_list(request):
    form = MunicipalityFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.municipality_list(user=request.user, **{k: v for k, v in filters.items() if v})
    return render(request, "places/municipality_list.html", {"form": form, "page": paginate(request, qs)})


@role_required(*STAFF)
@domain_errors_to_http
def municipality_detail(request, code: str):
    municipality = selectors.municipality_get(user=request.user, code=code)
    groupings = selectors.groupings_of(user=request.user, municipality=municipality)
    return render(request, "places/municipality_detail.html", {"municipality": municipality, "groupings": groupings})


@role_required(*STAFF)
@domain_errors_to_http
def grouping_list(request):
    qs = selectors.grouping_list(user=request.user, q=request.GET.get("q"))
    return render(request, "places/grouping_list.html", {"page": paginate(request, qs), "q": request.GET.get("q", "")})


@role_required(*STAFF)
@domain_errors_to_http
def grouping_detail(request, pk: int):
    grouping = selectors.grouping_get(user=request.user, pk=pk)
    return render(request, "places/grouping_detail.html", {"grouping": grouping})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def grouping_edit(request, pk: int | None = None):
    grouping = selectors.grouping_get(user=request.user, pk=pk) if pk else None
    prefecture = request.user.organisation.prefecture
    initial = {}
    if grouping:
        initial = {"name": grouping.name, "kind": grouping.kind, "note": grouping.note,
                   "members": list(grouping.members.all())}
    form = GroupingForm(request.POST or None, initial=initial, prefecture=prefecture)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        codes = [m.code for m in data["members"]]
        try:
            if grouping:
                grouping = services.grouping_update(actor=request.user, grouping=grouping, name=data["name"],
                                                    kind=data["kind"], member_codes=codes, note=data["note"])
            else:
                grouping = services.grouping_create(actor=request.user, name=data["name"], kind=data["kind"],
                                                    member_codes=codes, note=data["note"])
        except ValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("広域連携「%(name)s」を保存しました。") % {"name": grouping.name})
            return redirect("places:grouping_detail", pk=grouping.pk)
    return render(request, "places/grouping_form.html", {"form": form, "grouping": grouping})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def grouping_delete(request, pk: int):
    grouping = selectors.grouping_get(user=request.user, pk=pk)
    name = grouping.name
    try:
        services.grouping_delete(actor=request.user, grouping=grouping)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("places:grouping_detail", pk=grouping.pk)
    messages.success(request, _("広域連携「%(name)s」を削除しました。") % {"name": name})
    return redirect("places:grouping_list")


@login_required
@role_required(Role.NATIONAL)
def prefecture_list(request):
    return render(request, "places/prefecture_list.html", {"prefectures": selectors.prefecture_list(user=request.user)})
