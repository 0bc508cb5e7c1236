"""The periodic report's machine (seed plans §V "Chế độ báo cáo"; DOMAIN.md §5).

draft → submitted (the officer hands it to the head) → signed (the head) → sent (to the body
above; the figures are frozen) → received, or returned with a request for a supplement, after
which the body revises and submits again. The head may also send an unsigned draft back.

Pure, like ``workflows.flows``: it wraps the report, reads the actor's capabilities on it
(``permissions.reports.report_caps``) and never touches the database.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop
from viewflow import fsm

from permissions.roles import Capability as C
from workflows.flows import Machine, allowed, condition, stored_in

from .models import ReportStatus as R


class ReportFlow(Machine):
    state = stored_in(fsm.State(R, default=R.DRAFT), "status")

    @state.transition(source=[R.DRAFT, R.RETURNED], target=R.SUBMITTED, permission=allowed(C.REPORT_DRAFT),
                      conditions=[condition(lambda f: f.obj.results.strip(),
                                            gettext_noop("Write the results section before submitting."))])
    def submit(self):
        pass

    @state.transition(source=R.SUBMITTED, target=R.DRAFT, permission=allowed(C.REPORT_SIGN))
    def send_back(self):
        pass

    @state.transition(source=R.SUBMITTED, target=R.SIGNED, permission=allowed(C.REPORT_SIGN))
    def sign(self):
        pass

    @state.transition(source=R.SIGNED, target=R.SENT, permission=allowed(C.REPORT_DRAFT),
                      conditions=[condition(lambda f: f.obj.recipient_id is not None,
                                            gettext_noop("This body has no body above to send to."))])
    def send(self):
        pass

    @state.transition(source=R.SENT, target=R.RECEIVED, permission=allowed(C.REPORT_RECEIVE))
    def receive(self):
        pass

    @state.transition(source=R.SENT, target=R.RETURNED, permission=allowed(C.REPORT_RECEIVE))
    def return_for_supplement(self):
        pass


EDITABLE = frozenset({R.DRAFT, R.RETURNED})
