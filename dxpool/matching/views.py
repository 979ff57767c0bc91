"""Matching pages: start runs, watch progress, review and send proposals, answer them."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dxpool.accounts.models import Role
from dxpool.core.errors import DomainError
from dxpool.core.web import domain_errors_to_http, id_param, paginate, role_required
from dxpool.matching import selectors, services
from dxpool.matching.forms import AnswerForm, RunForm


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
        "finished": review.finished, "can_send": review.can_send, "can_rerun": review.can_rerun})


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
    proposals = selectors.proposal_list(user=request.user)
    return render(request, "matching/proposal_list.html", {"proposals": proposals, "form": AnswerForm()})


@role_required(Role.MUNICIPALITY, Role.TALENT)
@domain_errors_to_http
@require_POST
def proposal_answer(request, pk: int):
    proposal = selectors.proposal_get_for(user=request.user, pk=pk)
    form = AnswerForm(request.POST)
    form.is_valid()
    try:
        services.proposal_answer(actor=request.user, proposal=proposal, accept=request.POST.get("answer") == "accept",
                                 reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("回答を記録しました。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("matching:proposal_list")

