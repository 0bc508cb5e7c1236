"""What every page needs: the access door, role routing, choices, and masking in lists.

Views stay thin: parse a form → call one service → render, mapping the service errors
(``casework.errors``) to what a person can act on.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required as _login_required
from django.db.models import Q
from django.http import Http404
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from permissions.access import assignments_of
from permissions.roles import Capability, RoleCode, Scope

from ..errors import CaseNotFound
from ..models import Area, AreaKind, Organisation, OrganisationKind
from ..selectors import case_for_user
from ..selectors import masked_child as masked_form

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


# ------------------------------------------------------------------ roles

def role_codes(user) -> list[str]:
    return [a.role.code for a in assignments_of(user)]


def has_capability(user, capability: str) -> bool:
    return any(capability in a.role.capabilities for a in assignments_of(user))


def name_search_allowed(user) -> bool:
    """Names are searchable only by users whose every case-viewing role includes the identity."""
    viewing = [a for a in assignments_of(user)
               if Capability.CASE_VIEW in a.role.capabilities or Capability.CASE_VIEW_STATUS in a.role.capabilities]
    return bool(viewing) and all(Capability.IDENTITY_VIEW in a.role.capabilities for a in viewing)


def user_organisation_ids(user) -> list[int]:
    return sorted({a.organisation_id for a in assignments_of(user)})


def task_organisation_ids(user) -> list[int]:
    """Bodies whose tasks this user carries out."""
    return sorted({a.organisation_id for a in assignments_of(user) if Capability.TASK_ACT in a.role.capabilities})


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


def nav_links(user) -> list[tuple[str, str, str]]:
    """(url name, label, key) of the pages this user's roles lead to, in a fixed order."""
    codes = set(role_codes(user))
    links = []

    def add(name, label):
        if name not in [n for n, _l in links]:
            links.append((name, label))

    if RoleCode.OFFICER in codes or RoleCode.CHAIR in codes:
        add("web:worklist", _("Work list"))
    if RoleCode.CHAIR in codes:
        add("web:approvals", _("Approvals"))
    if RoleCode.SUPERVISOR in codes:
        add("web:area", _("Area overview"))
    if codes & {RoleCode.SCHOOL, RoleCode.VILLAGE, RoleCode.POLICE, RoleCode.HEALTH}:
        add("web:my_reports", _("My reports"))
    if has_capability(user, Capability.TASK_ACT):
        add("web:tasks", _("Tasks"))
    if codes:
        add("web:cases", _("Cases"))
    if has_capability(user, Capability.CASE_OPEN):
        add("web:intake_start", _("New report"))
    if has_capability(user, Capability.REPORT_VIEW):
        add("reports:dashboard", _("Reports and figures"))
    if has_capability(user, Capability.PREVENTION_VIEW):
        add("prevention:plans", _("Prevention"))
    return links


# ------------------------------------------------------------------ places and bodies

def province_prefix(area: Area) -> str:
    parts = [p for p in area.path.split("/") if p]
    return f"/{parts[0]}/" if parts else "/"


def prefixes_of(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def communes_for_user(user) -> list[tuple[int, str]]:
    """Current communes of the provinces the user works in (choices for intake)."""
    provinces = {province_prefix(a.area) for a in assignments_of(user)}
    q = Q(pk__in=[])
    for prefix in provinces:
        q |= Q(path__startswith=prefix)
    return list(Area.objects.filter(q, kind=AreaKind.COMMUNE, valid_to__isnull=True)
                .order_by("name").values_list("pk", "name"))


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


NOT_ASSIGNABLE = (OrganisationKind.SUPERVISORY, OrganisationKind.HOTLINE)


def organisations_for_case(case) -> list[tuple[int, str]]:
    """Bodies that can take a task or measure: the commune's own (villages included) and the
    province's service providers."""
    path = case.commune.path
    above = [p for p in prefixes_of(path) if p != path]
    return list(Organisation.objects.filter(active=True)
                .filter(Q(area__path__startswith=path) | Q(area__path__in=above))
                .exclude(kind__in=NOT_ASSIGNABLE).order_by("area__path", "name").values_list("pk", "name"))


def other_communes(case) -> list[tuple[int, str]]:
    """Communes a case can be transferred to from its page: those of its province (a select of
    all 3,321 communes would weigh on every case page; other provinces go through the API)."""
    return list(Area.objects.filter(kind=AreaKind.COMMUNE, valid_to__isnull=True,
                                    path__startswith=province_prefix(case.commune))
                .exclude(pk=case.commune_id).order_by("name").values_list("pk", "name"))


# ------------------------------------------------------------------ masking in lists

def masked_child(case) -> dict:
    """What a list shows of a child: initials, age and sex — never the name.

    The same masked view ``selectors.child_identity`` returns to users without identity rights;
    full identity is shown only on the case page, through ``child_identity``, which logs the read.
    """
    return masked_form(case.child)


def scope_is_area(user) -> bool:
    return any(a.role.scope == Scope.AREA for a in assignments_of(user))


def require_role(*codes):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            from django.core.exceptions import PermissionDenied

            if not set(role_codes(request.user)) & set(codes):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
