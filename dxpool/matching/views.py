"""Matching pages: start runs, watch progress, review and send proposals, answer them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dxpool.accounts.models import Role
from dxpool.core.errors import DomainError
from dxpool.core.web import domain_errors_to_http, id_param, paginate, role_required
from dxpool.matching import selectors, services
from dxpool.matching.forms import AnswerForm, RunForm, WithdrawForm


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_list(request):
    form = RunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            run = services.matchrun_start(actor=request.user, mode=d["mode"], optimal_side=d["optimal_side"],
                                          require_training=d["require_training"], max_assignments=d["max_assignments"],
                                          weights={"priority": d["priority"], "distance": d["distance"]})
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("matching:run_detail", pk=run.pk)
    return render(request, "matching/run_list.html", {"form": form,
                                                      "page": paginate(request, selectors.run_scope(user=request.user))})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_detail(request, pk: int):
    review = selectors.run_review(user=request.user, pk=pk)
    return render(request, "matching/run_detail.html", {
        "run": review.run, "proposals": review.proposals, "unfilled": review.unfilled,
        "finished": review.finished, "can_send": review.can_send, "can_rerun": review.can_rerun,
        "summary": review.summary, "other_runs": review.other_runs})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_progress(request, pk: int):
    """The progress fragment the run page polls (HTMX) until the run finishes."""
    run = selectors.run_get(user=request.user, pk=pk)
    response = render(request, "matching/_progress.html", {"run": run, "finished": run.is_finished})
    if run.is_finished:
        response["HX-Refresh"] = "true"  # reload once to show the proposals
    return response


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def run_rerun(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    new = services.matchrun_rerun(actor=request.user, parent=run)
    messages.success(request, _("条件を引き継いで再実行しました（what-if）。"))
    return redirect("matching:run_detail", pk=new.pk)


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_send_confirm(request, pk: int):
    """The confirmation step before sending: 「N件の提案を送付します。よろしいですか」 with what will be sent.

    A GET (it changes nothing): the run page's checkboxes submit here, and the page's own POST form sends.
    """
    preview = selectors.send_preview(user=request.user, run_id=pk,
                                     proposal_ids=[id_param(v) for v in request.GET.getlist("proposal")],
                                     all_proposed=request.GET.get("all") == "1")
    if not preview.chosen:
        messages.error(request, _("送付する提案を選んでください。"))
        return redirect("matching:run_detail", pk=pk)
    return render(request, "matching/send_confirm.html", {
        "run": preview.run, "proposals": preview.proposals, "problem": preview.problem})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def run_send(request, pk: int):
    """Send exactly the proposals the confirmation page listed (its hidden ids); nothing without a choice."""
    run = selectors.run_get(user=request.user, pk=pk)
    try:
        n = services.proposals_send(actor=request.user, run=run,
                                    proposal_ids=[id_param(v) for v in request.POST.getlist("proposal")])
        messages.success(request, _("%(n)d件の提案を市町村と人材に送付しました。") % {"n": n})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:run_detail", pk=run.pk)


@role_required(Role.PREFECTURE)
@domain_errors_to_http
def run_compare(request, pk: int):
    """Run `pk` against another run of the prefecture (`?other=`; a what-if's parent by default): pairs added,
    removed and changed. A GET that changes nothing; the other run is chosen with a plain form (no JavaScript)."""
    other = request.GET.get("other", "").strip()
    comparison = selectors.run_compare(user=request.user, pk=pk, other_pk=id_param(other) if other else None)
    return render(request, "matching/run_compare.html", {"c": comparison, "run": comparison.run})


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_POST
def pair_rule(request, pk: int):
    """Lock / exclude / clear the pair of one proposal of a run."""
    proposal = selectors.proposal_in_run(user=request.user, run_id=pk, pk=id_param(request.POST.get("proposal")))
    if proposal is None:
        messages.error(request, _("指定された提案がこの実行にありません。画面を更新してやり直してください。"))
        return redirect("matching:run_detail", pk=pk)
    try:
        services.pair_rule_set(actor=request.user, need=proposal.need, profile=proposal.profile,
                               kind=request.POST.get("kind", ""), reason=request.POST.get("reason", ""))
        messages.success(request, _("次回の実行に反映されます。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:run_detail", pk=pk)


@role_required(Role.MUNICIPALITY, Role.TALENT, Role.PREFECTURE)
@domain_errors_to_http
def proposal_list(request):
    waiting = request.GET.get("waiting") == "1"  # the home page's link: only those waiting for an answer
    page = selectors.proposal_list(user=request.user, waiting=waiting, page=request.GET.get("page"))
    return render(request, "matching/proposal_list.html", {"page": page, "proposals": page, "waiting": waiting})


@role_required(Role.MUNICIPALITY, Role.TALENT)
@domain_errors_to_http
@require_POST
def proposal_answer(request, pk: int):
    """Record one side's answer from the proposal's page; a refused answer shows the page again with the error."""
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_answer(actor=request.user, proposal=proposal,
                                     accept=request.POST.get("answer") == "accept",
                                     reason=form.cleaned_data.get("reason", ""))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("回答を記録しました。"))
            return redirect("matching:proposal_detail", pk=pk)
    return _proposal_page(request, pk, form)


def _proposal_page(request, pk: int, form):
    detail = selectors.proposal_detail(user=request.user, pk=pk)
    return render(request, "matching/proposal_detail.html", {"d": detail, "p": detail.proposal, "form": form})


@role_required(Role.MUNICIPALITY, Role.TALENT, Role.PREFECTURE)
@domain_errors_to_http
def proposal_detail(request, pk: int):
    """The proposal as its readers judge it: whom, for what, why, and who has answered; the answer form."""
    return _proposal_page(request, pk, AnswerForm())


@role_required(Role.PREFECTURE)
@domain_errors_to_http
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request, pk: int):
    """Withdrawing a sent proposal: a page of its own that asks for the reason and says what follows."""
    proposal = selectors.proposal_get_withdrawable(user=request.user, pk=pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(actor=request.user, proposal=proposal, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("提案を取り下げました。市町村と人材に取り下げと理由が表示されます。"))
            return redirect("matching:proposal_detail", pk=pk)
    return render(request, "matching/proposal_withdraw.html", {"p": proposal, "form": form})

