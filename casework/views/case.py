"""Journey B, the pages: the case page with every action the user may take now, and the
chairperson's one-screen approval with the full file.

What is offered comes from the offer model (``selectors.offers.case_actions_for``); the forms
for it from ``actions.WEB_ACTIONS``. A child's identity reaches the page only through
``access_log.reveal_child``, which logs the read.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from permissions import rules

from .. import access_log
from ..models import ClockState
from ..selectors import case_clocks_for, case_records, identity_visible, masked_child
from ..selectors.offers import case_actions_for
from ._common import access_or_404, content_or_404, login_required, page_or_403
from .actions import form_for
from .offer_forms import attach_to_records, prepare
from .printing import available_forms


def case_context(request, access, *, bound=None, reveal=False) -> dict:
    case = access.case
    records = case_records(case)
    offers = prepare(case_actions_for(access, records), case, bound)
    case_offers = attach_to_records(offers, records)
    if identity_visible(access) and reveal:
        identity = access_log.reveal_child(access, channel="page", purpose=_("case page"))
    elif identity_visible(access):
        identity = None   # shown only on request ("show identity"), so each read is deliberate
    else:
        identity = access_log.reveal_child(access, channel="page")  # masked; logged only via a grant
    plan_list = records["plans"]
    return {
        "access": access, "case": case, "case_id": case.pk, "version": case.version, "records": records,
        "offers": case_offers, "offered": {o.key for o in offers if o.enabled},
        "clocks": case_clocks_for(access),
        "identity": identity, "masked": masked_child(case.child), "can_reveal": identity_visible(access) and not reveal,
        "current_plan": plan_list[0] if plan_list else None,
        "can_audit": rules.may_open_case_page(access, "readers"),
        "any_bound": bool(bound),
        "clock_states": dict(ClockState.choices),
        "forms": available_forms(case, records),
    }


@login_required
def case_detail(request, case_id):
    access = access_or_404(request.user, case_id)
    if not access.content_visible:
        return render(request, "casework/case_status.html", {"case": access.case,
                                                             "masked": masked_child(access.case.child)})
    reveal = request.GET.get("identity") == "1"
    return render(request, "casework/case_detail.html", case_context(request, access, reveal=reveal))


# ------------------------------------------------------------------ chairperson: one-screen approval

def approval_context(request, access, *, bound=None) -> dict:
    """The file of art. 28.2 and the two decisions the chairperson may take on it."""
    case = access.case
    bound = bound or {}
    records = case_records(case)
    submitted = next((p for p in records["plans"] if p.status == "submitted"), None)
    offers = {o.key: o for o in case_actions_for(access, records) if not o.spec.record}
    approve, give_back = offers.get("plan_approve"), offers.get("plan_return")
    return {
        "access": access, "case": case, "records": records, "plan": submitted,
        "can_decide": bool(approve and approve.enabled),
        "identity": access_log.reveal_child(access, channel="page", purpose=_("plan approval")),
        "approve_form": form_for(approve, case, bound=bound.get("plan_approve")) if approve else None,
        "return_form": form_for(give_back, case, bound=bound.get("plan_return")) if give_back else None,
        "clocks": case_clocks_for(access),
    }


@login_required
def case_approval(request, case_id):
    access = content_or_404(request.user, case_id)
    page_or_403(access, "approval")
    return render(request, "casework/approval.html", approval_context(request, access))
