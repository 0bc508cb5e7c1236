"""What every page needs: the access door, role routing and the defaults of intake.

Which pages a user's roles open is ``permissions.rules``; this module only applies it.

Views stay thin: parse a form → call one service → render, mapping the service errors
(``casework.errors``) to what a person can act on.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from permissions import rules
from permissions.access import assignments_of
from permissions.roles import RoleCode
from triage import labels as TL

from ..errors import CaseNotFound
from ..models import AreaKind, OrganisationKind
from ..selectors import case_for_user

LOGIN_URL = reverse_lazy("web:login")


def login_required(view):
    return _login_required(view, login_url=LOGIN_URL)


def access_or_404(user, case_id):
    """The one door: an unseen case is a 404 exactly like a missing one."""
    try:
        return case_for_user(user, case_id)
    except CaseNotFound:
        raise Http404(_("Case not found.")) from None


def content_or_404(user, case_id):
    access = access_or_404(user, case_id)
    if not access.content_visible:
        raise Http404(_("Case not found."))
    return access


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return default


# ------------------------------------------------------------------ what the user's roles open

def page_or_403(access, page: str) -> None:
    """A page of one case that needs more than seeing it (``permissions.rules.CASE_PAGES``)."""
    if not rules.may_open_case_page(access, page):
        raise PermissionDenied


def require_page(page: str):
    """A desk page (work list, approvals, area overview) opens only for the roles it serves."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not rules.may_use_page(request.user, page):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def role_codes(user) -> list[str]:
    return [a.role.code for a in assignments_of(user)]


HOME_FOR_ROLE = [
    (RoleCode.OFFICER, "web:worklist"),
    (RoleCode.CHAIR, "web:approvals"),
    (RoleCode.SUPERVISOR, "web:area"),
    (RoleCode.SCHOOL, "web:my_reports"),
    (RoleCode.POLICE, "web:tasks"),
    (RoleCode.HEALTH, "web:tasks"),
    (RoleCode.JUSTICE, "web:tasks"),
    (RoleCode.VILLAGE, "web:tasks"),
    (RoleCode.PROVIDER, "web:tasks"),
    (RoleCode.HOTLINE, "web:cases"),
]


def home_url_for(user) -> str | None:
    codes = set(role_codes(user))
    for code, name in HOME_FOR_ROLE:
        if code in codes:
            return reverse(name)
    return None


# The desk pages in menu order; each opens as ``rules.may_use_page`` says.
NAV = [
    ("web:worklist", "worklist", _("Work list")),
    ("web:approvals", "approvals", _("Approvals")),
    ("web:area", "area", _("Area overview")),
    ("web:my_reports", "my_reports", _("My reports")),
    ("web:tasks", "tasks", _("Tasks")),
    ("web:cases", "cases", _("Cases")),
    ("web:intake_start", "intake", _("New report")),
    ("triage:queue", "triage", TL.QUEUE_NAV),
    ("reports:dashboard", "reports", _("Reports and figures")),
    ("prevention:plans", "prevention", _("Prevention")),
]


def nav_links(user) -> list[tuple[str, str]]:
    """(url name, label) of the pages this user's roles open, in a fixed order."""
    return [(name, label) for name, page, label in NAV if rules.may_use_page(user, page)]


# ------------------------------------------------------------------ places and bodies

def communes_for_user(user) -> list[tuple[int, str]]:
    """Current communes of the provinces the user works in (choices for intake)."""
    return list(rules.intake_communes(user).order_by("name").values_list("pk", "name"))


def default_commune_for_user(user) -> int | None:
    """The commune of the reporter's organisation (a school's commune, a village's commune)."""
    for a in assignments_of(user):
        area = a.organisation.area
        if area.kind == AreaKind.COMMUNE:
            return area.pk
        if area.kind == AreaKind.VILLAGE and area.parent_id:
            return area.parent_id
    return None


def default_school_for_user(user) -> int | None:
    for a in assignments_of(user):
        if a.organisation.kind == OrganisationKind.SCHOOL:
            return a.organisation_id
    return None
